"""ComputeCalculator: a training budget in, the compute-optimal model out (LECTURE.md §6).

Choose a budget, in FLOPs or as GPU-hours on an accelerator at some utilisation,
and a fit. The calculator shows the compute-optimal parameters and tokens under
every fit (the chosen one first), the loss along the budget line (the iso-FLOP
curve) with each optimum marked, and where well-known models sit on the
parameters-tokens plane beside each fit's line of optima.

The arithmetic lives in ``lecturekit.scaling`` and is tested there; this module
only turns it into a table, a figure and controls.
"""

from __future__ import annotations

import base64
import io
import math

import ipywidgets as widgets
import numpy as np

from ..scaling import readable
from ..scaling.hardware import (
    ACCELERATORS,
    DEFAULT_UTILISATION,
    compute_for_gpu_hours,
    get_accelerator,
    gpu_hours,
)
from ..scaling.laws import FITS, LOSS_FITS, chinchilla_optimal, get_fit
from ..scaling.published import published_models
from .base import LectureWidget, escape

GOPHER_BUDGET = 5.76e23  # FLOPs; Hoffmann et al. 2022, Table 3
COMPUTE_LOG10_RANGE = (15, 27)  # the slider's range: 1e15 to 1e27 FLOPs
HOURS_LOG10_RANGE = (0, 8)  # 1 to 100 million GPU-hours
FIT_LABELS = {
    "hoffmann": "Hoffmann et al. 2022, approach 3",
    "besiroglu": "Besiroglu et al. 2024 (Epoch AI replication)",
    "20 tokens per parameter": "20 tokens per parameter (rule of thumb)",
}
COLOURS = {"hoffmann": "#d62728", "besiroglu": "#1f77b4", "20 tokens per parameter": "#2ca02c"}
WHY = (
    "Why the fits disagree: Hoffmann et al.'s approach-3 constants (α = 0.34, β = 0.28) make the data term "
    "shrink more slowly than the size term, so a larger budget goes mostly to tokens, ever more per parameter. "
    "Besiroglu et al. 2024 (arXiv:2404.10102) refitted the same training runs, found the printed constants do "
    "not describe them, and got α = 0.35, β = 0.37: about 20 tokens per parameter at every budget, as the "
    "paper's other two approaches (and Chinchilla itself: 70 B parameters, 1.4 T tokens) had it."
)


def budget_flops(mode: str, compute: float, hours: float, gpu: str, utilisation: float) -> float:
    """The budget in FLOPs, whichever way it was given."""
    if mode == "FLOPs":
        return float(compute)
    if mode == "GPU-hours":
        return compute_for_gpu_hours(hours, gpu, utilisation)
    raise ValueError(f"unknown budget mode {mode!r}; choose 'FLOPs' or 'GPU-hours'")


def optimum_rows(compute: float, fit: str) -> list[dict]:
    """Every fit's optimum for ``compute`` FLOPs, the chosen fit first, formatted for people."""
    names = [fit, *(name for name in FITS if name != fit)]
    rows = []
    for name in names:
        best = chinchilla_optimal(compute, fit=name)
        rows.append({
            "fit": name,
            "label": FIT_LABELS.get(name, name),
            "parameters": readable.count(best.parameters, "parameters"),
            "tokens": readable.count(best.tokens, "tokens"),
            "tokens per parameter": f"{best.tokens_per_parameter:.0f}",
            "predicted loss": f"{best.predicted_loss:.2f}" if best.predicted_loss == best.predicted_loss else "—",
            "optimum": best,
        })
    return rows


def summary_html(compute: float, fit: str, gpu: str = "H100", utilisation: float = DEFAULT_UTILISATION,
                 budget_note: str = "") -> str:
    """The headline optimum, every fit side by side, what the budget costs, and why the fits differ."""
    rows = optimum_rows(compute, fit)
    chosen = rows[0]
    best = chosen["optimum"]
    loss = (f", predicted loss <b>{chosen['predicted loss']}</b>" if get_fit(fit).predicts_loss
            else " (a rule of thumb: it predicts sizes, not a loss)")
    cost = readable.hours(gpu_hours(compute, gpu, utilisation))
    note = budget_note or f"{cost} on {escape(gpu)} at {utilisation:.0%} of peak"
    cell = "padding:4px 12px;border-bottom:1px solid #ddd;text-align:left"
    header = "".join(f"<th style='{cell}'>{escape(h)}</th>"
                     for h in ("fit", "parameters", "tokens", "tokens per parameter", "predicted loss"))
    body = "".join(
        f"<tr style='{'font-weight:bold;background:#eef4fb' if i == 0 else ''}'>"
        + "".join(f"<td style='{cell}'>{escape(row[key])}</td>"
                  for key in ("label", "parameters", "tokens", "tokens per parameter", "predicted loss"))
        + "</tr>"
        for i, row in enumerate(rows))
    return (
        "<div class='lk-compute-summary' style='font-size:17px;line-height:1.45'>"
        f"<div>Budget: <b class='lk-budget'>{readable.flops(compute)}</b> ({note})</div>"
        f"<div class='lk-optimum' style='font-size:20px;margin:6px 0'>{escape(chosen['label'])}: "
        f"<b class='lk-optimum-parameters'>{escape(chosen['parameters'])}</b> trained on "
        f"<b class='lk-optimum-tokens'>{escape(chosen['tokens'])}</b> "
        f"({best.tokens_per_parameter:.0f} tokens per parameter){loss}</div>"
        f"<table style='border-collapse:collapse;font-size:16px'><tr>{header}</tr>{body}</table>"
        f"<p class='lk-why' style='max-width:70em;font-size:15px'>{escape(WHY)}</p>"
        "</div>"
    )


