"""Reading a sweep: the minimum of each iso-FLOP curve, and how it moves with compute.

Hoffmann et al. 2022 (approach 2) fit a parabola to loss against log N for each
budget and take its vertex as that budget's compute-optimal size N_opt; then a
straight line through log N_opt against log C gives the exponent a of
N_opt ∝ C^a. They found a ≈ 0.49; with D = C/(6N), tokens then grow as C^(1-a).

Two uncertainties are reported for a:

- the standard error of the straight-line fit (few budgets: few degrees of freedom);
- a residual bootstrap: each budget's losses are redrawn as its parabola plus
  resampled residuals of that parabola, the vertices refitted and the line
  refitted, many times; the middle 95% of the slopes is the interval.

Neither covers what a single seed, a single learning rate or this tiny corpus hide.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHINCHILLA_APPROACH_2_A = 0.49  # Hoffmann et al. 2022, Table 2
CHINCHILLA_APPROACH_1_A = 0.50


@dataclass(frozen=True)
class Parabola:
    """loss ≈ c2·x² + c1·x + c0 with x = log10 N."""

    c2: float
    c1: float
    c0: float
    low: float  # the measured range of x
    high: float

    @property
    def has_minimum(self) -> bool:
        return self.c2 > 0

    @property
    def vertex(self) -> float:
        """log10 of the N at the lowest point (nan when the parabola opens downwards)."""
        return -self.c1 / (2 * self.c2) if self.has_minimum else float("nan")

    @property
    def inside(self) -> bool:
        """Whether the minimum lies within the measured sizes (else it is an extrapolation)."""
        return self.has_minimum and self.low <= self.vertex <= self.high

    def __call__(self, x):
        return self.c2 * np.square(x) + self.c1 * np.asarray(x) + self.c0


def fit_parabola(parameters, losses) -> Parabola:
    """Least-squares parabola of loss against log10 N (needs three or more sizes)."""
    x = np.log10(np.asarray(parameters, dtype=float))
    y = np.asarray(losses, dtype=float)
    if len(np.unique(x)) < 3:
        raise ValueError(f"a parabola needs at least 3 different sizes, got {len(np.unique(x))}")
    c2, c1, c0 = np.polyfit(x, y, 2)
    return Parabola(float(c2), float(c1), float(c0), float(x.min()), float(x.max()))


def iso_flop_minima(runs):
    """One row per budget: the fitted optimum, the best measured run, and whether the fit is usable."""
    import pandas as pd

    rows = []
    for budget, group in runs.groupby("budget", sort=True):
        parabola = fit_parabola(group.parameters, group.validation_loss)
        best = group.loc[group.validation_loss.idxmin()]
        rows.append({
            "budget": budget,
            "sizes": len(group),
            "best_measured_parameters": int(best.parameters),
            "best_measured_loss": float(best.validation_loss),
            "fitted_parameters": 10 ** parabola.vertex if parabola.has_minimum else float("nan"),
            "fitted_loss": float(parabola(parabola.vertex)) if parabola.has_minimum else float("nan"),
            "inside": parabola.inside,
        })
    table = pd.DataFrame(rows)
    table["fitted_tokens"] = table.budget / (6 * table.fitted_parameters)
    table["tokens_per_parameter"] = table.fitted_tokens / table.fitted_parameters
    return table


@dataclass(frozen=True)
class ExponentFit:
    """N_opt ≈ 10^intercept · C^a, fitted through the iso-FLOP minima."""

    a: float
    standard_error: float
    intercept: float
    bootstrap_low: float  # 2.5th percentile of the bootstrap slopes
    bootstrap_high: float  # 97.5th percentile
    budgets: int
    used: tuple[float, ...]  # the budgets whose minimum lies inside the measured sizes

    @property
    def b(self) -> float:
        """D_opt ∝ C^b, b = 1 - a (since N·D = C/6)."""
        return 1 - self.a

    def parameters_at(self, compute):
        return 10 ** self.intercept * np.power(compute, self.a)


def _line(x, y):
    from scipy import stats

    fit = stats.linregress(x, y)
    return fit.slope, fit.intercept, fit.stderr


def fit_exponent(runs, bootstrap: int = 2000, seed: int = 0) -> ExponentFit:
    """Fit a in N_opt ∝ C^a from a sweep's runs (a table with budget, parameters, validation_loss).

    Only budgets whose parabola has its minimum inside the measured sizes are used.
    """
    minima = iso_flop_minima(runs)
    usable = minima[minima.inside]
    if len(usable) < 3:
        raise ValueError(f"only {len(usable)} budgets have a minimum inside their measured sizes; "
                         "a slope with an uncertainty needs at least 3")
    x = np.log10(usable.budget.to_numpy())
    slope, intercept, stderr = _line(x, np.log10(usable.fitted_parameters.to_numpy()))

    # Residual bootstrap, budget by budget.
    generator = np.random.default_rng(seed)
    groups = [runs[runs.budget == budget] for budget in usable.budget]
    fits = []
    for group in groups:
        parabola = fit_parabola(group.parameters, group.validation_loss)
        logs = np.log10(group.parameters.to_numpy(dtype=float))
        fitted = parabola(logs)
        residuals = group.validation_loss.to_numpy() - fitted
        # Residuals of a 3-parameter fit are smaller than the noise; scale them back up.
        residuals = residuals * np.sqrt(len(logs) / max(len(logs) - 3, 1))
        fits.append((group.parameters.to_numpy(dtype=float), fitted, residuals))
    slopes = []
    for _ in range(bootstrap):
        vertices = []
        for parameters, fitted, residuals in fits:
            losses = fitted + generator.choice(residuals, size=len(residuals), replace=True)
            vertices.append(fit_parabola(parameters, losses).vertex)
        vertices = np.array(vertices)
        if np.all(np.isfinite(vertices)):
            slopes.append(_line(x, vertices)[0])
    low, high = np.percentile(slopes, [2.5, 97.5])
    return ExponentFit(a=float(slope), standard_error=float(stderr), intercept=float(intercept),
                       bootstrap_low=float(low), bootstrap_high=float(high), budgets=len(minima),
                       used=tuple(float(b) for b in usable.budget))
