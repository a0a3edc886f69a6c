"""What the FineTuneDashboard shows, as pure functions: the curves, the cost table, the status line.

``curves_figure`` draws every method's held-out loss and accuracy in one matplotlib
figure (object API, no pyplot state, so a background thread may draw it);
``cost_table_html`` is the table that fills in as methods finish (every cell escaped);
``summary_text`` and ``status_html`` say how a run went.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from .base import drawable, escape
from .finetune_runs import MEASURE_BATCH, MethodRun

METHOD_COLOURS = {
    "full": "#4c78a8", "linear_probe": "#f58518", "top_layers": "#54a24b",
    "prompt_tuning": "#b279a2", "prefix_tuning": "#9d755d", "lora": "#e45756",
}
OTHER_COLOUR = "#7f7f7f"
HINT = "Tick the methods to compare and press Run."

def summary_text(runs: Sequence[MethodRun]) -> str:
    """One line on how a finished (or stopped) set of runs went."""
    if not runs:
        return HINT
    parts = []
    stopped = [r for r in runs if r.state == "stopped"]
    done = [r for r in runs if r.state == "done"]
    if stopped:
        parts.append(f"Stopped after {stopped[0].steps_done} steps of {stopped[0].method}.")
    elif done and len(done) == len(runs):
        parts.append(f"Done: {len(done)} method{'s' if len(done) != 1 else ''} trained for {runs[0].steps} steps.")
    if done:
        scored = [r for r in done if r.accuracy is not None]
        if scored:
            best = max(scored, key=lambda r: r.accuracy)
            parts.append(f"Best held-out accuracy: {best.method} {best.accuracy:.0%}.")
    for run in runs:
        if run.state in ("not applicable", "failed"):
            verb = "does not apply" if run.state == "not applicable" else "failed"
            parts.append(f"{run.method} {verb}: {run.message}")
    not_run = [r.method for r in runs if r.state == "not run"]
    if not_run:
        parts.append(f"Not run: {', '.join(not_run)}.")
    return " ".join(parts) or HINT


def status_html(text: str, tone: str = "info") -> str:
    """The status line; ``tone`` is info, busy or error (the colour)."""
    colour = {"info": "#333", "busy": "#1f5fa8", "error": "#b00"}.get(tone, "#333")
    return (f"<div class='lk-status lk-status-{escape(tone)}' style='font-size:15px;color:{colour};"
            f"margin:4px 0;white-space:pre-wrap'>{escape(text)}</div>")


# ------------------------------------------------------------------- figure and table


def curves_figure(histories: Mapping[str, object], *, notes: Mapping[str, str] | None = None,
                  chance: float | None = None, figsize=(12, 4.2)):
    """Left: training-batch loss (faint) and held-out loss per method. Right: held-out accuracy.

    ``histories`` maps a method to its ``FineTuneHistory``; ``notes`` adds a word to a
    method's legend entry (e.g. "stopped"). Drawn with matplotlib's object API on an
    Agg canvas (no pyplot), so a background thread may draw it.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    notes = notes or {}
    figure = Figure(figsize=figsize)
    FigureCanvasAgg(figure)
    loss_axis, accuracy_axis = figure.subplots(1, 2)
    for method, history in histories.items():
        colour = METHOD_COLOURS.get(method, OTHER_COLOUR)
        label = drawable(method) + (f" ({drawable(notes[method])})" if notes.get(method) else "")
        loss_axis.plot(history.step, history.train_loss, color=colour, alpha=0.3, lw=1)
        loss_axis.plot(history.eval_step, history.eval_loss, "o-", color=colour, ms=3, lw=2, label=label)
        accuracy_axis.plot(history.eval_step, history.accuracy, "o-", color=colour, ms=3, lw=2, label=label)
    if chance is not None and histories:
        accuracy_axis.axhline(chance, color="#999", ls="--", lw=1, label="chance")
    loss_axis.set_title("loss (faint: training batch; line: held-out)")
    loss_axis.set_xlabel("optimizer step")
    loss_axis.set_ylabel("cross-entropy (nats)")
    accuracy_axis.set_title("held-out accuracy (unseen sentiment words)")
    accuracy_axis.set_xlabel("optimizer step")
    accuracy_axis.set_ylabel("accuracy")
    accuracy_axis.set_ylim(0, 1.02)
    if not histories:
        for axis in (loss_axis, accuracy_axis):
            axis.text(0.5, 0.5, "press Run", ha="center", va="center", color="#999", transform=axis.transAxes,
                      fontsize=14)
    else:
        loss_axis.legend(loc="best", fontsize=9)
        accuracy_axis.legend(loc="lower right", fontsize=9)
    for axis in (loss_axis, accuracy_axis):
        axis.grid(alpha=0.3)
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    # Fixed margins, not tight_layout: that draws the figure once more, and the view redraws it often.
    figure.subplots_adjust(left=0.065, right=0.99, bottom=0.13, top=0.92, wspace=0.18)
    return figure


