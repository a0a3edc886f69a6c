"""A class's worth of use must never touch the tracked lessons.

Opened, run and saved in real JupyterLab as `make lab` serves it, a notebook changes only
in the learner's working copy; the repository's notebooks/ stay byte-identical, and the
notebook opens clean (no unsaved-changes mark, no news pop-up).
"""

from __future__ import annotations

import hashlib

import pytest

from .conftest import ROOT, open_notebook, run_all_cells, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def tree_hashes(folder) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_run_and_save_changes_only_the_working_copy(lab_page, lab_server, lab_workspace):
    page = lab_page
    lessons_before = tree_hashes(ROOT / "notebooks")
    copy = lab_workspace / "00_welcome.ipynb"
    copy_before = copy.read_bytes()

    open_notebook(page, lab_server, "00_welcome.ipynb")
    page.wait_for_timeout(2_000)  # kernel info arrives and may rewrite metadata
    assert page.locator(".lm-TabBar-tab.jp-mod-dirty").count() == 0, "the notebook is marked changed on open"
    assert page.locator(".Toastify__toast").count() == 0, page.locator(".Toastify__toast").all_inner_texts()

    run_all_cells(page)
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty').length === 0", timeout=30_000
    )
    screenshot(page, "lab_working_copy_saved.png")

    assert copy.read_bytes() != copy_before, "the save went somewhere other than the working copy"
    assert tree_hashes(ROOT / "notebooks") == lessons_before, "running a lesson changed the tracked notebooks/"
    assert page.errors == [], page.errors
