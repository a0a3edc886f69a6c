"""FineTuneDashboard in real JupyterLab: Run trains in the background, Stop ends it, nothing errors.

The test writes a small notebook of its own (tiny settings: lecture-bert on the CPU,
16 labelled reviews, 4 steps) into the server's working copy, runs it, and clicks
the buttons as a learner would.
"""

from __future__ import annotations

import nbformat
import pytest

from .conftest import open_notebook, run_all_cells, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "finetune_dashboard_check.ipynb"
CODE = """\
from lecturekit.widgets import FineTuneDashboard

dashboard = FineTuneDashboard(methods=("linear_probe", "lora"), n_examples=16, steps=4, n_test=16,
                              device="cpu")
dashboard"""
DASHBOARD = ".lk-finetune-dashboard >> nth=0"
STATUS = "() => (document.querySelector('.lk-finetune-dashboard .lk-status') || {}).textContent || ''"


@pytest.fixture
def notebook(lab_workspace):
    path = lab_workspace / NOTEBOOK
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("# Fine-tuning dashboard (browser test)"),
                  nbformat.v4.new_code_cell(CODE)]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, path)
    yield NOTEBOOK
    path.unlink(missing_ok=True)


def test_finetune_dashboard_runs_and_stops_in_jupyterlab(lab_page, lab_server, notebook):
    try:
        _check_dashboard(lab_page, lab_server, notebook)
    except Exception:
        screenshot(lab_page, "finetune_dashboard_failure.png")
        widget = lab_page.locator(".lk-finetune-dashboard")
        print("widget HTML:", widget.first.inner_html()[:3000] if widget.count() else "(no FineTuneDashboard)")
        raise


def _status(page) -> str:
    return page.evaluate(STATUS)


def _check_dashboard(page, lab_server, notebook):
    open_notebook(page, lab_server, notebook)
    run_all_cells(page, timeout=180_000)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'] :text('Traceback')")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    root = page.locator(DASHBOARD)
    root.scroll_into_view_if_needed(timeout=30_000)
    run, stop = root.locator("button.lk-run"), root.locator("button.lk-stop")
    assert run.is_enabled() and stop.is_disabled()
    assert "Tick the methods" in _status(page)

    # Run: both methods train in the kernel's background thread and fill the table.
    run.click()
    page.wait_for_selector(".lk-finetune-dashboard tr.lk-cost-row[data-state='done']", timeout=120_000)
    page.wait_for_function(f"() => ({STATUS})().startsWith('Done: 2 methods')", timeout=120_000)
    assert root.locator("tr.lk-cost-row[data-state='done']").count() == 2
    assert run.is_enabled() and stop.is_disabled()
    image = root.locator("img").first
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 400
    root.locator(".lk-cost-table").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    shot = screenshot(page, "finetune_dashboard_done.png")
    print("screenshot:", shot)

    # A long run (200 steps, typed into the slider's readout), stopped once it has begun.
    readout = root.locator(".widget-readout").first
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("200")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.lk-finetune-dashboard .widget-readout').textContent.trim() === '200'",
        timeout=10_000)
    page.wait_for_timeout(500)  # the new value reaches the kernel
    run.click()
    page.wait_for_function(f"() => /Training linear_probe .*: step [1-9]/.test(({STATUS})())", timeout=60_000)
    assert run.is_disabled() and stop.is_enabled()  # a second Run cannot be clicked while training
    stop.click()
    page.wait_for_selector(".lk-finetune-dashboard tr.lk-cost-row[data-state='stopped']", timeout=60_000)
    page.wait_for_function(f"() => ({STATUS})().startsWith('Stopped after')", timeout=60_000)
    assert root.locator("tr.lk-cost-row[data-state='not run']").count() == 1
    assert "of 200 steps" in root.locator("tr.lk-cost-row[data-state='stopped']").inner_text()
    page.wait_for_function(
        "() => !document.querySelector('.lk-finetune-dashboard button.lk-run').disabled", timeout=10_000)
    assert stop.is_disabled()
    root.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    print("screenshot:", screenshot(page, "finetune_dashboard_stopped.png"))
    assert errors.count() == 0
    assert page.errors == [], page.errors
