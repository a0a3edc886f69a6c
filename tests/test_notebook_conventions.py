"""Every notebook follows the conventions of DESIGN.md ("Notebooks").

nbval (run by `make test`) checks that each notebook reproduces its stored
outputs; this file checks how the notebooks are written and stored.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Homework's released student copies are left out: `lecturekit homework release` writes them
# unexecuted on purpose (only the check cells keep the output a right answer prints), and
# tests/test_homework_release.py checks them. The instructor copies are kept in.
RELEASED = ROOT / "notebooks" / "homework" / "released"
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts and RELEASED not in p.parents)
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
# Homework is not a lesson: no summary or exercises, but questions marked in cell metadata
# (tests/test_homework_notebooks.py holds its conventions).
LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00_") and p.parent.name != "homework"]

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


@pytest.mark.parametrize("path", [ROOT / "notebooks" / "00_welcome.ipynb", *LESSONS],
                         ids=["notebooks/00_welcome.ipynb", *(str(p.relative_to(ROOT)) for p in LESSONS)])
def test_the_last_cell_says_how_to_free_the_kernels_memory(path):
    """Five lessons open at once held about 4.7 GB across their kernels (issue 14)."""
    last = load(path)["cells"][-1]
    text = " ".join("".join(last["source"]).split())  # the words, whatever the line breaks
    assert last["cell_type"] == "markdown" and text.startswith("## When you are done"), path.name
    assert "Shut Down Kernel" in text, "the closing cell says how to give the kernel's memory back"


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


# ---- exercises: stored unanswered, a collapsed worked solution below each answer cell

def exercise_cells(nb: dict) -> list[dict]:
    """The cells under the '## Exercises' heading, to the end of the notebook."""
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown" and re.search(r"^## Exercises", "".join(cell["source"]), re.MULTILINE):
            return nb["cells"][index + 1:]
    raise AssertionError("no '## Exercises' heading")


def checked_names(source: str) -> list[str]:
    """The exercise names of the ``check("name", ...)`` calls in a cell."""
    return [node.args[0].value for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check"
            and node.args and isinstance(node.args[0], ast.Constant)]


def holds_placeholder(source: str) -> bool:
    return any(isinstance(node, ast.Constant) and node.value is Ellipsis for node in ast.walk(ast.parse(source)))


def source_hidden(cell: dict) -> bool:
    return cell.get("metadata", {}).get("jupyter", {}).get("source_hidden") is True


def shown_text(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "".join(parts)


def exercises(nb: dict) -> list[tuple[dict, dict]]:
    """(answer cell, solution cell) pairs, checking the layout on the way."""
    code = [c for c in exercise_cells(nb) if c["cell_type"] == "code"]
    pairs = []
    for cell in code:
        source = "".join(cell["source"])
        assert not any(isinstance(n, ast.Assert) for n in ast.walk(ast.parse(source))), (
            f"an exercise checks with a bare assert; use check() from lecturekit.exercises:\n{source[:200]}")
        if not source_hidden(cell):
            assert len(checked_names(source)) == 1, f"an answer cell calls check() once:\n{source[:200]}"
            assert holds_placeholder(source), f"an answer cell is stored unanswered, holding ...:\n{source[:200]}"
            pairs.append([cell, None])
        else:
            assert pairs and pairs[-1][1] is None, f"a hidden solution cell follows its answer cell:\n{source[:200]}"
            pairs[-1][1] = cell
    return [tuple(pair) for pair in pairs]


@pytest.mark.parametrize("path", LESSONS, ids=[str(p.relative_to(ROOT)) for p in LESSONS])
def test_exercises_are_stored_unanswered_with_a_collapsed_solution_below(path):
    nb = load(path)
    cells = exercise_cells(nb)
    pairs = exercises(nb)
    assert pairs, "the exercises have answer cells"
    for answer, solution in pairs:
        name = checked_names("".join(answer["source"]))[0]
        assert solution is not None, f"exercise {name!r} has no hidden solution cell"
        assert cells.index(solution) == cells.index(answer) + 1, f"{name!r}: the solution sits directly below"
        source = "".join(solution["source"])
        assert source.startswith("# Solution"), f"{name!r}: the solution's first line says what it is"
        assert checked_names(source) == [name], f"{name!r}: the solution calls the same check"
        assert not holds_placeholder(source), f"{name!r}: the solution is worked, not a placeholder"


@pytest.mark.parametrize("path", LESSONS, ids=[str(p.relative_to(ROOT)) for p in LESSONS])
def test_each_lesson_asks_every_check_of_its_module_once(path):
    import importlib

    from lecturekit.exercises import NOTEBOOK_MODULES

    module_name = path.stem.split("_", 1)[1]  # 01_subword_tokenization -> subword_tokenization
    assert module_name in NOTEBOOK_MODULES, f"lecturekit.exercises has no module {module_name!r}"
    module = importlib.import_module(f"lecturekit.exercises.{module_name}")
    asked = [checked_names("".join(answer["source"]))[0] for answer, _ in exercises(load(path))]
    assert sorted(asked) == sorted(module.CHECKS), "every check is asked, once, in its own notebook"


@pytest.mark.parametrize("path", LESSONS, ids=[str(p.relative_to(ROOT)) for p in LESSONS])
def test_stored_exercises_show_not_answered_then_correct(path):
    # What a reader sees without running anything (and what nbval compares): the answer cell's
    # friendly note, and the collapsed solution's tick.
    for answer, solution in exercises(load(path)):
        name = checked_names("".join(answer["source"]))[0]
        assert "Not answered yet" in shown_text(answer), f"{name!r}: stored answer cell output (run `make notebooks`)"
        assert f"✓ {name}: correct" in shown_text(solution), f"{name!r}: stored solution output (run `make notebooks`)"
