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

import html

import ipywidgets as widgets


def escape(text: str) -> str:
    """HTML-escape user text (quotes too, since it may land inside attributes)."""
    return html.escape(str(text), quote=True)


class LectureWidget(widgets.VBox):
    """Base view: subclasses build their controls and implement ``static_html``."""

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


def probability_bars_html(labels, probabilities, title: str = "") -> str:
    """A small table of labels with horizontal bars, plain HTML (works without a kernel).

    Labels are user-visible text (tokens, words) and are escaped.
    """
    rows = []
    for label, p in zip(labels, probabilities, strict=True):
        width = max(0.0, min(1.0, float(p))) * 100
        rows.append(
            "<tr>"
            f"<td style='padding:1px 8px;font-family:monospace;white-space:pre'>{escape(label)}</td>"
            f"<td style='width:240px'><div style='background:#4c78a8;height:12px;width:{width:.1f}%'></div></td>"
            f"<td style='padding:1px 8px;text-align:right'>{float(p):.3f}</td>"
            "</tr>"
        )
    caption = f"<caption style='text-align:left'>{escape(title)}</caption>" if title else ""
    return f"<table style='border-collapse:collapse'>{caption}{''.join(rows)}</table>"
