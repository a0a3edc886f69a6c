"""PromptLab in real JupyterLab: it shows a built-in task's prompt, answers and curve; typed pairs
(with HTML and emoji in them) run on Run and come back escaped; nothing errors.

The test writes a small notebook of its own (SmolLM2, 4 items) into the server's working copy.
"""

from __future__ import annotations

import nbformat
import pytest

from .conftest import open_notebook, run_all_cells, screenshot, widget_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "prompt_lab_check.ipynb"
CODE = """\
from lecturekit import load_model
from lecturekit.widgets.prompt_lab import PromptLab

PromptLab(load_model("smollm2-135m"), task="plurals", k=2, items=4)"""
LAB = ".lk-prompt-lab >> nth=0"
TYPED = "<b>cat</b> => cats\ndog => dogs\n🐟 fish => fishes\nbox => boxes\nfox => foxes\nbus => buses"


@pytest.fixture
def notebook(lab_workspace):
    path = lab_workspace / NOTEBOOK
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("# PromptLab (browser test)"), nbformat.v4.new_code_cell(CODE)]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, path)
    yield NOTEBOOK
    path.unlink(missing_ok=True)


def test_prompt_lab_runs_typed_pairs_in_jupyterlab(lab_page, lab_server, notebook):
    try:
        _check_lab(lab_page, lab_server, notebook)
    except Exception:
        screenshot(lab_page, "prompt_lab_failure.png")
        widget = lab_page.locator(".lk-prompt-lab")
        print("widget HTML:", widget.first.inner_html()[:3000] if widget.count() else "(no PromptLab)")
        raise


def _check_lab(page, lab_server, notebook):
    open_notebook(page, lab_server, notebook)
    run_all_cells(page, timeout=240_000)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'] :text('Traceback')")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    root = page.locator(LAB)
    root.locator(".lk-prompt").wait_for(timeout=120_000)
    first_prompt = root.locator(".lk-prompt").text_content()
    assert first_prompt.rstrip().endswith("=>") and first_prompt.count("=>") == 3  # 2 demonstrations + the query
    assert root.locator(".lk-answer-row").count() == 4
    assert root.locator("img.lk-curve").count() == 1

    # Type pairs of one's own, as a learner would, and press Run.
    root.locator("select").first.select_option(label="(type your own pairs)")
    box = root.locator("textarea").first
    box.wait_for(state="visible", timeout=30_000)
    box.fill(TYPED)
    box.press("Tab")  # ipywidgets syncs a textarea's value on change
    root.locator("button", has_text="Run").click()
    page.wait_for_function(
        "() => (document.querySelector('.lk-prompt-lab .lk-prompt') || {}).textContent.includes('<b>cat</b>')",
        timeout=120_000)
    prompt = root.locator(".lk-prompt").text_content()
    # the first item is asked about, behind two of the other pairs: shown as text, not rendered as bold
    assert prompt.rstrip().endswith("<b>cat</b> =>") and prompt.count("=>") == 3
    assert root.locator(".lk-prompt b").count() == 0
    assert root.locator(".lk-answer-row").count() == 4  # 6 pairs, k = 2: four asked
    root.scroll_into_view_if_needed()
    print("screenshot:", widget_screenshot(root, "prompt_lab_typed_pairs.png"))
    assert page.errors == [], page.errors
