"""What every lecturekit widget shares.

A widget here is a pure function (inputs -> HTML or a figure; unit-tested) plus a
thin ipywidgets view. Two things every view needs:

- ``LectureWidget``: a VBox that also carries a static HTML picture of its current
  state in its display data. JupyterLab shows the live widget; GitHub, nbviewer
  and a notebook opened without a kernel show the picture instead of a blank box.
- ``escape``: user text goes through it before it enters any HTML, so a sentence
  containing ``<script>`` or ``<b>`` is shown as text, never run or rendered.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets

from ..text import escape

__all__ = ["LectureWidget", "escape", "model_note_html", "probability_bars_html", "whole_number"]

# Sentences true in the generated lecture world, which the lecture models have read (and
# the real-world facts they have not): widgets start on these, so a lecture model is first
# asked about what it could know.
WORLD_SENTENCE = "Everley University is a university in Berlin."
WORLD_PROMPT = "Liam Larsen was born in"
REAL_WORLD_PROMPT = "The capital of France is"


def knows_only_the_world(model) -> bool:
    """Whether ``model`` is one of the lecture models, trained on the generated world alone."""
    from ..hub.lecture import LECTURE_MODELS

    return getattr(model, "name", None) in LECTURE_MODELS


def model_note_html(model) -> str:
    """A widget's header line saying what the model has read, so no one asks it the wrong world.

    lecture-bert answers "The capital of France is [MASK]." with "great": it never read about
    France. The note says so where the model is offered.
    """
    name = escape(getattr(model, "name", "the model"))
    if knows_only_the_world(model):
        text = (f"<b>{name}</b> has read only the generated lecture world (its people, places, stories and "
                "reviews); it knows nothing of the real world. Ask it about that world, e.g. "
                f"<i>{escape(WORLD_SENTENCE)}</i>")
    else:
        text = f"<b>{name}</b> was pretrained on real-world text; it has never read the lecture world."
    return f"<div class='lk-model-note' style='color:#555;margin:2px 0 4px'>{text}</div>"


def whole_number(value, name: str, low: int = 0, high: int = 2**63 - 1) -> int:
    """``value`` as an int from ``low`` to ``high``, or a ValueError a learner can act on.

    A number box accepts any digits: 99999999999999999999 used to reach torch and come back
    as "Overflow when unpacking long long".
    """
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or (number != value and not isinstance(value, str)):  # 2.5 is not a whole number
        raise ValueError(f"The {name} box says {value!r}: a {name} must be a whole number from {low:,} to {high:,}.")
    if not low <= number <= high:
        raise ValueError(f"The {name} box says {number:,}: a {name} must be a whole number from {low:,} "
                         f"to {high:,}.")
    return number


def drawable(text: str, missing: str = "\u25a1") -> str:
    """User text as matplotlib's font can draw it: unknown glyphs and control characters become □.

    Matplotlib's default font (DejaVu Sans) has no CJK or emoji glyphs; left in a label they
    draw as empty boxes anyway and log a "Glyph missing" warning per character.
    """
    covered = _font_characters()
    return "".join(ch if ord(ch) in covered and ch.isprintable() else missing for ch in str(text))


@lru_cache(maxsize=1)
def _font_characters() -> frozenset:
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(font_manager.FontProperties())
    return frozenset(ft2font.FT2Font(path).get_charmap())


SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider)


def fit_for_projector(widget: widgets.Widget) -> None:
    """Lay a view out for a room: no label cut off ("temperat..."), sliders wide enough to aim.

    ipywidgets gives every description a fixed narrow column and every slider a few hundred
    pixels; on a projector that cuts labels and puts many values under one pixel.
    """
    for child in getattr(widget, "children", ()):
        fit_for_projector(child)
    style = getattr(widget, "style", None)
    if style is not None and hasattr(style, "description_width"):
        style.description_width = "initial"
    if isinstance(widget, widgets.Button) and not widget.layout.width:
        widget.layout.width = "auto"  # a button as wide as its label
    if isinstance(widget, SLIDERS) and not widget.layout.width:
        widget.layout.width = "min(100%, 520px)"


class LectureWidget(widgets.VBox):
    """Base view: subclasses build their controls and implement ``static_html``.

    Every view is laid out for a projector (``fit_for_projector``) once its controls exist.
    """

    def __init__(self, children=(), **kwargs):
        super().__init__(children, **kwargs)
        fit_for_projector(self)

    def static_html(self) -> str:
        """HTML showing the widget's current state, for viewers without a kernel."""
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        try:
            bundle["text/html"] = self.static_html()
        except NotImplementedError:
            pass
        return bundle


def format_probability(p: float) -> str:
    """Three decimals, or two significant digits once three decimals would read 0.000."""
    p = float(p)
    return f"{p:.3f}" if p >= 0.0005 or p == 0 else f"{p:.1e}"


def probability_bars_html(labels, probabilities, title: str = "", relative: bool = False) -> str:
    """A small table of labels with horizontal bars, plain HTML (works without a kernel).

    Labels are user-visible text (tokens, words) and are escaped. With ``relative`` the
    longest bar is the most probable label, so the shape of a very flat distribution (every
    probability near 0) stays visible; the numbers are still the true probabilities.
    """
    # Bars are drawn from the numbers as printed, so a last-digit wobble of the model's
    # arithmetic (another thread count, another CPU) cannot move a bar the numbers do not show.
    shown = [float(format_probability(p)) for p in probabilities]
    largest = max(shown, default=0.0) if relative else 1.0
    rows = []
    for label, p in zip(labels, shown, strict=True):
        width = max(0.0, min(1.0, p / largest if largest > 0 else 0.0)) * 100
        rows.append(
            "<tr>"
            f"<td style='padding:1px 8px;font-family:monospace;white-space:pre'>{escape(label)}</td>"
            f"<td style='width:240px'><div style='background:#4c78a8;height:12px;width:{width:.1f}%'></div></td>"
            f"<td style='padding:1px 8px;text-align:right'>{format_probability(p)}</td>"
            "</tr>"
        )
    caption = f"<caption style='text-align:left'>{escape(title)}</caption>" if title else ""
    return f"<table style='border-collapse:collapse'>{caption}{''.join(rows)}</table>"
