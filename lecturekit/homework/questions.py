"""Homework questions: points, a check that tries the student's answer on hidden inputs,
and the two ways to run it (the student's ``check`` and the grader's ``hidden_test``).

A question is a function ``(answer, seed) -> (right, hint)`` registered under an id such as
``"hw1.bpe_train"`` with its points. A question that asks for code calls the student's
function on inputs it draws itself from ``seed`` and compares with lecturekit's reference
implementation; so it cannot pass on ``None``, on the starter's ``raise NotImplementedError()``,
or on a constant copied from an example in the notebook. Marking is all or nothing per
question: one wrong answer loses exactly that question's points.

- ``check(question, answer)`` is what a student runs in the notebook. It uses a practice seed
  (the same on every machine) and prints ``✓ hw1.bpe_train: 3/3 points`` when right, which is
  the output stored under each check cell of the released notebook, so nbval passes on a
  completed notebook and fails on the starter.
- ``hidden_test(question, answer, seed=...)`` is what the grader runs after the student's
  cells: the same comparison on the instructor's seed, which only the instructor copy holds.
  Its result, not anything a check cell printed, is the grade.

A hint says what kind of input went wrong; it never shows the hidden input or the solution.
"""

from __future__ import annotations

import importlib
import json
import os
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass

ASSIGNMENTS = ("hw1", "hw2", "hw3")  # hw1 -> module hw1 of this package, and so on
RESULT_MARK = "LECTUREKIT-HOMEWORK-RESULT"  # the line the grader reads from its own test cells
# The file the grader names for results: read before the printed lines, which a loaded
# machine can lose between kernel and grader.
RESULTS_FILE = "LECTUREKIT_GRADING_RESULTS"
RESULT_TOKEN = "LECTUREKIT_GRADING_TOKEN"  # the grader's token for the test now running


class NotAnswered(Exception):
    """The answer is still the starter's: ``...``, ``None`` or ``raise NotImplementedError()``."""


@dataclass(frozen=True)
class Question:
    id: str
    points: int
    judge: Callable  # (answer, seed) -> (right: bool, hint: str)


@dataclass(frozen=True)
class Result:
    question: str
    points: int
    max: int
    hint: str

    def message(self) -> str:
        mark = "✓" if self.points == self.max else "✗"
        return f"{mark} {self.question}: {self.points}/{self.max} points" + (f" ({self.hint})" if self.hint else "")


_QUESTIONS: dict[str, Question] = {}


def question(id: str, points: int):
    """Register a judge under ``id`` (``"hw1.name"``) worth ``points``."""
    def register(judge):
        _QUESTIONS[id] = Question(id, points, judge)
        return judge
    return register


def questions(assignment: str | None = None) -> dict[str, Question]:
    """Every question (of one assignment): the assignment modules are imported on first use."""
    for name in ASSIGNMENTS if assignment is None else (assignment,):
        importlib.import_module(f"{__package__}.{name}")
    return {q: v for q, v in _QUESTIONS.items() if assignment is None or q.split(".")[0] == assignment}


def is_placeholder(answer) -> bool:
    return answer is None or answer is ...


def call(function, *arguments, **keywords):
    """Call the student's function; their starter stub counts as not answered."""
    try:
        result = function(*arguments, **keywords)
    except NotImplementedError as stub:
        raise NotAnswered from stub
    if is_placeholder(result):
        raise NotAnswered
    return result


def practice_seed(question_id: str) -> int:
    """The seed of the student's own ``check``: fixed per question, never the grading one."""
    return zlib.crc32(question_id.encode()) % 100_000


def score(question_id: str, answer, seed: int) -> Result:
    """Judge one answer on the inputs drawn from ``seed``. Never raises for a bad answer."""
    known = questions(question_id.split(".")[0]) if question_id.split(".")[0] in ASSIGNMENTS else {}
    if question_id not in known:
        raise ValueError(f"no question {question_id!r}; question ids look like 'hw1.bpe_train'")
    q = known[question_id]
    if is_placeholder(answer):
        return Result(q.id, 0, q.points, "not answered yet")
    try:
        right, hint = q.judge(answer, seed)
    except NotAnswered:
        return Result(q.id, 0, q.points, "not answered yet")
    except Exception as error:  # the student's code failed on a hidden input: only its type is shown
        return Result(q.id, 0, q.points, f"your answer raised {type(error).__name__} on a test input")
    return Result(q.id, q.points if right else 0, q.points, "" if right else hint)


class Shown(str):
    """A check's message, shown under the cell as plain text (no quotes)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def check(question_id: str, answer) -> Shown:
    """Check your answer on practice inputs: ✓ and your points, or AssertionError with a hint."""
    __tracebackhide__ = True
    result = score(question_id, answer, practice_seed(question_id))
    if result.hint == "not answered yet":
        return Shown(f"Not answered yet ({question_id}): write your answer above and run this cell again.")
    if result.points < result.max:
        raise AssertionError(f"Not yet ({question_id}): {result.hint}.")
    return Shown(result.message())


def hidden_test(question_id: str, answer, seed: int) -> Shown:
    """The grader's test: judge on the instructor's seed, print the result line the grader
    reads, and raise AssertionError unless full marks (what nbgrader counts as a failed test)."""
    result = score(question_id, answer, seed)
    entry = asdict(result)
    if os.environ.get(RESULT_TOKEN):  # only under the grader: a notebook run prints what it stores
        entry["token"] = os.environ[RESULT_TOKEN]
    line = json.dumps(entry, ensure_ascii=False)
    if os.environ.get(RESULTS_FILE):
        with open(os.environ[RESULTS_FILE], "a", encoding="utf-8") as results:
            results.write(line + "\n")
    print(RESULT_MARK, line, flush=True)
    if result.points < result.max:  # an error, so that nbgrader's autograde gives 0 for this cell too
        raise AssertionError(result.message())
    return Shown(result.message())
