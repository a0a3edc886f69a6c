"""Lecture §1, word structure and subword models: BPE and WordPiece from scratch.

Where each idea lives:

- ``bpe``: BPE as the lecture tells it, in one screen: a word as characters with
  ``</w>``, merging a pair, the training loop (``MergeStep``), the plain encoder;
- ``bpe_fast``: the same training and encoding made fast (heaps), merge for merge;
- ``bpe_tokenizer``: ``train_bpe`` / ``bpe_trace`` (fast by default, ``method="reference"``
  for the loop of ``bpe``), ``BPETokenizer``, and the alternatives
  ``greedy_longest_match`` and ``fewest_pieces``;
- ``bpe_huggingface``: ``train_bpe_huggingface``, the library twin for the parity tests;
- ``pretokenize``: cutting text into words before BPE or a word vocabulary;
- ``wordpiece``: ``WordPieceTokenizer``, BERT's tokenizer on the real bert-base-uncased vocabulary;
- ``byte_level``: ``ByteLevelBPETokenizer``, SmolLM2's real byte-level BPE;
- ``word_level``: ``WordLevelVocabulary``, the word-level baseline and its UNK problem;
- ``corpora``, ``fertility``: real word frequencies per language (``word_counts``,
  ``sample_running_words``) and tokens per word (``fertility``);
- ``showcase``: the four tokenizers the notebook and widgets put side by side.
"""

from ..text import END_OF_WORD
from .bpe import MergeStep
from .bpe_huggingface import train_bpe_huggingface
from .bpe_tokenizer import BPETokenizer, bpe_trace, fewest_pieces, greedy_longest_match, train_bpe
from .byte_level import ByteLevelBPETokenizer
from .corpora import LANGUAGES, NOT_IN_WORDFREQ, TINY_CORPUS, sample_running_words, word_counts
from .fertility import fertility, fertility_table, real_word_tokenizers
from .word_level import WORD_LEVEL_UNK as UNK  # the public name: the word-level baseline's UNK
from .word_level import WordLevelVocabulary, unk_rate_curve
from .wordpiece import VocabularyError, WordPieceTokenizer

__all__ = [
    "END_OF_WORD",
    "LANGUAGES",
    "NOT_IN_WORDFREQ",
    "TINY_CORPUS",
    "UNK",
    "BPETokenizer",
    "ByteLevelBPETokenizer",
    "MergeStep",
    "VocabularyError",
    "WordLevelVocabulary",
    "WordPieceTokenizer",
    "bpe_trace",
    "fertility",
    "fertility_table",
    "fewest_pieces",
    "greedy_longest_match",
    "real_word_tokenizers",
    "sample_running_words",
    "train_bpe",
    "train_bpe_huggingface",
    "unk_rate_curve",
    "word_counts",
]
