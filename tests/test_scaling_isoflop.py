"""Approach 2 on synthetic sweeps: parabola vertices and the exponent they give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lecturekit.scaling.isoflop import fit_exponent, fit_parabola, iso_flop_minima
from lecturekit.scaling.laws import BESIROGLU, HOFFMANN


def test_parabola_finds_a_known_vertex():
    parameters = np.geomspace(1e4, 1e6, 7)
    x = np.log10(parameters)
    losses = 0.3 * (x - 5.2) ** 2 + 2.0
    parabola = fit_parabola(parameters, losses)
    assert parabola.vertex == pytest.approx(5.2) and parabola.inside
    assert parabola(5.2) == pytest.approx(2.0)
    edge = fit_parabola(parameters, 0.3 * (x - 6.5) ** 2)
    assert edge.has_minimum and not edge.inside
    assert not fit_parabola(parameters, -(x - 5) ** 2).has_minimum
    with pytest.raises(ValueError, match="at least 3"):
        fit_parabola([1e4, 1e5], [1.0, 2.0])


def synthetic_runs(law, budgets, noise=0.0, seed=0, points=9):
    """Runs whose losses follow ``law`` along each iso-FLOP line (plus noise)."""
    generator = np.random.default_rng(seed)
    rows = []
    for budget in budgets:
        centre = law.optimal_parameters(budget)
        for parameters in np.geomspace(centre / 8, centre * 8, points):
            loss = law.loss(parameters, budget / (6 * parameters)) + generator.normal(0, noise)
            rows.append({"budget": budget, "parameters": parameters, "validation_loss": loss})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("law", [HOFFMANN, BESIROGLU], ids=lambda law: law.name)
def test_approach_2_recovers_the_laws_exponent(law):
    # Iso-FLOP parabolas are only approximately right for this loss, so a small bias remains.
    runs = synthetic_runs(law, np.geomspace(1e18, 1e22, 5))
    fit = fit_exponent(runs, bootstrap=50)
    assert fit.a == pytest.approx(law.a, abs=0.01)
    assert fit.b == pytest.approx(1 - fit.a)
    assert fit.parameters_at(1e20) == pytest.approx(law.optimal_parameters(1e20), rel=0.1)


def test_noise_widens_the_interval_and_it_covers_the_truth():
    quiet = fit_exponent(synthetic_runs(BESIROGLU, np.geomspace(1e18, 1e22, 5), noise=0.002), bootstrap=300)
    noisy = fit_exponent(synthetic_runs(BESIROGLU, np.geomspace(1e18, 1e22, 5), noise=0.02), bootstrap=300)
    assert noisy.bootstrap_high - noisy.bootstrap_low > quiet.bootstrap_high - quiet.bootstrap_low
    assert noisy.bootstrap_low < BESIROGLU.a < noisy.bootstrap_high
    assert noisy.standard_error > quiet.standard_error


def test_minima_table_and_budgets_without_a_minimum_inside():
    runs = synthetic_runs(BESIROGLU, [1e18, 1e19, 1e20])
    # A fourth budget whose sizes all lie on one side of its optimum.
    far = BESIROGLU.optimal_parameters(1e21)
    extra = [{"budget": 1e21, "parameters": p, "validation_loss": BESIROGLU.loss(p, 1e21 / (6 * p))}
             for p in np.geomspace(far * 4, far * 40, 5)]
    runs = pd.concat([runs, pd.DataFrame(extra)], ignore_index=True)
    minima = iso_flop_minima(runs)
    assert list(minima.inside) == [True, True, True, False]
    fit = fit_exponent(runs, bootstrap=20)
    assert fit.used == (1e18, 1e19, 1e20) and fit.budgets == 4
    with pytest.raises(ValueError, match="at least 3"):
        fit_exponent(runs[runs.budget >= 1e19], bootstrap=20)
