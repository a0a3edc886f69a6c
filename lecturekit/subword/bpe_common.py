"""What both BPE trainers share: the end-of-word marker, input checks, one merge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._text import as_text

# The end-of-word marker rides on the last character of each word ("w</w>"), as
# in Sennrich et al.'s subword-nmt and the Hugging Face trainer's
# ``end_of_word_suffix``: a word-final piece is a different token from the same
# letters inside a word.
END_OF_WORD = "</w>"


@dataclass(frozen=True)
class MergeStep:
    """One step of BPE training: what was merged, how often, and its effect."""

    pair: tuple[str, str]
    count: int  # how many times the pair occurred in the corpus (word counts summed)
    new_token: str
    words_changed: int  # how many word types contain the pair and were rewritten


def word_to_symbols(word: str) -> tuple[str, ...]:
    """``"low"`` -> ``("l", "o", "w</w>")``: characters, the last one marked."""
    symbols = list(word)
    symbols[-1] += END_OF_WORD
    return tuple(symbols)


def merge_pair(symbols: tuple[str, ...], pair: tuple[str, str]) -> tuple[str, ...]:
    """Replace every occurrence of ``pair`` (left to right, no overlaps) by one unit."""
    first, second = pair
    merged: list[str] = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == first and symbols[i + 1] == second:
            merged.append(first + second)
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return tuple(merged)


def prepare_word_counts(word_counts, num_merges) -> tuple[dict[str, int], int]:
    """Check the trainer's inputs and give clear errors for bad ones.

    ``word_counts`` is a mapping ``word -> count`` or an iterable of
    ``(word, count)`` pairs (repeated words add up). Empty words and zero counts
    are skipped: they contribute no pairs.
    """
    if isinstance(num_merges, bool) or not isinstance(num_merges, int):
        raise TypeError(f"num_merges must be an int, not {type(num_merges).__name__}")
    if num_merges < 0:
        raise ValueError(f"num_merges must be 0 or more, got {num_merges}")
    if isinstance(word_counts, str):
        raise TypeError(
            "word_counts must map words to counts, e.g. {'low': 5, 'lower': 2}, not a str"
        )
    items = word_counts.items() if isinstance(word_counts, Mapping) else word_counts
    counts: dict[str, int] = {}
    try:
        for word, count in items:
            word = as_text(word, "each word")
            if isinstance(count, bool) or not isinstance(count, int):
                if isinstance(count, float) and count.is_integer():
                    count = int(count)
                else:
                    raise TypeError(f"the count of {word!r} must be a whole number, not {count!r}")
            if count < 0:
                raise ValueError(f"the count of {word!r} is negative ({count})")
            if word and count:
                counts[word] = counts.get(word, 0) + count
    except (TypeError, ValueError) as error:
        if "count of" in str(error) or "each word" in str(error):
            raise
        raise TypeError(
            "word_counts must map words to counts, e.g. {'low': 5, 'lower': 2}, "
            "or be a list of (word, count) pairs"
        ) from error
    return counts, num_merges
