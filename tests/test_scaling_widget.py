"""ComputeCalculator: its pure functions, and the view responding to its controls."""

from __future__ import annotations

import pytest

from lecturekit.scaling import chinchilla_optimal, compute_for_gpu_hours
from lecturekit.widgets.compute_calculator import (
    ComputeCalculator,
    budget_flops,
    calculator_figure,
    optimum_rows,
    summary_html,
)


def test_budget_in_flops_or_gpu_hours():
    assert budget_flops("FLOPs", 1e21, 10, "H100", 0.4) == 1e21
    assert budget_flops("GPU-hours", 1e21, 1000, "A100", 0.5) == compute_for_gpu_hours(1000, "A100", 0.5)
    with pytest.raises(ValueError, match="'FLOPs' or 'GPU-hours'"):
        budget_flops("dollars", 1e21, 10, "H100", 0.4)
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        budget_flops("GPU-hours", 1e21, 10, "H100", 1.5)


def test_rows_put_the_chosen_fit_first_and_read_like_people_write():
    rows = optimum_rows(5.76e23, "hoffmann")
    assert [r["fit"] for r in rows] == ["hoffmann", "besiroglu", "20 tokens per parameter"]
    rule = rows[2]
    assert rule["parameters"] == "69.3 B parameters" and rule["tokens"] == "1.39 T tokens"
    assert rule["tokens per parameter"] == "20" and rule["predicted loss"] == "—"


def test_summary_shows_the_optimum_every_fit_the_cost_and_why():
    html = summary_html(5.76e23, "besiroglu", gpu="H100", utilisation=0.4)
    best = chinchilla_optimal(5.76e23, fit="besiroglu")
    assert "5.8e23 FLOPs" in html
    assert f"{best.parameters / 1e9:.1f} B parameters" in html
    assert "GPU-hours on H100 at 40% of peak" in html
    assert "Besiroglu et al. 2024" in html and "Hoffmann et al." in html and "arXiv:2404.10102" in html
    assert "predicts sizes, not a loss" in summary_html(1e21, "20 tokens per parameter")


def test_figure_has_both_panels_and_every_published_model():
    figure = calculator_figure(1e22, "hoffmann")
    left, right = figure.axes
    labels = {text.get_text() for text in right.texts}
    assert {"GPT-3 175B", "Chinchilla 70B", "Llama 3 8B"} <= labels
    assert left.get_xscale() == "log" and right.get_yscale() == "log"
    assert "1.0e22 FLOPs" in left.get_title()


def test_view_updates_as_the_slider_moves():
    calculator = ComputeCalculator(compute=1e21)
    before = calculator.static_html()
    assert "lk-optimum-parameters" in before and "data:image/png;base64," in before
    calculator.compute.value = 1e24
    after = calculator.static_html()
    assert after != before and "1.0e24 FLOPs" in after
    calculator.fit.value = "hoffmann"
    assert "Hoffmann et al. 2022, approach 3: " in calculator.summary.value


def test_view_in_gpu_hours():
    calculator = ComputeCalculator(mode="GPU-hours", gpu_hours=1000, gpu="H100", utilisation=0.4)
    assert calculator.compute.layout.display == "none" and calculator.hours_row.layout.display is None
    assert calculator.budget == pytest.approx(compute_for_gpu_hours(1000, "H100", 0.4))
    assert "1,000 GPU-hours on H100" in calculator.summary.value
    calculator.gpu.value = "A100"
    assert calculator.budget == pytest.approx(compute_for_gpu_hours(1000, "A100", 0.4))
    calculator.mode.value = "FLOPs"
    assert calculator.hours_row.layout.display == "none"


def test_readable_on_a_projector():
    calculator = ComputeCalculator()
    for control in (calculator.compute, calculator.hours, calculator.gpu, calculator.utilisation, calculator.fit):
        assert control.style.description_width == "initial"
    assert calculator.layout.width == "100%"


def test_bad_arguments():
    with pytest.raises(ValueError, match="besiroglu"):
        ComputeCalculator(fit="kaplan")
    with pytest.raises(ValueError, match="'A100'"):
        ComputeCalculator(gpu="TPU")
