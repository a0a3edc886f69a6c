"""Notebook 00 in real JupyterLab: the first widget renders, responds, and nothing errors."""

from __future__ import annotations

import re

import pytest

from .conftest import open_notebook, run_all_cells, widget_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_temperature_widget_works_in_jupyterlab(projector_page, lab_server):
    page = projector_page  # what a room sees: 1280 x 720 at 1.5 device scale
    open_notebook(page, lab_server, "00_welcome.ipynb")
    run_all_cells(page)
    slider = page.locator(".widget-slider").first
    slider.wait_for(timeout=30_000)
    # At a projector's 720 pixels JupyterLab paints only the cells in view: scroll to the widget.
    slider.scroll_into_view_if_needed(timeout=30_000)
    bars = page.locator(".jp-OutputArea-output:has(.widget-slider) table").first
    bars.wait_for(timeout=30_000)
    bars.scroll_into_view_if_needed(timeout=30_000)
    # textContent, not innerText: a cell JupyterLab has not painted yet has no innerText (the
    # longer welcome page put the bars just below the fold, and CI read '').
    assert "temperature 1" in (bars.text_content() or "")
    # Drag the slider: keyboard steps are exact and do not depend on pixel sizes.
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "() => !/temperature 1\\b/.test(document.querySelector('.jp-OutputArea-output table caption').textContent)",
        timeout=10_000,
    )
    caption = page.locator(".jp-OutputArea-output table caption").first.inner_text()
    assert re.search(r"temperature 0\.\d+", caption), caption
    widget_screenshot(page.locator(".jp-OutputArea-output:has(.jupyter-widgets)").first, "00_welcome_widget_projector.png")
    assert page.errors == [], page.errors
