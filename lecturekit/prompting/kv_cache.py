"""Running a shared prompt prefix once: a decoder's key/value cache, copied per row.

A decoder's layers keep the keys and values of every token they have read
(the KV cache); a token's keys and values depend only on the tokens before
it. So when many prompts start with the same tokens (the same demonstrations),
those tokens run through the network once, and each prompt continues from a
copy of their cache. Hugging Face decoders take the cache as an argument
(``cache`` in transformers 5, ``past_key_values`` before); the lecture's own
from-scratch GPT keeps none, and runs whole rows instead.
"""

from __future__ import annotations

import copy

import torch


def keeps_cache(model) -> bool:
    """Whether the model's module takes and returns a key/value cache (the hub's CausalLM knows)."""
    return bool(getattr(model, "_uses_cache", False))


def shared_length(rows: list[list[int]], most: int | None = None) -> int:
    """How many tokens every row starts with, leaving each row at least one of its own."""
    limit = min(len(r) for r in rows) - 1
    if most is not None:
        limit = min(limit, most)
    shared = 0
    while shared < limit and all(r[shared] == rows[0][shared] for r in rows):
        shared += 1
    return shared


def forward(model, input_ids: torch.Tensor, cache=None, last_only: bool = True, **padding):
    """(logits, cache) of one call of a Hugging Face decoder that continues from ``cache``.

    ``padding``: ``attention_mask`` (over the cached and the new tokens) and
    ``position_ids`` (of the new tokens), for rows with padding among them.
    """
    argument = getattr(model, "_cache_argument", "past_key_values")
    extra = getattr(model, "_last_logits_only", {}) if last_only else {}
    output = model.module(input_ids=input_ids, use_cache=True, **{argument: cache}, **extra, **padding)
    return output.logits, getattr(output, argument)


def run_prefix(model, ids: list[int]):
    """The cache after reading ``ids`` (one row)."""
    with torch.inference_mode():
        _, cache = forward(model, torch.tensor([ids], device=model.device))
    return cache


def copy_for_batch(cache, size: int):
    """The prefix's keys and values once per row; the original stays for the next batch."""
    if cache is None:
        return None
    cache = copy.deepcopy(cache)
    if hasattr(cache, "batch_repeat_interleave"):
        cache.batch_repeat_interleave(size)
        return cache
    return tuple(tuple(t.repeat_interleave(size, dim=0) for t in layer) for layer in cache)  # older tuples


def keep_rows(cache, rows: torch.Tensor):
    """The cache of only some rows (those still writing)."""
    if hasattr(cache, "batch_select_indices"):
        cache.batch_select_indices(rows)
        return cache
    return tuple(tuple(t[rows] for t in layer) for layer in cache)
