"""What the MaskExplorer shows: the sentence, the predictions and the state one update
computed (dataclasses), drawn as plain HTML.

Pure functions of their arguments (no model, no widget), so the same HTML is the
live view's output and the static picture a notebook stores for readers without
a kernel. Every piece of user text goes through ``escape``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..text import display_token, neutralise_bidi
from .base import escape, probability_bars_html

HINT = "Type a sentence above, then click a token to mask it."


def token_label(token: str, text: str) -> str:
    """What a chip shows: the vocabulary entry, without space or end-of-word markers.

    A chip is a button whose label is plain text, not escaped HTML, so a bidi control is
    neutralised here (a U+202E piece would otherwise reverse the chips after it).
    """
    return neutralise_bidi(display_token(token).strip() or text or token)


@dataclass
class Sentence:
    """The sentence as the model reads it: its text (maybe shortened) and tokens."""

    text: str
    tokens: pd.DataFrame  # columns of LanguageModel.tokenize: token, id, start, end, text, special
    notice: str = ""  # why the text was shortened, shown to the learner

    @property
    def maskable(self) -> list[int]:
        """Positions a learner may mask: every token that is not [CLS], [SEP], ..."""
        return [i for i, special in enumerate(self.tokens.special) if not special]

    @property
    def labels(self) -> list[str]:
        return [token_label(t, x) for t, x in zip(self.tokens.token, self.tokens.text, strict=True)]


@dataclass
class Prediction:
    position: int  # token position in the sentence
    original: str  # the token that was hidden
    table: pd.DataFrame  # rank, token, id, probability


CORRUPTION_COLOURS = {"mask": "#f58518", "random": "#e45756", "keep": "#54a24b", "": "#eeeeee"}


def _chip(label: str, background: str, title: str = "") -> str:
    return (f"<span title='{escape(title)}' style='display:inline-block;margin:2px;padding:1px 6px;"
            f"border-radius:4px;background:{background};font-family:monospace;white-space:pre'>"
            f"{escape(label)}</span>")


def corruption_html(table: pd.DataFrame) -> str:
    chips = "".join(
        _chip(seen, CORRUPTION_COLOURS[how], f"{original} → {how}" if how else original)
        for original, seen, how in zip(table["original"], table["model sees"], table["corruption"], strict=True)
    )
    counts = table.corruption.value_counts()
    legend = " · ".join(
        f"<span style='color:{CORRUPTION_COLOURS[name]}'>■</span> {name} {int(counts.get(name, 0))}"
        for name in ("mask", "random", "keep")
    )
    return (f"<div class='lk-corruption'><b>BERT's 80/10/10 corruption</b> (15% chosen; of those 80% → [MASK], "
            f"10% → a random token, 10% kept; all chosen tokens carry the loss)<br>{chips}<br>"
            f"<small>{legend}</small></div>")


def status_html(device: str, latency_ms: float | None) -> str:
    """The corner note: where the model runs and how long the last update took."""
    latency = f" · last update {latency_ms:.0f} ms" if latency_ms is not None else ""
    return (f"<div class='lk-status' style='float:right;font-size:11px;color:#666'>"
            f"{escape(device)}{latency}</div>")


def mask_explorer_html(
    sentence: Sentence | None,
    masked: list[int],
    predictions: list[Prediction],
    *,
    device: str = "cpu",
    latency_ms: float | None = None,
    corruption: pd.DataFrame | None = None,
    message: str = "",
    chips: bool = True,
    note: str = "",
    header: str = "",
) -> str:
    """The sentence with masked tokens marked, one bar chart per mask, notices, status.

    ``chips=False`` leaves out the sentence (the live view shows it as buttons). ``header`` is
    trusted HTML (``model_note_html``: what the model has read).
    """
    parts = [status_html(device, latency_ms), header]
    if message:
        parts.append(f"<div class='lk-message' style='color:#b00'>{escape(message)}</div>")
    if sentence is None or not sentence.maskable:
        parts.append(f"<div class='lk-hint' style='color:#666'>{escape(HINT)}</div>")
        return "<div class='lk-mask-explorer'>" + "".join(parts) + "</div>"
    for notice in (sentence.notice, note):
        if notice:
            parts.append(f"<div class='lk-notice' style='color:#a60'>{escape(notice)}</div>")
    labels = sentence.labels
    if chips:
        row = "".join(
            _chip("[MASK]" if i in masked else labels[i], "#f58518" if i in masked else "#e8eef7", labels[i])
            for i in sentence.maskable
        )
        parts.append(f"<div class='lk-sentence'>{row}</div>")
    if not masked:
        parts.append("<div class='lk-hint' style='color:#666'>Click a token to mask it.</div>")
    tables = [
        probability_bars_html(list(p.table.token), list(p.table.probability),
                              f"[MASK] at position {p.position} (was {p.original!r})")
        for p in predictions
    ]
    parts.append("<div class='lk-predictions' style='display:flex;flex-wrap:wrap;gap:16px'>"
                 + "".join(f"<div>{t}</div>" for t in tables) + "</div>")
    if corruption is not None:
        parts.append(corruption_html(corruption))
    return "<div class='lk-mask-explorer'>" + "".join(parts) + "</div>"


@dataclass
class MaskState:
    """Everything one update computed; ``html()`` draws it."""

    device: str
    sentence: Sentence | None = None
    masked: list[int] = field(default_factory=list)
    predictions: list[Prediction] = field(default_factory=list)
    latency_ms: float | None = None
    corruption: pd.DataFrame | None = None
    message: str = ""
    note: str = ""
    header: str = ""  # what the model has read (base.model_note_html)

    def html(self, chips: bool = True) -> str:
        return mask_explorer_html(self.sentence, self.masked, self.predictions, device=self.device,
                                  latency_ms=self.latency_ms, corruption=self.corruption,
                                  message=self.message, chips=chips, note=self.note, header=self.header)
