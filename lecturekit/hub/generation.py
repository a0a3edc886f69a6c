"""Autoregressive generation: write one token, read it back, write the next.

The loop is the same for a causal LM continuing its prompt and for an
encoder-decoder's decoder writing its output; only "the logits for the token
after these ids" differ, so each kind hands the loop a function for that. The
trainer's quick greedy check (``lecturekit.train.experiments.greedy_continue``)
uses the same loop on a raw lecture model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import torch
from tokenizers import Tokenizer

from .sampling import choose_next_token


def continue_tokens(
    next_logits: Callable[[list[int]], torch.Tensor],
    ids: list[int],
    steps: int,
    temperature: float = 0.0,
    top_k: int | None = None,
    generator: torch.Generator | None = None,
    stop: Iterable[int] = (),
    top_p: float | None = None,
) -> Iterator[int]:
    """Yield up to ``steps`` new token ids after ``ids``, stopping before a ``stop`` token.

    ``next_logits(ids)`` gives the 1-D logits for the token after ``ids``. Each
    chosen token is appended before the next call, so the model always reads
    its own output so far. Temperature 0 (the default) is greedy decoding;
    otherwise ``top_k`` and ``top_p`` (nucleus) narrow what can be drawn.
    """
    ids, stop = list(ids), set(stop)
    for _ in range(steps):
        token_id = choose_next_token(next_logits(ids), temperature, top_k, generator, top_p)
        if token_id in stop:
            return
        ids.append(token_id)
        yield token_id


def readable_pieces(tokenizer: Tokenizer, token_ids: Iterable[int]) -> Iterator[str]:
    """The new text each token adds, for showing text as it is written.

    A byte-level token can end inside a multi-byte character; its piece waits
    for the rest of the character.
    """
    new_ids: list[int] = []
    shown = decoded = ""
    for token_id in token_ids:
        new_ids.append(token_id)
        decoded = tokenizer.decode(new_ids, skip_special_tokens=False)
        if decoded.endswith("\ufffd"):  # maybe half a character: wait for the next byte
            continue
        yield decoded[len(shown) :]
        shown = decoded
    if decoded != shown:  # bytes that never became a character: show them as they are
        yield decoded[len(shown) :]


def check_max_new_tokens(max_new_tokens) -> int:
    if int(max_new_tokens) != max_new_tokens or max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be a whole number >= 0; got {max_new_tokens!r}.")
    return int(max_new_tokens)
