"""The homework on real nbgrader: an instructor copy goes into nbgrader's course folder, nbgrader
releases it and autogrades three submissions, and its points agree with `lecturekit homework grade`
question by question (hw1, which needs no model: nbgrader runs every submission from the top).

Before this test, nbgrader refused the instructor copies: their grade ids had a dot in them
("hw1.bpe_train-answer"), which nbgrader's metadata schema does not allow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lecturekit.homework.cells import BEGIN_SOLUTION, END_SOLUTION
from lecturekit.homework.runner import Limits, grade_many

pytest.importorskip("nbgrader")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
HW1 = ROOT / "notebooks" / "homework" / "hw1_subwords.ipynb"
WRONG_ENCODE = (  # applies the merges latest first: wrong on every word with competing merges
    "def bpe_encode(word, merges):\n"
    "    symbols = tuple(word[:-1]) + (word[-1] + '</w>',)\n"
    "    for pair in reversed(merges):\n"
    "        symbols = merge_pair(symbols, tuple(pair))\n"
    "    return list(symbols)\n")


def nbgrader(course: Path, *arguments: str) -> subprocess.CompletedProcess:
    bin_folder = str(Path(sys.executable).parent)  # nbgrader runs alembic from the environment
    environment = {**os.environ, "PATH": bin_folder + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run([str(Path(bin_folder) / "nbgrader"), *arguments], cwd=course, env=environment,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def submissions(released: Path) -> dict:
    """nbgrader's student copy, completed with the instructor's answers; the bare starter; and the
    completed copy with one answer wrong."""
    solutions = {}
    for cell in nbformat.read(HW1, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            lines = [line for line in cell.source.splitlines() if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION)]
            solutions[meta["grade_id"]] = "\n".join(lines)
    out = {"starter": nbformat.read(released, as_version=4)}
    for name in ("solution", "one_wrong"):
        student = nbformat.read(released, as_version=4)
        for cell in student.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in solutions:
                cell.source = solutions[grade_id]
            if name == "one_wrong" and grade_id == "hw1_bpe_encode-answer":
                cell.source = WRONG_ENCODE
        out[name] = student
    return out


def test_nbgrader_releases_and_autogrades_the_homework_as_lecturekit_does(tmp_path):
    course = tmp_path / "course"
    (course / "source" / "hw1").mkdir(parents=True)
    shutil.copy(HW1, course / "source" / "hw1" / HW1.name)
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = 'lecturekit'\nc.CourseDirectory.root = {str(course)!r}\n")
    nbgrader(course, "generate_assignment", "hw1", "--force")
    released = course / "release" / "hw1" / HW1.name
    text = released.read_text()
    assert "raise NotImplementedError()" in text and "hidden_test(" not in text  # solutions and hidden tests gone

    mine = tmp_path / "mine"
    for student, notebook in submissions(released).items():
        folder = course / "submitted" / student / "hw1"
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / HW1.name)
        mine.mkdir(exist_ok=True)
        nbformat.write(notebook, mine / f"{student}.ipynb")
        nbgrader(course, "db", "student", "add", student)
    nbgrader(course, "autograde", "hw1", "--force")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as book:
        theirs = {}
        for student in ("starter", "solution", "one_wrong"):
            notebook = book.find_submission("hw1", student).notebooks[0]
            theirs[student] = {grade.name.removesuffix("-tests"): grade.score for grade in notebook.grades}
    ours = {g.student: {q.replace(".", "_"): v["points"] for q, v in g.result["questions"].items()}
            for g in grade_many([mine], HW1, Limits(), workers=2)}
    assert theirs == ours
    assert sum(theirs["starter"].values()) == 0 and sum(theirs["solution"].values()) == 10
    assert {q for q in theirs["solution"] if theirs["solution"][q] != theirs["one_wrong"][q]} == {"hw1_bpe_encode"}
