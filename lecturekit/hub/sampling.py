"""Turning next-token logits into a choice: temperature, top-k, and greedy decoding.

- Temperature divides the logits before the softmax: below 1 it sharpens the
  distribution towards the likeliest token, above 1 it flattens it.
  Temperature 0 is the limit: always take the likeliest token (greedy decoding).
- Top-k keeps only the k likeliest tokens and renormalises, so a long tail of
  unlikely tokens cannot be drawn by bad luck.
"""

from __future__ import annotations

import torch


def check_temperature(temperature: float, allow_zero: bool) -> float:
    temperature = float(temperature)
    if temperature < 0 or (temperature == 0 and not allow_zero) or temperature != temperature:
        least = "0 (greedy) or more" if allow_zero else "greater than 0"
        raise ValueError(f"temperature must be {least}; got {temperature}.")
    return temperature


def check_top_k(top_k: int | None) -> int | None:
    if top_k is None:
        return None
    if int(top_k) != top_k or top_k < 1:
        raise ValueError(f"top_k must be a whole number of at least 1 (or None); got {top_k!r}.")
    return int(top_k)


def next_token_distribution(
    logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None
) -> torch.Tensor:
    """Probabilities over the vocabulary after temperature and top-k (float32; float64 stays float64)."""
    temperature = check_temperature(temperature, allow_zero=False)
    top_k = check_top_k(top_k)
    # At least float32: 16-bit logits lose too much in the softmax. Float64 scores
    # (the welcome notebook's hand-written ones) keep their precision.
    scaled = logits.to(torch.promote_types(logits.dtype, torch.float32)) / temperature
    if top_k is not None and top_k < scaled.shape[-1]:
        kth_largest = torch.topk(scaled, top_k, dim=-1).values[..., -1:]
        scaled = scaled.masked_fill(scaled < kth_largest, float("-inf"))
    return torch.softmax(scaled, dim=-1)


def choose_next_token(
    logits: torch.Tensor,
    temperature: float,
    top_k: int | None,
    generator: torch.Generator | None = None,
) -> int:
    """Pick one token id from a 1-D row of logits (greedy when temperature is 0)."""
    if check_temperature(temperature, allow_zero=True) == 0:
        return int(torch.argmax(logits))
    probabilities = next_token_distribution(logits, temperature, top_k)
    # Sample on the CPU with our own generator: the same seed gives the same text
    # whatever else the notebook has drawn from torch's global random state.
    return int(torch.multinomial(probabilities.cpu(), 1, generator=generator))
