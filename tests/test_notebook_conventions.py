"""Every notebook follows the conventions of DESIGN.md ("Notebooks").

nbval (run by `make test`) checks that each notebook reproduces its stored
outputs; this file checks how the notebooks are written and stored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]

# Paths that only exist on one person's machine.
ABSOLUTE_PATH = re.compile(r"(/work/|/root/|/home/\w|/Users/\w|/tmp/|[A-Z]:\\\\)")
IGNORE_TAG = "nbval-ignore-output"
# A cell may skip output comparison only if it says why, in a comment like
#   # output varies: timings
VARIES_REASON = re.compile(r"^#\s*output varies:\s*\S", re.MULTILINE)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def markdown(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_there_are_notebooks():
    assert (ROOT / "notebooks" / "00_welcome.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_title_goals_and_cpu_time(path):
    nb = load(path)
    first = "".join(nb["cells"][0]["source"])
    assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith("# "), "first cell: '# Title'"
    assert re.search(r"^## What you will (learn|be able to do)", first, re.MULTILINE), (
        "the first cell states the learning goals under '## What you will be able to do'"
    )
    assert re.search(r"CPU time: (about|under) \d+ minutes?", first), "the first cell states its CPU time"


@pytest.mark.parametrize("path", LESSONS, ids=[str(p.relative_to(ROOT)) for p in LESSONS])
def test_lessons_end_with_summary_and_checked_exercises(path):
    nb = load(path)
    headings = [line for text in markdown(nb) for line in text.splitlines() if line.startswith("## ")]
    assert any(h.startswith("## Summary") for h in headings)
    assert any(h.startswith("## Exercises") for h in headings)
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "check(" in code or "assert " in code, "exercise answers are checked by code"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_for_reading_without_running(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    # JupyterLab rewrites any other display name on open, so the lesson would open "changed".
    from ipykernel.kernelspec import get_kernel_dict

    assert nb["metadata"]["kernelspec"]["display_name"] == get_kernel_dict()["display_name"]
    assert "widgets" not in nb["metadata"], "no stored widget state (run `make notebooks`)"
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), (
                "a stored widget view points at state that is not kept (run `make notebooks`)"
            )
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code_cells]
    assert counts == list(range(1, len(code_cells) + 1)), "executed once, top to bottom, with outputs stored"
    for cell in code_cells:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", "a stored output is an error"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_absolute_paths(path):
    text = path.read_text(encoding="utf-8")
    match = ABSOLUTE_PATH.search(text)
    assert match is None, f"machine-specific path {match.group(0)!r} in {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_ignored_outputs_say_why(path):
    nb = load(path)
    for cell in nb["cells"]:
        if IGNORE_TAG in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"])
            assert VARIES_REASON.search(source), (
                f"cell tagged {IGNORE_TAG} must say '# output varies: <why>':\n{source[:200]}"
            )
