"""What every kind's ``score`` and ``score_candidates`` share: which tokens count, the
``Score`` they add up to, and the checks on a cloze text and its candidates.

How a kind gets the log-probabilities differs (teacher forcing in a causal LM,
one mask at a time in a masked LM, the decoder writing the text in an
encoder-decoder) and lives with that kind; the bookkeeping around them is here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from ..text import BLANK
from .errors import InputError
from .results import Score, Tokens


def scored_positions(tokens: Tokens, context: str, text: str, name: str) -> list[int]:
    """The positions of ``text``'s own tokens: not special, not part of the context before it."""
    positions = [
        i for i, ((s, _), special) in enumerate(zip(tokens.spans, tokens.special, strict=True))
        if not special and s >= len(context)
    ]
    if not positions:
        raise InputError(f"{text!r} gives {name} no tokens to score.")
    return positions


def make_score(tokens: Tokens, positions, log_probs, offset: int, text: str, pseudo: bool = False) -> Score:
    """The ``Score`` of ``text``: a row per scored token, spans shifted by ``offset`` into ``text``.

    Perplexity is exp of the mean negative log-probability per token.
    """
    table = pd.DataFrame(
        {
            "token": [tokens.tokens[i] for i in positions],
            "start": [tokens.spans[i][0] - offset for i in positions],
            "end": [tokens.spans[i][1] - offset for i in positions],
            "log_prob": [float(v) for v in log_probs],
        }
    )
    table.insert(3, "text", [text[s:e] for s, e in zip(table.start, table.end, strict=True)])
    total = float(sum(log_probs))
    return Score(table, total, math.exp(-total / len(positions)), pseudo)


def split_at_blank(text_with_blank) -> tuple[str, str]:
    """The text before and after the one ``___`` blank of a cloze sentence."""
    if not isinstance(text_with_blank, str):
        raise TypeError("text_with_blank must be a string containing one ___ blank.")
    if text_with_blank.count(BLANK) != 1:
        raise InputError(
            f"The text must contain exactly one {BLANK} blank; {text_with_blank[:60]!r} has "
            f"{text_with_blank.count(BLANK)}."
        )
    left, right = text_with_blank.split(BLANK)
    return left, right


def check_candidates(candidates: Sequence[str]) -> list[str]:
    """The candidates as a list, each with some text (an empty one cannot fill a blank)."""
    if isinstance(candidates, str) or not all(isinstance(c, str) for c in candidates):
        raise TypeError("candidates must be a list of strings.")
    candidates = list(candidates)
    if any(not c.strip() for c in candidates):
        raise InputError("Every candidate needs some text; an empty candidate cannot fill a blank.")
    return candidates
