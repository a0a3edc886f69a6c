"""log p(continuation | prompt) for many prompts and a few continuations, sharing the prefix.

Scoring the labels of a few-shot classifier asks the same question for every
query and every label: how likely is " positive" after this prompt? The prompts
share their demonstrations, so (as in ``answers``) those tokens run once and
each (prompt, label) row continues from a copy of their key/value cache. The
numbers are ``model.score(continuation, context=prompt).log_prob``, up to float
rounding; a model without a cache gets exactly that call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import torch

from ..hub.batching import in_chunks
from ..hub.errors import InputError
from .kv_cache import copy_for_batch, forward, keeps_cache, run_prefix, shared_length

BATCH_SIZE = 32


def _scored_row(model, prompt: str, continuation: str) -> tuple[list[int], list[int]]:
    """The ids ``model.score`` reads (start-of-text first) and the positions of the continuation's tokens."""
    encoding = model.tokenizer.encode(prompt + continuation, add_special_tokens=False)
    ids, start = list(encoding.ids), model.specials.start_of_text()
    positions = [i for i, ((begin, _), special) in enumerate(zip(encoding.offsets, encoding.special_tokens_mask,
                                                                 strict=True))
                 if not special and begin >= len(prompt)]
    if start is not None:
        ids, positions = [start, *ids], [p + 1 for p in positions]
    positions = [p for p in positions if p > 0]
    if not positions:
        raise InputError(f"{continuation!r} gives {model.name} no tokens to score after the prompt.")
    if len(ids) > model.max_length:
        raise InputError(f"A prompt with its label is {len(ids)} tokens, {len(ids) - model.max_length} more "
                         f"than the {model.max_length} {model.name} reads. Use fewer demonstrations.")
    return ids, positions


def continuation_log_probs(model, prompts: Sequence[str], continuations: Sequence[str]) -> torch.Tensor:
    """(prompts x continuations) float64 log-probabilities of each continuation after each prompt."""
    if not keeps_cache(model):
        return torch.tensor([[s.log_prob for s in model.score(list(continuations), context=p)] for p in prompts],
                            dtype=torch.float64)
    rows, positions = zip(*(_scored_row(model, p, c) for p in prompts for c in continuations), strict=True)
    # Every scored token must be predicted inside the suffix pass: stop sharing before the first.
    shared = shared_length(list(rows), most=min(min(p) for p in positions) - 1)
    prefix = run_prefix(model, rows[0][:shared]) if shared else None
    by_length = defaultdict(list)
    for index, row in enumerate(rows):
        by_length[len(row)].append(index)
    totals = torch.zeros(len(rows), dtype=torch.float64)
    with torch.inference_mode():
        for indices in by_length.values():
            for chunk in in_chunks(indices, BATCH_SIZE):
                suffix = torch.tensor([rows[i][shared:] for i in chunk], device=model.device)
                logits, _ = forward(model, suffix, copy_for_batch(prefix, len(chunk)), last_only=False)
                log_probs = torch.log_softmax(logits.float(), dim=-1)
                for b, i in enumerate(chunk):
                    picked = [log_probs[b, p - 1 - shared, rows[i][p]] for p in positions[i]]
                    totals[i] = float(torch.stack(picked).sum())
    return totals.reshape(len(prompts), len(continuations))
