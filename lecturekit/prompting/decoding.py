"""Decoding: from the model's next-token distribution to a text.

The model only gives p(next token | text so far); a decoding strategy decides
what to write (LECTURE.md §6, and the explorer of notebook 04):

- greedy: always the likeliest token (deterministic; prone to loops);
- temperature T: sample from softmax(logits / T), sharper below 1, flatter above;
- top-k: sample only among the k likeliest tokens;
- top-p, nucleus sampling (Holtzman et al. 2020): sample among the smallest set
  of likeliest tokens that holds at least p of the probability.

The filters themselves live in ``lecturekit.hub.sampling``, where ``generate``
uses them; here they are shown one after the other (``filter_table``) and
compared on one prompt (``compare_decodings``). They are applied in the order
Hugging Face's ``generate`` uses: temperature, then top-k, then top-p.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import torch

from ..hub.kinds import require
from ..hub.sampling import check_temperature, check_top_k, check_top_p, next_token_distribution

# name -> generate settings; "greedy" is temperature 0.
STRATEGIES = {
    "greedy": {"temperature": 0.0},
    "temperature 0.7": {"temperature": 0.7},
    "temperature 1.5": {"temperature": 1.5},
    "top-k 10": {"temperature": 1.0, "top_k": 10},
    "top-p 0.9": {"temperature": 1.0, "top_p": 0.9},
}


def filter_stages(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                  top_p: float | None = None) -> dict[str, torch.Tensor]:
    """The distribution after each filter in turn: model (T = 1), temperature, top-k, top-p."""
    return {
        "model": next_token_distribution(logits),
        "temperature": next_token_distribution(logits, temperature),
        "top-k": next_token_distribution(logits, temperature, top_k),
        "top-p": next_token_distribution(logits, temperature, top_k, top_p),
    }


def filter_table(logits: torch.Tensor, token_texts, temperature: float = 1.0, top_k: int | None = None,
                 top_p: float | None = None, show: int = 10) -> pd.DataFrame:
    """The ``show`` likeliest candidates with their probability after each filter.

    ``logits``: one row of next-token logits; ``token_texts(id) -> str`` names a token.
    Columns: rank, token, id, then p(model), p(temperature), p(top-k), p(top-p)
    (the last is what sampling draws from), and ``kept`` (drawable at all).
    ``table.attrs["kept"]`` counts the tokens each stage leaves drawable.
    """
    if logits.dim() != 1:
        raise ValueError(f"filter_table takes one row of logits; got shape {tuple(logits.shape)}.")
    if isinstance(show, bool) or not isinstance(show, int) or show < 1:
        raise ValueError(f"show must be a whole number of candidates (at least 1); got {show!r}.")
    stages = filter_stages(logits, temperature, top_k, top_p)
    order = torch.argsort(logits.float(), descending=True, stable=True)[:show]  # same order at every stage
    ids = order.tolist()
    table = pd.DataFrame({"rank": range(1, len(ids) + 1), "token": [token_texts(i) for i in ids], "id": ids})
    for stage, probabilities in stages.items():
        table[f"p({stage})"] = probabilities[order].tolist()
    table["kept"] = table["p(top-p)"] > 0
    table.attrs["kept"] = {stage: int((p > 0).sum()) for stage, p in stages.items()}
    return table


def next_token_filters(model, prompt: str, temperature: float = 1.0, top_k: int | None = None,
                       top_p: float | None = None, show: int = 10) -> pd.DataFrame:
    """``filter_table`` for the token after ``prompt``, for a widget or a bar plot."""
    require("next_token", model.name, model.kind)
    logits = model._next_token_logits([prompt])[0].cpu()  # the hub's raw logits, before any reshaping
    return filter_table(logits, model._token_text, temperature, top_k, top_p, show)


def decode(model, prompt: str, strategy: str = "greedy", max_new_tokens: int = 20, seed: int = 0,
           **settings) -> str:
    """The continuation of ``prompt`` with a named strategy (see ``STRATEGIES``) or explicit settings.

    ``decode(model, p, "top-p 0.9")`` or ``decode(model, p, temperature=0.8, top_p=0.95)``.
    """
    if settings:
        chosen = settings
    elif strategy in STRATEGIES:
        chosen = STRATEGIES[strategy]
    else:
        raise ValueError(f"Unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)} or give "
                         "temperature=, top_k=, top_p= yourself.")
    check_temperature(chosen.get("temperature", 1.0), allow_zero=True)
    check_top_k(chosen.get("top_k"))
    check_top_p(chosen.get("top_p"))
    return model.generate(prompt, max_new_tokens, chosen.get("temperature", 1.0), chosen.get("top_k"), seed,
                          chosen.get("top_p"))


def compare_decodings(model, prompt: str, strategies: Sequence[str] = tuple(STRATEGIES), seeds=(0, 1, 2),
                      max_new_tokens: int = 20) -> pd.DataFrame:
    """One row per strategy and seed: the continuation each writes (greedy once: it has no seed)."""
    rows = []
    for name in strategies:
        deterministic = STRATEGIES.get(name, {}).get("temperature", 1.0) == 0
        for seed in seeds[:1] if deterministic else seeds:
            rows.append({"strategy": name, "seed": seed, "text": decode(model, prompt, name, max_new_tokens, seed)})
    return pd.DataFrame(rows)
