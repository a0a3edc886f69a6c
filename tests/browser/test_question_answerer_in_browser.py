"""QuestionAnswerer in real JupyterLab: Enter asks, a picked person asks, hostile text stays text.

The notebook fine-tunes lecture-gpt for a few steps on a handful of questions (the
widget's behaviour is under test here, not the model's knowledge) and shows the widget.
"""

from __future__ import annotations

import nbformat
import pytest

from .conftest import open_notebook, run_all_cells, screenshot, widget_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "question_answerer_check.ipynb"
CODE = """\
from lecturekit import load_model
from lecturekit.finetune.closed_book import fine_tune_qa
from lecturekit.finetune.experiments.common import from_scratch
from lecturekit.widgets import QuestionAnswerer
from lecturekit.world.splits import birthplace_qa

split = birthplace_qa()
gpt = load_model("lecture-gpt", device="cpu")
tuned = fine_tune_qa(gpt, split.train[:32], steps=10)
scratch = fine_tune_qa(from_scratch(gpt), split.train[:32], steps=10)
QuestionAnswerer({"pretrained": tuned, "from scratch": scratch}, people=[q.person for q in split.test[:5]])"""
ROOT = ".lk-question-answerer >> nth=0"
ANSWERS = "() => (document.querySelector('.lk-question-answerer .lk-answers') || {}).textContent || ''"


@pytest.fixture
def notebook(lab_workspace):
    path = lab_workspace / NOTEBOOK
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("# Question answerer (browser test)"), nbformat.v4.new_code_cell(CODE)]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, path)
    yield NOTEBOOK
    path.unlink(missing_ok=True)


def test_question_answerer_answers_and_escapes_in_jupyterlab(projector_page, lab_server, notebook):
    page = projector_page
    try:
        open_notebook(page, lab_server, notebook)
        run_all_cells(page, timeout=240_000)
        root = page.locator(ROOT)
        root.scroll_into_view_if_needed(timeout=60_000)
        page.wait_for_function(f"() => ({ANSWERS})().includes('from scratch')", timeout=60_000)
        first = page.evaluate(ANSWERS)
        assert "pretrained" in first and "checked against the world" in first

        # Typing a hostile question and pressing Enter asks it; the markup stays text.
        box = root.locator("input[type='text']").first
        box.fill("Where was <img src=x onerror=alert(1)><b>Eve</b>\u202eX born?")
        box.press("Enter")
        page.wait_for_function(f"() => ({ANSWERS})().includes('nobody in the lecture world')", timeout=60_000)
        answers = root.locator(".lk-answers")
        assert answers.locator("img").count() == 0 and answers.locator("b:text('Eve')").count() == 0
        assert "[U+202E]" in page.evaluate(ANSWERS)

        # Picking a held-out person asks about them, and says whether each answer is right.
        root.locator("select").first.select_option(index=1)
        page.wait_for_function(f"() => /right|wrong/.test(({ANSWERS})())", timeout=60_000)
        assert not page.errors, page.errors
        print("screenshot:", widget_screenshot(root, "question_answerer.png"))
    except Exception:
        screenshot(page, "question_answerer_failure.png")
        raise
