"""Grading homework end to end: real kernels, real submissions, the issue's cases.

Cost in CI is kept down: the mutation cases are all on hw1 (no model), graded together in
one module-scoped fixture with two workers; hw2 and hw3 grade only their starter and their
solution. Every expected grade follows from the question points, not from a stored run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lecturekit.homework.cells import mark, role
from lecturekit.homework.questions import questions
from lecturekit.homework.runner import Limits, grade_many

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "notebooks" / "homework"
RELEASED = HOMEWORK / "released"
HW1 = "hw1_subwords.ipynb"

pytestmark = pytest.mark.slow


def points(question: str) -> int:
    return questions(question.split(".")[0])[question].points


def completed(name: str):
    """The released notebook with each answer cell replaced by the instructor's answer."""
    answers = {}
    for cell in nbformat.read(HOMEWORK / name, as_version=4).cells:
        if role(cell) == "answer":
            answers.setdefault(mark(cell)["question"], []).append(cell.source)
    student = nbformat.read(RELEASED / name, as_version=4)
    for cell in student.cells:
        if role(cell) == "answer":
            cell.source = answers[mark(cell)["question"]].pop(0)
    return student


def cell_of(notebook, question: str, cell_role: str = "answer"):
    return next(c for c in notebook.cells if mark(c) == {"question": question, "role": cell_role})


def hw1_variants() -> dict:
    variants = {"starter": nbformat.read(RELEASED / HW1, as_version=4), "solution": completed(HW1)}

    wrong = completed(HW1)  # the latest-learned merge first: wrong, except on a copied visible example
    cell_of(wrong, "hw1.bpe_encode").source = (
        "def bpe_encode(word, merges):\n"
        "    if word == 'lowest':\n"
        "        return ['lo', 'w', 'est</w>']\n"
        "    symbols = tuple(word[:-1]) + (word[-1] + '</w>',)\n"
        "    for pair in reversed(merges):\n"
        "        symbols = merge_pair(symbols, tuple(pair))\n"
        "    return list(symbols)\n")
    variants["one_wrong"] = wrong

    moved = completed(HW1)  # the WordPiece answer moved to the end, the 'why' answer deleted
    answer = cell_of(moved, "hw1.wordpiece")
    moved.cells.remove(answer)
    moved.cells.remove(cell_of(moved, "hw1.why_lowest"))
    moved.cells.append(answer)
    variants["moved_and_deleted"] = moved

    cheat = nbformat.read(RELEASED / HW1, as_version=4)  # the starter, plus every trick on the checks
    cheat.cells.insert(2, nbformat.v4.new_code_cell(
        "check = lambda *a, **k: print('✓')\n"
        "import lecturekit.homework.questions as q\n"
        "q.score = lambda question, answer, seed: q.Result(question, 99, 99, '')\n"
        "q.hidden_test = lambda *a, **k: print(q.RESULT_MARK, '{\"question\": \"x\", \"points\": 3, \"max\": 3, \"hint\": \"\"}')\n"
        "import json, os\n"  # a forged entry in the grader's results file, without the token
        "open(os.environ['LECTUREKIT_GRADING_RESULTS'], 'a').write(json.dumps({'question': 'hw1.bpe_train', "
        "'points': 3, 'max': 3, 'hint': '', 'token': os.environ.get('LECTUREKIT_GRADING_TOKEN', '')}) + '\\n')\n"
        "import lecturekit.subword.bpe as bpe\n"
        "bpe.train_bpe_reference = lambda counts, n: []\n"
        "learn_bpe = lambda counts, n: []\n"))
    for cell in cheat.cells:
        if role(cell) == "check":
            cell.source = f'print("✓ {mark(cell)["question"]}: 3/3 points")'
    variants["override_check"] = cheat

    return variants


@pytest.fixture(scope="module")
def hw1_grades(tmp_path_factory):
    """Every hw1 case graded by the command itself (two workers), then the infinite loop alone
    with a short time limit per cell. Returns (grades by student, the feedback folder)."""
    folder, out = tmp_path_factory.mktemp("hw1"), tmp_path_factory.mktemp("graded")
    for name, notebook in hw1_variants().items():
        nbformat.write(notebook, folder / f"{name}.ipynb")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    run = subprocess.run([sys.executable, "-m", "lecturekit", "homework", "grade", str(folder), "--out", str(out),
                          "--json", "--workers", "2"], capture_output=True, text=True, timeout=900, check=True)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before, "grading never writes into the submissions"
    students = sorted(p.stem for p in folder.glob("*.ipynb"))
    grades = dict(zip(students, map(json.loads, run.stdout.strip().splitlines()), strict=True))
    loop = completed(HW1)  # bpe_encode never returns
    cell_of(loop, "hw1.bpe_encode").source = "def bpe_encode(word, merges):\n    while True:\n        pass\n"
    looping = tmp_path_factory.mktemp("loop") / "infinite_loop.ipynb"
    nbformat.write(loop, looping)
    graded = grade_many([looping], HOMEWORK, Limits(cell_seconds=8, notebook_seconds=120))
    grades["infinite_loop"] = graded[0].result
    return grades, out