def _count_ticks(value, _position=None) -> str:
    return readable.count(value) if value > 0 else ""


# Where each model's label sits relative to its point, in points (the 70B models crowd).
LABEL_OFFSETS = {"Chinchilla 70B": (8, -16), "LLaMA 65B": (-10, 8), "Llama 2 70B": (8, 4), "Llama 3 70B": (8, -13),
                 "Llama 3 8B": (-8, 6), "GPT-3 175B": (-12, -18), "Gopher 280B": (8, -4)}
RIGHT_ALIGNED = {"LLaMA 65B", "Llama 3 8B", "GPT-3 175B"}


def calculator_figure(compute: float, fit: str, figsize=(15, 6.4)):
    """Left: loss along the budget line under each fit. Right: the N-D plane with published models."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    chosen = get_fit(fit).name
    with plt.rc_context({"font.size": 14, "axes.titlesize": 16, "axes.labelsize": 15, "legend.fontsize": 12}):
        figure, (left, right) = plt.subplots(1, 2, figsize=figsize)
        optima = {name: chinchilla_optimal(compute, fit=name) for name in FITS}
        centre = math.sqrt(min(o.parameters for o in optima.values()) * max(o.parameters for o in optima.values()))
        grid = np.geomspace(centre / 40, centre * 40, 200)
        for name in LOSS_FITS:
            law = get_fit(name)
            losses = law.loss(grid, compute / (6 * grid))
            bold = name == chosen
            left.plot(grid, losses, color=COLOURS[name], lw=3.5 if bold else 1.8, alpha=1 if bold else 0.6,
                      label=FIT_LABELS[name])
            left.plot(optima[name].parameters, optima[name].predicted_loss, "o", color=COLOURS[name],
                      ms=12 if bold else 8, markeredgecolor="black")
        rule = optima["20 tokens per parameter"].parameters
        left.axvline(rule, color=COLOURS["20 tokens per parameter"], ls="--",
                     lw=3 if chosen == "20 tokens per parameter" else 1.8, label=FIT_LABELS["20 tokens per parameter"])
        left.set_xscale("log")
        left.set_xlabel("parameters N  (tokens D = C / 6N)")
        left.set_ylabel("predicted loss")
        left.set_title(f"Loss along the budget line, C = {readable.flops(compute)}")
        left.xaxis.set_major_formatter(FuncFormatter(_count_ticks))
        left.legend(loc="upper center")
        left.grid(alpha=0.3)

        table = published_models()
        budgets = np.geomspace(1e14, 1e28, 80)
        for name in FITS:
            law = get_fit(name)
            sizes = np.array([law.optimal_parameters(c) for c in budgets])
            right.plot(sizes, budgets / (6 * sizes), color=COLOURS[name], lw=3.5 if name == chosen else 1.8,
                       alpha=1 if name == chosen else 0.6, label=f"optimum: {name}")
        # The published models' region, widened to keep this budget's optima in view.
        low_n = min(1e8, *(o.parameters / 3 for o in optima.values()))
        high_n = max(3e12, *(o.parameters * 3 for o in optima.values()))
        low_d = min(1e10, *(o.tokens / 3 for o in optima.values()))
        high_d = max(1e14, *(o.tokens * 3 for o in optima.values()))
        line = np.geomspace(low_n, high_n, 20)
        right.plot(line, compute / (6 * line), color="grey", ls=":", lw=2, label="this budget (C = 6ND)")
        here = optima[chosen]
        right.plot(here.parameters, here.tokens, "*", color=COLOURS[chosen], ms=22, markeredgecolor="black", zorder=5)
        right.scatter(table.parameters, table.tokens, color="black", s=40, zorder=4)
        for model, row in table.iterrows():
            dx, dy = LABEL_OFFSETS.get(model, (8, 4))
            right.annotate(model, (row.parameters, row.tokens), xytext=(dx, dy), textcoords="offset points",
                           fontsize=12, ha="right" if model in RIGHT_ALIGNED else "left", va="center")
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlim(low_n, high_n)
        right.set_ylim(low_d, high_d)
        right.set_xlabel("parameters N")
        right.set_ylabel("training tokens D")
        right.set_title("Published models and each fit's optima")
        right.xaxis.set_major_formatter(FuncFormatter(_count_ticks))
        right.yaxis.set_major_formatter(FuncFormatter(_count_ticks))
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)  # below: it hides no model
        right.grid(alpha=0.3)
        figure.tight_layout()
    plt.close(figure)
    return figure


def figure_html(figure, dpi: int = 80) -> str:
    """The figure as an inline PNG: it shows without a kernel and loads nothing from the network."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img class='lk-compute-figure' style='max-width:100%' src='data:image/png;base64,{data}'/>"


