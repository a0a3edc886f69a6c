"""BPE in Hugging Face's terms: its trainer set up to do our job (for the parity tests), and its merges format.

From scratch teaches, the library proves it right: ``train_bpe_huggingface`` is
the Hugging Face ``tokenizers`` trainer configured so that, up to the first tie,
it learns exactly the merges of ``bpe.py``.
"""

from __future__ import annotations

import json

from ..text import END_OF_WORD
from .bpe import prepare_word_counts


def parse_merges(merges) -> list[tuple[str, str]]:
    """The ``merges`` of a ``tokenizer.json`` as pairs: older files write ``"a b"``, newer ``["a", "b"]``."""
    return [tuple(m.split(" ", 1)) if isinstance(m, str) else tuple(m) for m in merges]


def train_bpe_huggingface(word_counts, num_merges: int) -> list[tuple[str, str]]:
    """The Hugging Face ``tokenizers`` BPE trainer, configured to do the same job.

    - no normaliser, and a pre-tokenizer that only splits on whitespace, so HF
      sees exactly our words (words must not contain whitespace);
    - ``end_of_word_suffix="</w>"`` puts the marker on the last character, like ours;
    - no alphabet limit, no initial alphabet, ``min_frequency=0``, no special tokens;
    - the word counts are fed as text: each word repeated ``count`` times.
    - ``vocab_size`` = alphabet + num_merges. HF stops when the *vocabulary* is
      that big; a merge can recreate an existing token string ("ab"+"c" after
      "a"+"bc"), so it may make more merges than asked, and we keep the first
      ``num_merges``.

    Tie-break difference: when pairs share the top count, HF takes the pair with
    the smallest token *ids*. Characters get ids in code-point order, merged
    tokens in creation order, but the word-final characters ("t</w>") get ids in
    the order of a Rust hash map, which changes from run to run. So on a tie HF
    may pick a different pair than we do (we take the smallest pair as strings);
    without ties both give the same merges.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    counts, num_merges = prepare_word_counts(word_counts, num_merges)
    if any(any(c.isspace() for c in word) for word in counts):
        raise ValueError("for the Hugging Face trainer, words must not contain whitespace")
    alphabet = {c for word in counts for c in word}
    final_units = {word[-1] + END_OF_WORD for word in counts}
    tokenizer = Tokenizer(models.BPE(end_of_word_suffix=END_OF_WORD))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    trainer = trainers.BpeTrainer(
        vocab_size=len(alphabet | final_units) + num_merges,
        min_frequency=0,
        show_progress=False,
        special_tokens=[],
        limit_alphabet=len(alphabet),  # keep every character
        initial_alphabet=[],
        end_of_word_suffix=END_OF_WORD,
    )

    def repeated_words():
        for word, count in counts.items():
            yield " ".join([word] * count)

    tokenizer.train_from_iterator(repeated_words(), trainer=trainer)
    return parse_merges(json.loads(tokenizer.to_str())["model"]["merges"])[:num_merges]
