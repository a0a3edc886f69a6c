"""The model's answers to many few-shot prompts: greedy continuations up to a stop.

``plain_answers`` is the loop a reader would write: one prompt at a time,
``model.stream`` with temperature 0 until a newline. ``greedy_answers`` gives
the *same answers* faster, for two reasons:

- the prompts of one accuracy-vs-k cell share their demonstrations, so the
  shared tokens at the front run through the network once; their keys and
  values (the KV cache a decoder keeps, LECTURE.md §6) are then copied for every
  query, and only each query's own tokens are new work;
- the queries run side by side in a batch, one step per new token.

Queries of different lengths share a batch by left-padding their own tokens
(between the shared prefix and the query): the attention mask hides the pads
and explicit position ids number each row's real tokens as if the pads were not
there, so every row computes what it would alone, up to float rounding. Without
a shared prefix (zero-shot prompts) a pad could attend to nothing at all, so
such prompts are batched only with prompts of their own length, as are the
prompts of a module without a cache (lecture-gpt): none of them needs padding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import torch

from ..hub.batching import in_chunks
from ..hub.errors import InputError
from ..hub.generation import check_max_new_tokens, readable_pieces
from ..hub.kinds import require
from .kv_cache import copy_for_batch, forward, keep_rows, keeps_cache, run_prefix, shared_length
from .prompts import cut_at_stop

BATCH_SIZE = 32


def plain_answers(model, prompts: Sequence[str], max_new_tokens: int = 8, stops=("\n",)) -> list[str]:
    """Each prompt's greedy continuation, one ``model.stream`` at a time, cut at the first stop."""
    require("generate", model.name, model.kind)
    answers = []
    for prompt in prompts:
        written = ""
        for piece in model.stream(prompt, max_new_tokens, temperature=0.0):
            written += piece
            if any(stop in written for stop in stops):
                break
        answers.append(cut_at_stop(written, stops))
    return answers


def greedy_answers(
    model, prompts: Sequence[str], max_new_tokens: int = 8, stops=("\n",), batch_size: int = BATCH_SIZE
) -> list[str]:
    """What ``plain_answers`` gives, computed with a shared prefix and batches (see the module)."""
    require("generate", model.name, model.kind)  # a masked LM or an encoder stops here, saying why
    max_new_tokens = check_max_new_tokens(max_new_tokens)
    if model.kind != "causal-lm" or not prompts:
        return plain_answers(model, prompts, max_new_tokens, stops)
    rows = [_prompt_ids(model, p) for p in prompts]
    shared = shared_length(rows)
    prefix = run_prefix(model, rows[0][:shared]) if shared and keeps_cache(model) else None
    by_length = defaultdict(list)
    for index, row in enumerate(rows):
        by_length[len(row)].append(index)
    if prefix is not None:  # one padded batch for all lengths
        batches = list(in_chunks(sorted(range(len(rows)), key=lambda i: len(rows[i])), batch_size))
    else:
        batches = [chunk for indices in by_length.values() for chunk in in_chunks(indices, batch_size)]
    answers: list[str] = [""] * len(rows)
    for chunk in batches:
        # As many new tokens as model.generate would write: never past what the model reads.
        steps = [max(0, min(max_new_tokens, model.max_length - len(rows[i]))) for i in chunk]
        batch = [rows[i] for i in chunk]
        written = (_greedy_padded(model, batch, shared, prefix, steps, stops) if prefix is not None
                   else _greedy_batch(model, batch, shared, prefix, steps[0], stops))
        for index, ids in zip(chunk, written, strict=True):
            answers[index] = cut_at_stop("".join(readable_pieces(model.tokenizer, ids)), stops)
    return answers


def _prompt_ids(model, prompt: str) -> list[int]:
    """The ids ``model.generate`` reads for this prompt (an empty one starts a new document)."""
    ids = model.tokenizer.encode(prompt).ids
    if not ids:
        start = model.specials.start_of_text()
        if start is None:
            raise InputError(f"{model.name} needs some text to continue: the prompt is empty.")
        ids = [start]
    if len(ids) > model.max_length:
        raise InputError(
            f"A prompt is {len(ids)} tokens long, {len(ids) - model.max_length} more than the "
            f"{model.max_length} {model.name} reads. Use fewer demonstrations or shorter ones."
        )
    return ids


