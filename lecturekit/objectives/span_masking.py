"""SpanBERT's span masking: hide contiguous runs of whole words.

Predicting one masked piece of a word is easy when the other pieces are visible;
masking whole spans makes the task harder and the representations better (Joshi et
al., 2020). Span lengths, counted in words, follow a geometric distribution with
p = 0.2 truncated to at most 10 words (probabilities renormalised over 1..10),
which gives the paper's mean span length of 3.8 words. Spans are added at random
places until 15% of the tokens are chosen; each span is then replaced as a whole:
80% all [MASK], 10% all random tokens, 10% unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from lecturekit.objectives._common import as_ids, check_rate, make_generator
from lecturekit.objectives.masked_lm import (
    MaskedExample,
    _check_common,
    _maskable,
    corrupt_chosen,
    word_groups,
)


def span_length_distribution(geometric_p: float = 0.2, max_span_length: int = 10) -> torch.Tensor:
    """P(length = 1..max_span_length) of the truncated geometric distribution."""
    check_rate("geometric_p", geometric_p)
    if geometric_p == 0:
        raise ValueError("geometric_p must be above 0 (with p = 0 spans would never end).")
    if not isinstance(max_span_length, int) or max_span_length < 1:
        raise ValueError(f"max_span_length must be a positive integer, got {max_span_length!r}.")
    lengths = torch.arange(1, max_span_length + 1, dtype=torch.float64)
    weights = geometric_p * (1 - geometric_p) ** (lengths - 1)
    return weights / weights.sum()


def span_mask(
    ids,
    word_ids: Sequence[int | None] | None = None,
    *,
    mask_token_id: int,
    vocab_size: int,
    special_ids: Sequence[int] = (),
    mask_rate: float = 0.15,
    geometric_p: float = 0.2,
    max_span_length: int = 10,
    replace_with_mask: float = 0.8,
    replace_with_random: float = 0.1,
    generator: torch.Generator | int | None = None,
) -> MaskedExample:
    """Mask spans of whole words until ceil(mask_rate x maskable tokens) tokens are chosen.

    ``word_ids`` gives each token's word (None for tokens outside words); without
    it each token is its own word. A span starts at a random unmasked word, takes
    a sampled number of words, and stops early at special tokens, at already
    masked words, or when the budget is reached (the last word may then be cut,
    as in the SpanBERT code). The result records the token ranges in ``spans`` and
    the sampled lengths in ``sampled_span_lengths``.
    """
    ids = as_ids(ids)
    _check_common(ids, mask_token_id, vocab_size, special_ids, mask_rate)
    distribution = span_length_distribution(geometric_p, max_span_length)
    generator = make_generator(generator)
    maskable = _maskable(ids, special_ids)
    if word_ids is None:
        word_ids = list(range(len(ids)))
    # Words made only of maskable tokens, in order; special tokens separate them.
    maskable = maskable.tolist()
    words = [w for w in word_groups(word_ids, len(ids)) if all(maskable[p] for p in w)]
    n_maskable = sum(len(w) for w in words)
    # ceil, as SpanBERT does; the tiny slack keeps 0.15 x 100 = 15.000000000000002 at 15
    budget = math.ceil(mask_rate * n_maskable - 1e-9)

    # Plain Python bookkeeping: per-element tensor indexing would dominate the time.
    chosen = [False] * len(ids)
    group_of = [-1] * len(ids)
    free = list(range(len(words)))  # words no span has taken yet, for drawing starts
    slot = list(range(len(words)))  # where each word sits in `free` (for O(1) removal)

    def take(word_index: int) -> None:
        i = slot[word_index]
        last = free.pop()
        if last != word_index:
            free[i], slot[last] = last, i

    spans: list[tuple[int, int]] = []
    sampled: list[int] = []
    count = 0
    while count < budget:
        start_word = free[int(torch.randint(len(free), (1,), generator=generator))]
        length = int(torch.multinomial(distribution, 1, generator=generator)) + 1
        sampled.append(length)
        span_positions: list[int] = []
        for word_index in range(start_word, min(start_word + length, len(words))):
            word = words[word_index]
            contiguous = not span_positions or word[0] == span_positions[-1] + 1
            if chosen[word[0]] or not contiguous:
                break  # stop at an already masked word or a special token in between
            take(word_index)
            for position in word[: budget - count]:
                span_positions.append(position)
                chosen[position] = True
                group_of[position] = len(spans)
            count = min(budget, count + len(word))
            if count == budget:
                break
        spans.append((span_positions[0], span_positions[-1] + 1))

    example = corrupt_chosen(
        ids, torch.tensor(chosen, dtype=torch.bool), mask_token_id=mask_token_id, vocab_size=vocab_size, special_ids=special_ids,
        replace_with_mask=replace_with_mask, replace_with_random=replace_with_random,
        generator=generator, groups=torch.tensor(group_of, dtype=torch.long),
    )
    example.spans = sorted(spans)
    example.sampled_span_lengths = sampled
    return example
