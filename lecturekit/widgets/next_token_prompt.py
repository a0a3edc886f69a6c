"""How the next-token explorer draws the prompt and its candidates: every character the model
reads made visible, each token coloured by how expected it was.

Pure functions of their arguments (no model, no widget); user text goes through ``escape``.
"""

from __future__ import annotations

import math

import pandas as pd

from ..text import neutralise_bidi
from .base import escape


def _colour(probability: float) -> str:
    """Red for surprising tokens, green for expected ones (log scale: 1e-4 .. 1); grey for
    a first token with nothing before it to be predicted from."""
    if math.isnan(probability):
        return "#e6e6e6"
    level = min(1.0, max(0.0, (math.log10(max(probability, 1e-12)) + 4) / 4))
    hue = 120 * level
    return f"hsl({hue:.0f}, 70%, 85%)"


def visible_whitespace(text: str, at_end: bool = False) -> str:
    """Whitespace the model reads but a page hides: newlines and tabs always, spaces at the end."""
    shown = text.replace("\n", "⏎\n").replace("\t", "⇥")
    if at_end:
        stripped = shown.rstrip(" ")
        shown = stripped + "␣" * (len(shown) - len(stripped))
    return shown


def prompt_colours_html(prompt: str, table: pd.DataFrame) -> str:
    """The prompt with each token's characters coloured by its probability under the model.

    A trailing space or newline changes what the model predicts (after "Paris is\n" the
    next token is another line), so such whitespace is drawn, not hidden.
    """
    pieces, cursor = [], 0

    def shown(start: int, end: int) -> str:
        return escape(visible_whitespace(prompt[start:end], at_end=end >= len(prompt.rstrip(" "))))

    for start, end, p in zip(table.start, table.end, table.probability, strict=True):
        start, end = int(start), int(end)
        if start < cursor or end <= start:
            continue
        pieces.append(shown(cursor, start))
        title = "first token: nothing before it" if math.isnan(p) else f"p = {p:.3g}"
        pieces.append(f"<span title='{title}' style='background:{_colour(p)};white-space:pre-wrap'>"
                      f"{shown(start, end)}</span>")
        cursor = end
    pieces.append(shown(cursor, len(prompt)))
    legend = ("<small style='color:#666'>colour = probability of each token given the tokens before it: "
              f"<span style='background:{_colour(1e-4)}'>&nbsp;surprising&nbsp;</span> … "
              f"<span style='background:{_colour(1.0)}'>&nbsp;expected&nbsp;</span></small>")
    return (f"<div class='lk-prompt' style='font-family:monospace;white-space:pre-wrap;margin:4px 0'>"
            f"{''.join(pieces)}</div>{legend}")


def show_token(token: str) -> str:
    """A candidate as the learner should read it: spaces and newlines made visible."""
    return neutralise_bidi(token.replace(" ", "␣").replace("\n", "⏎")) or "∅"  # a button label is not escaped
