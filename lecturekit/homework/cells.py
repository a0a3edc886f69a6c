"""How a homework notebook marks its cells, in the instructor copy and the released one.

Each cell that belongs to a question carries ``metadata.lecturekit = {"question": id,
"role": role}``; the grader finds questions by this, never by a cell's position:

- ``answer``: the student's code; in the instructor copy the answer sits between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers);
- ``check``: ``check("hw1.bpe_train", learn_bpe)``, the student's own check; its stored
  output is what a right answer prints, which nbval compares;
- ``tests``: the hidden test, in the instructor copy only, inside nbgrader's
  ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` so that nbgrader can use it too.

The notebook's ``metadata.lecturekit.assignment`` names the assignment (``"hw1"``).
"""

from __future__ import annotations

ROLES = ("answer", "check", "tests")
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def mark(cell) -> dict:
    """The cell's ``{"question", "role"}`` (empty for a cell that belongs to no question)."""
    return dict(cell.get("metadata", {}).get("lecturekit", {}))


def role(cell) -> str | None:
    return mark(cell).get("role")


def assignment_of(notebook) -> str:
    name = notebook.get("metadata", {}).get("lecturekit", {}).get("assignment")
    if not name:
        raise ValueError("this notebook is not a lecturekit homework (its metadata names no assignment)")
    return name


def nbgrader_metadata(question: str, cell_role: str, points: int, nth: int = 1) -> dict:
    """nbgrader's cell metadata (schema 3): answers are solution cells, checks are locked,
    hidden tests are autograded cells worth the question's points. nbgrader wants each
    cell's ``grade_id`` unique and made of letters, digits, ``_`` and ``-``: ``hw1.bpe_train``'s
    answer is ``hw1_bpe_train-answer``, its second answer cell ``hw1_bpe_train-answer-2``."""
    return {
        "schema_version": 3,
        "grade_id": f"{question.replace('.', '_')}-{cell_role}" + (f"-{nth}" if nth > 1 else ""),
        "solution": cell_role == "answer",
        "grade": cell_role == "tests",
        "locked": cell_role != "answer",
        "task": False,
        **({"points": points} if cell_role == "tests" else {}),
    }


def hidden_source(cell) -> str:
    """A tests cell's code without nbgrader's markers (what the grader runs)."""
    lines = cell["source"].splitlines()
    return "\n".join(line for line in lines if line.strip() not in (BEGIN_HIDDEN, END_HIDDEN))