def figure_png(figure, dpi: int = 80) -> bytes:
    """The figure as PNG bytes (for an ``ipywidgets.Image``, or inline in HTML)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _bytes_text(n: int | None) -> str:
    if n is None:
        return "—"
    for unit, size in (("MB", 2**20), ("KB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} B"


COLUMNS = ("method", "state", "held-out accuracy", "trainable parameters", "% of the model",
           "seconds per step", "optimizer state", "note")


def cost_rows(runs: Sequence[MethodRun]) -> list[dict[str, str]]:
    """The table's cells, as text, one dict per method."""
    rows = []
    for run in runs:
        share = run.share
        rows.append({
            "method": run.method,
            "state": run.state_text(),
            "held-out accuracy": "—" if run.accuracy is None else f"{run.accuracy:.0%}",
            "trainable parameters": "—" if run.trainable is None else f"{run.trainable:,}",
            "% of the model": "—" if share is None else f"{share:.3g}%",
            "seconds per step": "—" if run.seconds_per_step is None else f"{run.seconds_per_step:.3f}",
            "optimizer state": _bytes_text(run.optimizer_bytes),
            "note": run.message,
        })
    return rows


# The header each column shows (short, so that eight columns fit a notebook's width).
HEADERS = {"trainable parameters": "trainable params", "% of the model": "% of model",
           "seconds per step": "s per step"}
NO_WRAP = {"method", "state", "held-out accuracy", "trainable parameters", "% of the model", "seconds per step",
           "optimizer state"}


def _note_width(text: str) -> str:
    return "min-width:14em;max-width:30em" if text else ""


def cost_table_html(rows: Sequence[MethodRun]) -> str:
    """What each method cost and how well it did, one row per method (every cell escaped)."""
    cell = "padding:3px 10px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top"
    header = "".join(f"<th style='{cell}'>{escape(HEADERS.get(name, name))}</th>" for name in COLUMNS)
    body = []
    for run, cells in zip(rows, cost_rows(rows), strict=True):
        shade = {"running": "background:#eef4fb", "failed": "color:#b00",
                 "not applicable": "color:#a60", "stopped": "color:#a60"}.get(run.state, "")
        tds = "".join(
            f"<td style='{cell};{'white-space:nowrap' if name in NO_WRAP else _note_width(cells[name])}'>"
            f"{escape(cells[name])}</td>"
            for name in COLUMNS)
        body.append(f"<tr class='lk-cost-row' data-state='{escape(run.state)}' style='{shade}'>{tds}</tr>")
    if not body:
        body.append(f"<tr><td colspan='{len(COLUMNS)}' style='{cell};color:#666'>{escape(HINT)}</td></tr>")
    explanation = ("<p class='lk-cost-explanation' style='font-size:13px;color:#555;margin:4px 0;"
                   "max-width:60em'>Seconds per step and optimizer state: one training step on a batch of "
                   f"{MEASURE_BATCH}, measured by lecturekit.finetune.measure_costs after training. "
                   "% of the model: trainable parameters over all the parameters of the network "
                   "being fine-tuned (adapters and classifier included).</p>")
    # A table wider than the notebook scrolls sideways instead of being cut off.
    return ("<div class='lk-cost' style='max-width:100%;overflow-x:auto'>"
            "<table class='lk-cost-table' style='border-collapse:collapse;font-size:15px'>"
            f"<tr>{header}</tr>{''.join(body)}</table>{explanation}</div>")


# ------------------------------------------------------------------- view
