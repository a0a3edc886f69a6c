"""Releasing homework: solutions and hidden tests leave, check outputs stay, nothing else changes.

Fast (no kernel): these read the committed instructor copies and release them in memory.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
import pytest

from lecturekit.homework.cells import BEGIN_SOLUTION, END_SOLUTION, mark, role
from lecturekit.homework.release import (
    mark_for_nbgrader,
    release,
    release_notebook,
    strip_solutions,
)

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "notebooks" / "homework"
INSTRUCTOR = sorted(HOMEWORK.glob("hw*.ipynb"))
IDS = [p.name for p in INSTRUCTOR]


def solution_lines(notebook) -> list[str]:
    lines, inside = [], False
    for cell in notebook.cells:
        for line in cell.source.splitlines():
            if line.strip() == BEGIN_SOLUTION:
                inside = True
            elif line.strip() == END_SOLUTION:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def code_text(notebook) -> str:
    return "\n".join(line.strip() for c in notebook.cells for line in c.source.splitlines())


def test_there_are_three_assignments_with_four_to_six_questions():
    assert [p.name.split("_")[0] for p in INSTRUCTOR] == ["hw1", "hw2", "hw3"]
    for path in INSTRUCTOR:
        asked = {mark(c)["question"] for c in nbformat.read(path, as_version=4).cells if role(c) == "tests"}
        assert 4 <= len(asked) <= 6, path.name


@pytest.mark.parametrize("path", INSTRUCTOR, ids=IDS)
def test_release_leaves_no_solution_line_and_no_hidden_test(path):
    instructor = nbformat.read(path, as_version=4)
    student = release_notebook(instructor)
    text = code_text(student)
    lines = solution_lines(instructor)
    assert lines, "the instructor copy has solution regions"
    for line in lines:
        assert line not in text, f"solution line left in the student notebook: {line!r}"
    assert "hidden_test" not in text and "HIDDEN TESTS" not in text
    assert not any(role(c) == "tests" for c in student.cells)


@pytest.mark.parametrize("path", INSTRUCTOR, ids=IDS)
def test_release_keeps_only_the_check_outputs_and_is_idempotent(path):
    instructor = nbformat.read(path, as_version=4)
    student = release_notebook(instructor)
    checks = [c for c in student.cells if role(c) == "check"]
    asked = {mark(c)["question"] for c in instructor.cells if role(c) == "tests"}
    assert {mark(c)["question"] for c in checks} == asked, "one check cell per question"
    for cell in checks:
        shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert shown.startswith(f"✓ {mark(cell)['question']}: ") and shown.endswith(" points")
    for cell in student.cells:
        if cell.cell_type == "code" and role(cell) != "check":
            assert cell.outputs == [] and "nbval-ignore-output" in cell.metadata["tags"]
    assert release_notebook(student) == student, "releasing a released notebook changes nothing"
    assert release_notebook(instructor) == student, "the same source gives the same notebook"


@pytest.mark.parametrize("path", INSTRUCTOR, ids=IDS)
def test_committed_student_copy_is_the_release_of_the_instructor_copy(path, tmp_path):
    written = release(path, tmp_path)
    committed = HOMEWORK / "released" / path.name
    assert json.loads(committed.read_text(encoding="utf-8")) == json.loads(written.read_text(encoding="utf-8")), (
        f"run: lecturekit homework release {path.relative_to(ROOT)} notebooks/homework/released")


@pytest.mark.parametrize("path", INSTRUCTOR, ids=IDS)
def test_nbgrader_metadata(path):
    """Ids nbgrader's schema accepts (letters, digits, _ and -), one per cell, in both copies;
    the instructor copy carries what mark_for_nbgrader gives (real nbgrader: test_homework_nbgrader)."""
    instructor = nbformat.read(path, as_version=4)
    assert mark_for_nbgrader(copy.deepcopy(instructor)) == instructor, "run mark_for_nbgrader on the instructor copy"
    for notebook in (instructor, release_notebook(instructor)):
        ids = [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells if role(cell)]
        assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-zA-Z0-9_\-]+", i) for i in ids), ids
        for cell in notebook.cells:
            if role(cell):
                meta = cell.metadata["nbgrader"]
                assert meta["grade_id"].startswith(f"{mark(cell)['question'].replace('.', '_')}-{role(cell)}")
                assert meta["solution"] == (role(cell) == "answer") and meta["locked"] == (role(cell) != "answer")


def test_strip_solutions_keeps_indentation_and_names():
    inside = "def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n"
    assert strip_solutions(inside) == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    top = "### BEGIN SOLUTION\nanswer = 41 + 1\nother: int = 2\n### END SOLUTION\nprint(answer)"
    assert strip_solutions(top) == "# YOUR CODE HERE\nanswer = ...\nother = ...\nprint(answer)"
    with pytest.raises(ValueError, match="END SOLUTION"):
        strip_solutions("### BEGIN SOLUTION\nx = 1\n")


def test_release_refuses_to_overwrite_its_source(tmp_path):
    copy = tmp_path / INSTRUCTOR[0].name
    copy.write_bytes(INSTRUCTOR[0].read_bytes())
    with pytest.raises(ValueError, match="must not be SOURCE"):
        release(copy, tmp_path)


def test_feedback_escapes_markup_and_shows_bidi_controls():
    from lecturekit.homework.feedback import feedback_markdown

    result = {"total": 0, "max": 3, "questions": {"hw1.bpe_encode": {
        "points": 0, "max": 3, "hint": "name 'x\u202eevil' is not <b>defined</b> | *"}}}
    text = feedback_markdown("stu\u202edent<script>", "hw1", result)
    assert "\u202e" not in text and "U+202E" in text  # shown as [U+202E] once Markdown renders
    assert "<script>" not in text and "&lt;script&gt;" in text and "<b>" not in text
    assert "\\|" in text and "\\*" in text  # no cell break, no emphasis from the hint
