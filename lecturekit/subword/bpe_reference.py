"""Byte-pair encoding training, the way the lecture tells it (Sennrich et al., 2016).

1. Write every word as characters; the last character carries the end-of-word
   marker ``</w>`` so that "est" at the end of "lowest" differs from "est" inside
   "estimate".
2. Count every adjacent pair of units, weighted by how often the word occurs.
3. Merge the most frequent pair everywhere into one new unit. Repeat.

Tie-break: when several pairs share the top count we take the smallest pair in
ordinary string order, so the result never depends on dictionary order.

This version recounts all pairs after every merge: easy to read, slow on big
corpora. ``bpe_fast.py`` does the same thing incrementally, merge for merge.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from .bpe_common import MergeStep, merge_pair, prepare_word_counts, word_to_symbols


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
        merged_words = {merge_pair(symbols, best): count for symbols, count in words.items()}
        changed = sum(1 for symbols in words if best in pairwise(symbols))
        words = merged_words
        steps.append(MergeStep(best, top_count, best[0] + best[1], changed))
    return steps
