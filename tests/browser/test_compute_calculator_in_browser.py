"""Notebook 08 in real JupyterLab: the ComputeCalculator follows its slider, and nothing errors.

The expected optimum after the move is computed here from the value the slider
reports, with the library the widget uses (not written down by hand).
"""

from __future__ import annotations

import re

import pytest

from .conftest import open_notebook, run_all_cells, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "08_scaling.ipynb"
CALCULATOR = ".lk-compute-calculator >> nth=0"


def test_compute_calculator_follows_its_slider(lab_page, lab_server):
    try:
        _check_calculator(lab_page, lab_server)
    except Exception:
        screenshot(lab_page, "08_compute_calculator_failure.png")
        widget = lab_page.locator(".lk-compute-calculator")
        print("widget HTML:", widget.first.inner_html()[:3000] if widget.count() else "(no ComputeCalculator)")
        raise


def _shown(root) -> tuple[str, str]:
    return (root.locator(".lk-optimum-parameters").text_content().strip(),
            root.locator(".lk-budget").text_content().strip())


def _check_calculator(page, lab_server):
    from lecturekit.scaling import chinchilla_optimal, readable

    open_notebook(page, lab_server, NOTEBOOK)
    run_all_cells(page, timeout=300_000)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'] :text('Traceback')")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    root = page.locator(CALCULATOR)
    root.scroll_into_view_if_needed(timeout=30_000)
    root.locator(".lk-optimum-parameters").wait_for(timeout=30_000)
    parameters_before, budget_before = _shown(root)
    assert budget_before == "5.8e23 FLOPs" and parameters_before.endswith("B parameters")
    figure_before = root.locator("img.lk-compute-figure").get_attribute("src")
    screenshot(page, "08_compute_calculator.png")

    # Drag the budget slider's handle to the left, as a person would.
    slider = root.locator(".widget-slider").first
    handle = slider.locator(".noUi-handle, .ui-slider-handle").first
    box = handle.bounding_box()
    assert box is not None, "the budget slider's handle is not visible"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] - 250, box["y"] + box["height"] / 2, steps=10)
    page.mouse.up()
    page.wait_for_function(
        """([before]) => {
            const shown = document.querySelector('.lk-compute-calculator .lk-budget');
            return shown && shown.textContent.trim() !== before;
        }""", arg=[budget_before], timeout=30_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=30_000)
    parameters_after, budget_after = _shown(root)
    assert parameters_after != parameters_before

    # What is shown is the library's optimum for the budget the slider now reports.
    readout = slider.locator(".widget-readout").text_content().strip()
    compute = float(readout)
    assert budget_after == readable.flops(compute)
    expected = readable.count(chinchilla_optimal(compute, fit="besiroglu").parameters, "parameters")
    assert parameters_after == expected
    assert root.locator("img.lk-compute-figure").get_attribute("src") != figure_before
    assert re.search(r"\d", parameters_after)
    screenshot(page, "08_compute_calculator_moved.png")
    assert page.errors == [], page.errors
