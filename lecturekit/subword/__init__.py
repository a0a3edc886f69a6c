"""Lecture §1, word structure and subword models: BPE and WordPiece from scratch.

- ``train_bpe`` / ``bpe_trace``: learn merges (reference and fast trainers agree
  merge for merge); ``train_bpe_huggingface`` is the library twin for parity.
- ``BPETokenizer``, ``greedy_longest_match``, ``fewest_pieces``: use a BPE vocabulary.
- ``WordPieceTokenizer``: BERT's tokenizer on the real bert-base-uncased vocabulary.
- ``ByteLevelBPETokenizer``: SmolLM2's real byte-level BPE.
- ``WordLevelVocabulary``: the word-level baseline and its UNK problem.
- ``word_counts``, ``sample_running_words``, ``fertility``: real word frequencies per language.
"""

from .bpe_common import END_OF_WORD, MergeStep
from .bpe_tokenizer import BPETokenizer, fewest_pieces, greedy_longest_match
from .bpe_train import bpe_trace, train_bpe, train_bpe_huggingface
from .byte_level import ByteLevelBPETokenizer
from .corpora import LANGUAGES, NOT_IN_WORDFREQ, TINY_CORPUS, sample_running_words, word_counts
from .fertility import fertility, fertility_table, real_word_tokenizers
from .word_level import UNK, WordLevelVocabulary, unk_rate_curve
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