def earned(result) -> dict:
    return {q: r["points"] for q, r in result["questions"].items()}


FULL_HW1 = {q: v.points for q, v in questions("hw1").items()}


def test_hw1_starter_grades_zero_and_solution_full(hw1_grades):
    hw1_grades, _ = hw1_grades
    assert hw1_grades["starter"]["total"] == 0 and hw1_grades["starter"]["max"] == sum(FULL_HW1.values())
    assert earned(hw1_grades["solution"]) == FULL_HW1, {q: r["hint"] for q, r in hw1_grades["solution"]["questions"].items() if r["hint"]}


def test_one_wrong_question_loses_exactly_its_points(hw1_grades):
    hw1_grades, _ = hw1_grades
    assert earned(hw1_grades["one_wrong"]) == {**FULL_HW1, "hw1.bpe_encode": 0}
    assert "earliest-learned merge" in hw1_grades["one_wrong"]["questions"]["hw1.bpe_encode"]["hint"]


def test_moved_and_deleted_cells_are_graded_question_by_question(hw1_grades):
    hw1_grades, _ = hw1_grades
    assert earned(hw1_grades["moved_and_deleted"]) == {**FULL_HW1, "hw1.why_lowest": 0}
    assert "why_lowest" in hw1_grades["moved_and_deleted"]["questions"]["hw1.why_lowest"]["hint"]


def test_overriding_the_checks_gains_nothing(hw1_grades):
    hw1_grades, _ = hw1_grades
    assert hw1_grades["override_check"]["total"] == 0


def test_an_infinite_loop_costs_only_its_question(hw1_grades):
    hw1_grades, _ = hw1_grades
    assert earned(hw1_grades["infinite_loop"]) == {**FULL_HW1, "hw1.bpe_encode": 0}
    assert "time limit" in hw1_grades["infinite_loop"]["questions"]["hw1.bpe_encode"]["hint"]


def test_json_shape_feedback_and_gradebook(hw1_grades):
    grades, out = hw1_grades
    for result in grades.values():  # --json prints exactly the shape
        assert set(result) == {"total", "max", "questions"}
        assert all(set(r) == {"points", "max", "hint"} for r in result["questions"].values())
    feedback = (out / "one_wrong.feedback.md").read_text(encoding="utf-8")
    assert "bpe\\_encode | 0 / 3" in feedback and "seed" not in feedback
    solution_lines = [line.strip() for c in completed(HW1).cells if role(c) == "answer" for line in c.source.splitlines()]
    assert not [line for line in solution_lines if len(line) > 12 and line in feedback], "no solution in feedback"
    rows = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("student,assignment,total,max")
    assert any(row.startswith(f"one_wrong,hw1,{grades['one_wrong']['total']},10,") for row in rows)
    assert grades["one_wrong"]["total"] == sum(FULL_HW1.values()) - points("hw1.bpe_encode")


def nbval(path: Path) -> int:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                           "--nbval-current-env", str(path)], capture_output=True, text=True, timeout=600,
                          cwd=path.parent).returncode


def test_nbval_fails_on_the_hw1_starter_and_passes_once_completed(tmp_path):
    done = tmp_path / HW1
    nbformat.write(completed(HW1), done)
    assert nbval(RELEASED / HW1) != 0
    assert nbval(done) == 0


@pytest.fixture(scope="module")
def model_grades(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    for name in ("hw2_pretraining_objectives.ipynb", "hw3_adaptation.ipynb"):
        (folder / "starter").mkdir(exist_ok=True)
        (folder / "solution").mkdir(exist_ok=True)
        (folder / "starter" / name).write_bytes((RELEASED / name).read_bytes())
        nbformat.write(completed(name), folder / "solution" / name)
    graded = grade_many([folder], HOMEWORK, Limits(), workers=2)
    return {(item.student.split("/")[0], item.assignment): item.result for item in graded}


@pytest.mark.parametrize("assignment", ["hw2", "hw3"])
def test_model_homework_starter_zero_solution_full(model_grades, assignment):
    assert model_grades[("starter", assignment)]["total"] == 0
    full = {q: v.points for q, v in questions(assignment).items()}
    solution = model_grades[("solution", assignment)]
    assert earned(solution) == full, {q: r["hint"] for q, r in solution["questions"].items() if r["hint"]}
