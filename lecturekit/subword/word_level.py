"""A word-level vocabulary: one id per known word, and one shared UNK for everything else.

This is the approach BPE replaces. A typo ("lern"), a new word ("transformerify")
or a stretched one ("taaaasty") all become the same UNK, and whatever the word
meant is lost.
"""

from __future__ import annotations

from collections import Counter

from ..text import as_text
from .pretokenize import split_words

# The unknown-word token, written as BERT writes its own. (Our BPE has a different one,
# ``bpe_tokenizer.BPE_UNK``, for unseen characters: the notebook shows both.)
WORD_LEVEL_UNK = "[UNK]"


class WordLevelVocabulary:
    """The ``size`` most frequent words of a training corpus (ties: alphabetical), plus UNK."""

    def __init__(self, words):
        self.vocab = {WORD_LEVEL_UNK: 0}
        for word in words:
            self.vocab.setdefault(word, len(self.vocab))

    @classmethod
    def from_counts(cls, word_counts, size: int) -> WordLevelVocabulary:
        if size < 0:
            raise ValueError(f"size must be 0 or more, got {size}")
        ranked = sorted(word_counts.items(), key=lambda item: (-item[1], item[0]))
        return cls(word for word, _ in ranked[:size])

    @classmethod
    def from_text(cls, text: str, size: int) -> WordLevelVocabulary:
        return cls.from_counts(Counter(w.lower() for w in split_words(text)), size)

    def __len__(self) -> int:
        return len(self.vocab)

    def tokenize(self, text: str) -> list[str]:
        """Lower-cased words, each one either known or UNK."""
        lowered = (w.lower() for w in split_words(as_text(text)))
        return [w if w in self.vocab else WORD_LEVEL_UNK for w in lowered]

    def encode(self, text: str) -> list[int]:
        return [self.vocab[token] for token in self.tokenize(text)]

    def unk_rate(self, words) -> float:
        """The share of running ``words`` (a list, or a text) that become UNK; 0.0 for none."""
        if isinstance(words, str):
            words = split_words(words)
        words = [w.lower() for w in words]
        if not words:
            return 0.0
        return sum(w not in self.vocab for w in words) / len(words)


def unk_rate_curve(training_words, held_out_words, sizes) -> list[tuple[int, float]]:
    """UNK rate on held-out words for vocabularies of each size built from training words."""
    counts = Counter(w.lower() for w in training_words)
    return [
        (size, WordLevelVocabulary.from_counts(counts, size).unk_rate(held_out_words))
        for size in sizes
    ]
