"""Pooling: one vector for a word that the tokenizer cut into several pieces.

A Transformer gives one contextual vector per *piece* ("transform", "##eri", "##fy"),
but we often want one per word: to compare two uses of a word, or to label it. The
lecture's two choices are the average of the pieces' vectors or the vector of one
piece; which is better depends on the use.
"""

from __future__ import annotations

import torch

# "mean": every piece counts equally. "first"/"last": one piece stands for the word;
# in a left-to-right model only the last piece has seen the whole word.
POOLINGS = ("mean", "first", "last")


def check_pooling(pooling: str) -> None:
    """Fail early, before any model runs, on a pooling name that does not exist."""
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}; got {pooling!r}.")


def pool(vectors: torch.Tensor, positions: list[int], pooling: str = "mean") -> torch.Tensor:
    """One vector for a word from its pieces' vectors at ``positions`` (on the last axis but one).

    Works for one layer (tokens x dim) and for all layers at once (layers x tokens x dim).
    """
    check_pooling(pooling)
    pieces = vectors[..., list(positions), :]
    if pooling == "mean":
        return pieces.mean(dim=-2)
    return pieces[..., 0 if pooling == "first" else -1, :]
