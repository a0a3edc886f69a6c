"""The sweep's two pictures: iso-FLOP curves, and optimal size against compute."""

from __future__ import annotations

import numpy as np

from . import readable
from .isoflop import CHINCHILLA_APPROACH_1_A, ExponentFit, fit_parabola, iso_flop_minima


def plot_sweep(runs, fit: ExponentFit, live=None, figsize=(15, 5.4)):
    """Left: loss against N for each budget, with its parabola and minimum. Right: N_opt against C."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    ticks = FuncFormatter(lambda value, _position=None: readable.count(value) if value > 0 else "")
    with plt.rc_context({"font.size": 13, "axes.titlesize": 15, "axes.labelsize": 14, "legend.fontsize": 11}):
        figure, (left, right) = plt.subplots(1, 2, figsize=figsize)
        minima = iso_flop_minima(runs)
        colours = plt.cm.viridis(np.linspace(0.05, 0.85, len(minima)))
        for colour, (budget, group) in zip(colours, runs.groupby("budget", sort=True), strict=True):
            parabola = fit_parabola(group.parameters, group.validation_loss)
            left.plot(group.parameters, group.validation_loss, "o", color=colour, ms=8,
                      label=f"C = {readable.flops_number(budget)} FLOPs")
            x = np.linspace(parabola.low, parabola.high, 100)
            left.plot(10 ** x, parabola(x), "-", color=colour, lw=1.5, alpha=0.8)
            if parabola.has_minimum:
                left.plot(10 ** parabola.vertex, parabola(parabola.vertex), "*", ms=18, markeredgecolor="black",
                          color=colour if parabola.inside else "white")
        if live is not None:
            budgets = ", ".join(readable.flops_number(b) for b in sorted(set(live.budget)))
            left.plot(live.parameters, live.validation_loss, "x", color="black", ms=10, mew=2,
                      label=f"live sweep, C = {budgets}")
        left.set_xscale("log")
        left.set_xlabel("parameters N")
        left.set_ylabel("validation loss")
        left.set_title("Iso-FLOP curves (star: fitted minimum; white: outside the sizes)")
        left.xaxis.set_major_formatter(ticks)
        left.legend(loc="upper right")
        left.grid(alpha=0.3)

        used = minima[minima.budget.isin(fit.used)]
        budgets = np.geomspace(used.budget.min() / 2, used.budget.max() * 2, 50)
        right.plot(used.budget, used.fitted_parameters, "o", color="black", ms=9, label="fitted minima")
        right.plot(budgets, fit.parameters_at(budgets), "-", color="#1f77b4", lw=2.5,
                   label=f"fit: N_opt ∝ C^{fit.a:.2f}")
        # The spread of the bootstrap slopes, drawn through the middle of the data.
        middle_c = 10 ** np.mean(np.log10(used.budget))
        middle_n = fit.parameters_at(middle_c)
        for slope, style in ((fit.bootstrap_low, "--"), (fit.bootstrap_high, "--")):
            right.plot(budgets, middle_n * (budgets / middle_c) ** slope, style, color="#1f77b4", lw=1.2)
        right.plot(budgets, middle_n * (budgets / middle_c) ** CHINCHILLA_APPROACH_1_A, ":", color="#d62728", lw=2.5,
                   label=f"Chinchilla: N_opt ∝ C^{CHINCHILLA_APPROACH_1_A:.2f}")
        right.plot([], [], "--", color="#1f77b4", lw=1.2, label="bootstrap 95% range of the slope")
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlabel("compute C (FLOPs)")
        right.set_ylabel("compute-optimal parameters N_opt")
        right.set_title("How the optimal size grows with compute")
        right.yaxis.set_major_formatter(ticks)
        right.xaxis.set_major_formatter(FuncFormatter(lambda value, _position=None: readable.flops_number(value, 1)))
        right.legend(loc="upper left")
        right.grid(alpha=0.3)
        figure.tight_layout()
    plt.close(figure)
    return figure