class ComputeCalculator(LectureWidget):
    """A compute budget (FLOPs, or GPU-hours x accelerator x utilisation) and a fit, to the optimal N and D."""

    def __init__(self, compute: float = GOPHER_BUDGET, fit: str = "besiroglu", gpu_hours: float = 1000.0,
                 gpu: str = "H100", utilisation: float = DEFAULT_UTILISATION, mode: str = "FLOPs"):
        get_fit(fit)  # an unknown fit or accelerator fails here, with the valid names
        get_accelerator(gpu)
        budget_flops(mode, GOPHER_BUDGET, gpu_hours, gpu, utilisation)  # and so do bad GPU settings
        wide = widgets.Layout(width="95%")
        low, high = COMPUTE_LOG10_RANGE
        self.mode = widgets.ToggleButtons(options=["FLOPs", "GPU-hours"], value=mode, description="budget in")
        self.fit = widgets.Dropdown(options=[(FIT_LABELS[name], name) for name in FITS], value=fit,
                                    description="fit", layout=widgets.Layout(width="34em"))
        self.compute = widgets.FloatLogSlider(
            value=min(max(compute, 10 ** low), 10 ** high), base=10, min=low, max=high, step=0.01,
            description="compute budget (FLOPs)", readout_format=".2e", continuous_update=False, layout=wide)
        self.hours = widgets.FloatLogSlider(value=gpu_hours, base=10, min=HOURS_LOG10_RANGE[0],
                                            max=HOURS_LOG10_RANGE[1], step=0.01, description="GPU-hours",
                                            readout_format=",.0f", continuous_update=False,
                                            layout=widgets.Layout(width="50%"))
        self.gpu = widgets.Dropdown(options=list(ACCELERATORS), value=gpu, description="accelerator")
        self.utilisation = widgets.FloatSlider(value=utilisation, min=0.05, max=1.0, step=0.05,
                                               description="utilisation (share of peak)", readout_format=".0%",
                                               continuous_update=False)
        self.hours_row = widgets.HBox([self.hours, self.gpu, self.utilisation],
                                      layout=widgets.Layout(width="100%", flex_flow="row wrap"))
        self.summary = widgets.HTML()
        self.picture = widgets.HTML()
        for control in (self.mode, self.fit, self.compute, self.hours, self.gpu, self.utilisation):
            control.observe(lambda change: self._update(), names="value")
        super().__init__([widgets.HBox([self.mode, self.fit], layout=widgets.Layout(flex_flow="row wrap")),
                          self.compute, self.hours_row, self.summary, self.picture],
                         layout=widgets.Layout(width="100%"))
        self.add_class("lk-compute-calculator")
        self._update()

    @property
    def budget(self) -> float:
        return budget_flops(self.mode.value, self.compute.value, self.hours.value, self.gpu.value,
                            self.utilisation.value)

    def _update(self) -> None:
        flops_mode = self.mode.value == "FLOPs"
        self.compute.layout.display = None if flops_mode else "none"
        self.hours_row.layout.display = "none" if flops_mode else None
        self.summary.value = self._summary()
        self.picture.value = figure_html(calculator_figure(self.budget, self.fit.value))

    def _summary(self) -> str:
        note = ""
        if self.mode.value == "GPU-hours":
            note = (f"{readable.hours(self.hours.value)} on {self.gpu.value} at {self.utilisation.value:.0%} "
                    "of peak")
        return summary_html(self.budget, self.fit.value, self.gpu.value, self.utilisation.value, note)

    def static_html(self) -> str:
        return self.summary.value + self.picture.value
