"""The widget notebooks in real JupyterLab: every cell runs, every widget renders, no JS errors.

Notebook 04's live widgets have their own, deeper test (test_mask_explorer_in_browser.py), and so
does notebook 02's explorer (test_contextual_explorer_in_browser.py); notebook 03 trains models for minutes and has no widget, so it is left to nbval.
"""

from __future__ import annotations

import pytest

from .conftest import open_notebook, run_all_cells, widget_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# notebook -> how many live widget views (ipywidgets boxes) it should show
WIDGET_NOTEBOOKS = {
    "01_subword_tokenization.ipynb": 3,
}


@pytest.mark.parametrize("name", sorted(WIDGET_NOTEBOOKS))
def test_widgets_render_without_errors(projector_page, lab_server, name):
    page = projector_page  # what a room sees: 1280 x 720 at 1.5 device scale
    open_notebook(page, lab_server, name)
    run_all_cells(page, timeout=300_000)
    # No cell raised: a traceback would show as an error output.
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'] :text('Traceback')")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    views = page.locator(".jp-OutputArea-output:has(.jupyter-widgets)")
    views.first.wait_for(timeout=30_000)
    assert views.count() >= WIDGET_NOTEBOOKS[name]
    for index in range(WIDGET_NOTEBOOKS[name]):
        view = views.nth(index)
        view.scroll_into_view_if_needed()
        assert view.bounding_box()["height"] > 40, "widget rendered empty"
        page.wait_for_timeout(300)
        widget_screenshot(view, f"{name.removesuffix('.ipynb')}_widget{index + 1}_projector.png")
    assert page.errors == [], page.errors
