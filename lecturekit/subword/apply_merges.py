"""Replaying learned merges on one word: the earliest-learned applicable merge goes first.

The plain way is a loop: look at all adjacent pairs, merge the one whose merge
was learned earliest (leftmost first on a tie), repeat. That costs a full scan
per merge, which is fine for normal words but takes minutes on a
100,000-character "word". So we keep the same rule with two tools:

- the units sit in a linked list (``next_of``/``previous_of``), so a merge is
  O(1) instead of rebuilding the list;
- the candidate merges sit in a heap keyed by (rank, position), so the earliest
  learned, then leftmost, pair comes out first. Entries made stale by a nearby
  merge are checked and skipped when they come out.

This is also how the Hugging Face BPE model does it, which is why our byte-level
tokenizer can match its ids exactly.
"""

from __future__ import annotations

import heapq


def apply_merges(symbols: list[str], ranks: dict[tuple[str, str], int]) -> list[str]:
    """Merge ``symbols`` with the learned ``ranks`` (pair -> order in which it was learned)."""
    units = list(symbols)
    if len(units) < 2:
        return units
    next_of = list(range(1, len(units))) + [-1]
    previous_of = list(range(-1, len(units) - 1))
    alive = [True] * len(units)
    heap = []
    for i in range(len(units) - 1):
        rank = ranks.get((units[i], units[i + 1]))
        if rank is not None:
            heap.append((rank, i))
    heapq.heapify(heap)

    while heap:
        rank, i = heapq.heappop(heap)
        j = next_of[i] if alive[i] else -1
        if j == -1 or ranks.get((units[i], units[j])) != rank:
            continue  # stale: one of the two units was merged with something else
        units[i] += units[j]
        alive[j] = False
        next_of[i] = next_of[j]
        if next_of[j] != -1:
            previous_of[next_of[j]] = i
        # The merged unit forms new pairs with its neighbours.
        left, right = previous_of[i], next_of[i]
        if left != -1 and (units[left], units[i]) in ranks:
            heapq.heappush(heap, (ranks[(units[left], units[i])], left))
        if right != -1 and (units[i], units[right]) in ranks:
            heapq.heappush(heap, (ranks[(units[i], units[right])], i))
    return [unit for unit, keep in zip(units, alive, strict=True) if keep]
