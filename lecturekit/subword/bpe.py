"""Byte-pair encoding, the way the lecture tells it (Sennrich et al., 2016).

Training:

1. Write every word as characters; the last character carries the end-of-word
   marker ``</w>`` so that "est" at the end of "lowest" differs from "est" inside
   "estimate".
2. Count every adjacent pair of units, weighted by how often the word occurs.
3. Merge the most frequent pair everywhere into one new unit. Repeat.

Tie-break: when several pairs share the top count we take the smallest pair in
ordinary string order, so the result never depends on dictionary order.

Tokenizing a new word replays the learned merges: merge the adjacent pair whose
merge was learned earliest, repeat until no learned merge applies. That is how
training rewrote the corpus, so a training word comes out as training left it.

Both loops here are written to be read: they rescan the whole corpus (or word)
after every merge. ``bpe_fast.py`` does the same work incrementally, merge for
merge and piece for piece; ``bpe_tokenizer.py`` puts the fast versions to use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from ..text import END_OF_WORD, as_text


@dataclass(frozen=True)
class MergeStep:
    """One step of BPE training: what was merged, how often, and its effect."""

    pair: tuple[str, str]
    count: int  # how many times the pair occurred in the corpus (word counts summed)
    new_token: str
    words_changed: int  # how many word types contain the pair and were rewritten


def word_to_symbols(word: str) -> tuple[str, ...]:
    """``"low"`` -> ``("l", "o", "w</w>")``: characters, the last one marked (``""`` -> ``()``)."""
    return (*word[:-1], word[-1] + END_OF_WORD) if word else ()


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


def train_bpe_reference(word_counts, num_merges: int) -> list[MergeStep]:
    """Learn up to ``num_merges`` merges; stops early when no pair is left."""
    counts, num_merges = prepare_word_counts(word_counts, num_merges)
    words = {word_to_symbols(word): count for word, count in counts.items()}
    steps: list[MergeStep] = []
    while len(steps) < num_merges:
        pair_counts: Counter = Counter()
        for symbols, count in words.items():
            for pair in pairwise(symbols):
                pair_counts[pair] += count
        if not pair_counts:  # every word is already a single unit
            break
        top_count = max(pair_counts.values())
        best = min(pair for pair, count in pair_counts.items() if count == top_count)
        changed = sum(1 for symbols in words if best in pairwise(symbols))
        words = {merge_pair(symbols, best): count for symbols, count in words.items()}
        steps.append(MergeStep(best, top_count, best[0] + best[1], changed))
    return steps


def apply_merges(symbols, ranks: dict[tuple[str, str], int]) -> list[str]:
    """Merge ``symbols`` with the learned ``ranks`` (pair -> order in which it was learned).

    The earliest-learned applicable merge goes first; where that pair occurs
    several times, the leftmost occurrence does.
    """
    units = list(symbols)
    while True:
        candidates = [(ranks[pair], i) for i, pair in enumerate(pairwise(units)) if pair in ranks]
        if not candidates:
            return units
        _, i = min(candidates)
        units[i : i + 2] = [units[i] + units[i + 1]]


def prepare_word_counts(word_counts, num_merges) -> tuple[dict[str, int], int]:
    """Check the trainers' inputs and give clear errors for bad ones.

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
