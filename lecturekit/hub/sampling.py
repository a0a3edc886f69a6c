"""Turning next-token logits into a choice: temperature, top-k, top-p and greedy decoding.

- Temperature divides the logits before the softmax: below 1 it sharpens the
  distribution towards the likeliest token, above 1 it flattens it.
  Temperature 0 is the limit: always take the likeliest token (greedy decoding).
- Top-k keeps only the k likeliest tokens and renormalises, so a long tail of
  unlikely tokens cannot be drawn by bad luck.
- Top-p (nucleus sampling, Holtzman et al. 2020) keeps the smallest set of likeliest
  tokens whose probabilities add up to at least p: few tokens when the model is
  sure, many when it is not. Applied after temperature and top-k, in that order,
  as Hugging Face's ``generate`` does.
"""

from __future__ import annotations

import numbers

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


def check_top_p(top_p: float | None) -> float | None:
    if top_p is None:
        return None
    if isinstance(top_p, bool) or not isinstance(top_p, numbers.Real) or not 0 < top_p <= 1:
        raise ValueError(f"top_p must be a probability above 0 and at most 1 (or None); got {top_p!r}.")
    return float(top_p)


def keep_top_p(scores: torch.Tensor, top_p: float) -> torch.Tensor:
    """Scores outside the nucleus set to -inf: the likeliest tokens holding at least ``top_p``.

    Counted from the unlikely end: a token goes when it and every token less likely
    than it hold at most 1 - top_p of the probability. The likeliest token always stays.
    """
    ascending, order = torch.sort(scores, dim=-1)
    tail_mass = torch.softmax(ascending, dim=-1).cumsum(dim=-1)
    drop = tail_mass <= 1 - top_p
    drop[..., -1] = False
    drop = drop.scatter(-1, order, drop)  # back to vocabulary order
    return scores.masked_fill(drop, float("-inf"))


def next_token_distribution(
    logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None
) -> torch.Tensor:
    """Probabilities over the vocabulary after temperature, top-k and top-p (float32; float64 stays float64)."""
    temperature = check_temperature(temperature, allow_zero=False)
    top_k = check_top_k(top_k)
    top_p = check_top_p(top_p)
    # At least float32: 16-bit logits lose too much in the softmax. Float64 scores
    # (the welcome notebook's hand-written ones) keep their precision.
    scaled = logits.to(torch.promote_types(logits.dtype, torch.float32)) / temperature
    if top_k is not None and top_k < scaled.shape[-1]:
        kth_largest = torch.topk(scaled, top_k, dim=-1).values[..., -1:]
        scaled = scaled.masked_fill(scaled < kth_largest, float("-inf"))
    if top_p is not None and top_p < 1:
        scaled = keep_top_p(scaled, top_p)
    return torch.softmax(scaled, dim=-1)


def choose_next_token(
    logits: torch.Tensor,
    temperature: float,
    top_k: int | None,
    generator: torch.Generator | None = None,
    top_p: float | None = None,
) -> int:
    """Pick one token id from a 1-D row of logits (greedy when temperature is 0)."""
    if check_temperature(temperature, allow_zero=True) == 0:
        return int(torch.argmax(logits))
    probabilities = next_token_distribution(logits, temperature, top_k, top_p)
    # Sample on the CPU with our own generator: the same seed gives the same text
    # whatever else the notebook has drawn from torch's global random state.
    return int(torch.multinomial(probabilities.cpu(), 1, generator=generator))
