"""The same BPE training as ``bpe_reference.py``, made fast by doing less work.

The reference recounts every pair in every word after each merge. But a merge
only changes the words that contain the merged pair, and only their pair counts
change. So we keep:

- ``pair_counts``: the current count of every adjacent pair;
- ``where``: for every pair, the words that (may) contain it;
- a heap of (-count, pair) to find the most frequent pair quickly. When a count
  changes we push a fresh entry and leave the old one behind; an entry whose
  count no longer matches ``pair_counts`` is stale and skipped when it surfaces.

The heap orders equal counts by the pair itself, so the tie-break is the same as
the reference's (smallest pair in string order) and both give identical merges.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from itertools import pairwise

from .bpe_common import MergeStep, prepare_word_counts, word_to_symbols


def train_bpe_fast(word_counts, num_merges: int) -> list[MergeStep]:
    """Learn up to ``num_merges`` merges; stops early when no pair is left."""
    counts, num_merges = prepare_word_counts(word_counts, num_merges)
    words = [list(word_to_symbols(word)) for word in counts]
    frequencies = list(counts.values())

    pair_counts: dict[tuple[str, str], int] = defaultdict(int)
    where: dict[tuple[str, str], set[int]] = defaultdict(set)
    for index, (symbols, frequency) in enumerate(zip(words, frequencies, strict=True)):
        for pair in pairwise(symbols):
            pair_counts[pair] += frequency
            where[pair].add(index)
    heap = [(-count, pair) for pair, count in pair_counts.items()]
    heapq.heapify(heap)

    steps: list[MergeStep] = []
    while len(steps) < num_merges and heap:
        negative_count, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -negative_count or negative_count == 0:
            continue  # stale entry: this pair's count has changed since it was pushed
        first, second = pair
        new_token = first + second
        touched: set[tuple[str, str]] = set()
        changed = 0
        for index in where.pop(pair):
            symbols = words[index]
            merged = _merge(symbols, first, second, new_token)
            if merged is None:  # the word no longer contains the pair
                continue
            changed += 1
            frequency = frequencies[index]
            # Take the word's old pairs out and put its new pairs in. Most of them
            # are the same pairs; only the ones around the merge really change.
            for old in pairwise(symbols):
                pair_counts[old] -= frequency
                touched.add(old)
            for new in pairwise(merged):
                pair_counts[new] += frequency
                where[new].add(index)
                touched.add(new)
            words[index] = merged
        for other in touched:
            count = pair_counts[other]
            if count > 0:
                heapq.heappush(heap, (-count, other))
            else:
                del pair_counts[other]
        steps.append(MergeStep(pair, -negative_count, new_token, changed))
    return steps


def _merge(symbols: list[str], first: str, second: str, new_token: str) -> list[str] | None:
    """The word with every ``first second`` replaced by ``new_token``; None if absent."""
    merged: list[str] = []
    found = False
    i = 0
    last = len(symbols) - 1
    while i <= last:
        if i < last and symbols[i] == first and symbols[i + 1] == second:
            merged.append(new_token)
            found = True
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return merged if found else None