def _greedy_batch(model, rows, shared, prefix, steps, stops) -> list[list[int]]:
    """Greedy new ids for equal-length rows; a row leaves the batch once it has stopped."""
    stop_ids = model._stop_ids()
    written: list[list[int]] = [[] for _ in rows]
    running = list(range(len(rows))) if steps > 0 else []  # rows still writing, in batch order
    cached = keeps_cache(model)
    if cached:
        cache = copy_for_batch(prefix, len(rows))
        step_input = [row[shared if prefix is not None else 0:] for row in rows]
    with torch.inference_mode():
        while running:
            if cached:
                logits, cache = forward(model, torch.tensor(step_input, device=model.device), cache)
            else:  # no cache: the whole sequence again, as model.generate does for such a module
                sequences = [rows[r] + written[r] for r in running]
                logits = model.module(input_ids=torch.tensor(sequences, device=model.device)).logits
            chosen = torch.argmax(logits[:, -1], dim=-1).tolist()
            still = _still_writing(model, written, running, chosen, stop_ids, stops, [steps] * len(rows))
            if cached and still and len(still) < len(running):
                cache = keep_rows(cache, torch.tensor(still, device=model.device))
            running = [running[p] for p in still]
            if cached:
                step_input = [[written[r][-1]] for r in running]
    return written


def _still_writing(model, written, running, chosen, stop_ids, stops, steps) -> list[int]:
    """Record each row's new token; the batch positions of the rows that go on writing."""
    still = []
    for position, (r, token) in enumerate(zip(running, chosen, strict=True)):
        if token in stop_ids:
            continue
        written[r].append(token)
        text = model.tokenizer.decode(written[r], skip_special_tokens=False)
        if len(written[r]) < steps[r] and not any(stop in text for stop in stops):
            still.append(position)
    return still


def _greedy_padded(model, rows, shared, prefix, steps, stops) -> list[list[int]]:
    """Greedy new ids for rows of any length after a cached prefix, their own tokens left-padded."""
    stop_ids = model._stop_ids()
    pad = model.specials.pad if model.specials.pad is not None else 0
    width = max(len(row) for row in rows) - shared
    own = [row[shared:] for row in rows]
    ids = [[pad] * (width - len(o)) + o for o in own]
    mask = torch.tensor([[1] * shared + [0] * (width - len(o)) + [1] * len(o) for o in own], device=model.device)
    # Real tokens are numbered shared, shared + 1, ... whatever padding sits before them.
    positions = (mask.cumsum(dim=1) - 1).clamp(min=0)[:, shared:]
    cache = copy_for_batch(prefix, len(rows))
    written: list[list[int]] = [[] for _ in rows]
    running = [r for r in range(len(rows)) if steps[r] > 0]
    if len(running) < len(rows):
        keep = torch.tensor(running, device=model.device)
        cache, mask, positions = keep_rows(cache, keep), mask[keep], positions[keep]
        ids = [ids[r] for r in running]
    with torch.inference_mode():
        while running:
            logits, cache = forward(model, torch.tensor(ids, device=model.device), cache,
                                    attention_mask=mask, position_ids=positions)
            chosen = torch.argmax(logits[:, -1], dim=-1).tolist()
            still = _still_writing(model, written, running, chosen, stop_ids, stops, steps)
            if not still:
                break
            keep = torch.tensor(still, device=model.device)
            if len(still) < len(running):
                cache, mask = keep_rows(cache, keep), mask[keep]
            running = [running[p] for p in still]
            ids = [[written[r][-1]] for r in running]
            mask = torch.cat([mask, torch.ones_like(mask[:, :1])], dim=1)
            positions = positions[keep, -1:] + 1
    return written
