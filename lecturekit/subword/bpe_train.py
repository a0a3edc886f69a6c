"""The public face of BPE training: merges, a trace for the stepper, and the library twin."""

from __future__ import annotations

import json

from .bpe_common import END_OF_WORD, MergeStep, prepare_word_counts
from .bpe_fast import train_bpe_fast
from .bpe_reference import train_bpe_reference

_TRAINERS = {"fast": train_bpe_fast, "reference": train_bpe_reference}


def bpe_trace(word_counts, num_merges: int, method: str = "fast") -> list[MergeStep]:
    """Every merge step: the pair, its count, the new token, how many word types changed."""
    if method not in _TRAINERS:
        raise ValueError(f"method must be one of {sorted(_TRAINERS)}, not {method!r}")
    return _TRAINERS[method](word_counts, num_merges)


def train_bpe(word_counts, num_merges: int, method: str = "fast") -> list[tuple[str, str]]:
    """The learned merges in order, e.g. ``[("e", "s"), ("es", "t</w>"), ...]``.

    Fewer than ``num_merges`` come back when the corpus runs out of pairs (every
    word has become a single token).
    """
    return [step.pair for step in bpe_trace(word_counts, num_merges, method)]


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
    merges = json.loads(tokenizer.to_str())["model"]["merges"]
    pairs = [tuple(m) if isinstance(m, list) else tuple(m.split(" ", 1)) for m in merges]
    return pairs[:num_merges]
