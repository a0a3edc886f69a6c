"""Grade one submission: the student's cells, then the instructor's hidden tests, in one
fresh kernel (nbclient). Run as ``python -m lecturekit.homework.grade`` by ``runner`` so
that each submission gets its own process, memory limit and timeout.

- The submission is read, never written: the kernel works in a temporary folder.
- The student's cells run in their order, each under the per-cell time limit and all under
  the per-notebook one; an error or a timeout does not stop the run (``allow_errors``), so
  a broken answer costs only the questions that need it. Check cells are not run: what
  they print does not count, so editing one changes nothing.
- Then one cell per question from the instructor copy (matched by question id, not by
  position) runs ``hidden_test`` on the student's function. Before each, every lecturekit
  module is dropped from ``sys.modules``, so the test code and the references are imported
  fresh from the installed package: redefining ``check`` or ``hidden_test``, or replacing
  lecturekit's functions from a cell, does not reach them. Each of these cells also gets a
  random token the student's cells never saw; ``hidden_test`` writes its result with that
  token to a file the grader names (and prints it). The grade is read from the file, or
  failing that from the cell's own output, and only where the token matches: a result
  written or printed earlier by the student's code does not count, and a printed line lost
  on a loaded machine does not cost a right answer its points.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from .cells import assignment_of, hidden_source, mark, role
from .questions import RESULT_MARK, RESULT_TOKEN, RESULTS_FILE, questions

GRADER_KEY = "lecturekit_grader"  # marks the cells the grader appends
GRADER_TOKEN = "lecturekit_token"


def fresh_imports(token: str) -> str:
    """The lines before each hidden test: drop every lecturekit module, hand over the token."""
    return ("import os as _lk_os, sys as _lk_sys\n"
            "for _lk_name in [n for n in _lk_sys.modules if n == 'lecturekit' or n.startswith('lecturekit.')]:\n"
            "    del _lk_sys.modules[_lk_name]\n"
            f"_lk_os.environ[{RESULT_TOKEN!r}] = {token!r}\n")


def hidden_tests(instructor) -> dict[str, str]:
    """question id -> the code of its hidden test, from the instructor copy."""
    tests = {}
    for cell in instructor.cells:
        if role(cell) == "tests":
            tests[mark(cell)["question"]] = hidden_source(cell)
    if not tests:
        raise ValueError("the instructor notebook has no hidden-test cells")
    return tests


def grading_notebook(submission, instructor) -> nbformat.NotebookNode:
    """The notebook the kernel runs: the student's cells (checks left out), then the tests."""
    if assignment_of(submission) != assignment_of(instructor):
        raise ValueError(f"this submission is {assignment_of(submission)!r}, the instructor copy "
                         f"{assignment_of(instructor)!r}")
    cells = [nbformat.v4.new_code_cell(c.source) for c in submission.cells
             if c.cell_type == "code" and role(c) != "check"]
    for question, code in hidden_tests(instructor).items():
        token = secrets.token_hex(16)
        cell = nbformat.v4.new_code_cell(fresh_imports(token) + code)
        cell.metadata[GRADER_KEY] = question
        cell.metadata[GRADER_TOKEN] = token
        cells.append(cell)
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"},
                "lecturekit": {"assignment": assignment_of(instructor)}}
    return nbformat.v4.new_notebook(cells=cells, metadata=metadata)


def _why_failed(cell, cell_timeout: float, stopped: str) -> str:
    if stopped and not cell.get("outputs"):
        return stopped
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            name = output.get("ename", "")
            if name in ("KeyboardInterrupt", "CellTimeoutError"):
                return f"stopped by the time limit ({cell_timeout:g} s per cell)"
            if name == "NameError":
                return f"{output.get('evalue', 'a name is not defined')} when the tests ran: keep the names the question asks for"
            return f"the test could not run ({name})"
    return f"stopped by the time limit ({cell_timeout:g} s per cell)"


def _found(cell, written: list[dict]) -> dict | None:
    """This cell's own result: from the file, else from its printed line; None if neither."""
    token, question = cell.metadata.get(GRADER_TOKEN), cell.metadata.get(GRADER_KEY)
    printed = [json.loads(line[len(RESULT_MARK) + 1:]) for output in cell.get("outputs", [])
               if output.get("output_type") == "stream"
               for line in output.get("text", "").splitlines() if line.startswith(RESULT_MARK + " ")]
    for found in reversed(written + printed):
        if found.get("token") == token and found.get("question") == question:
            return found
    return None


def read_results(executed, cell_timeout: float, stopped: str = "", written: list[dict] = ()) -> dict[str, dict]:
    """question id -> {points, max, hint}, from the grader's own cells only. ``written`` holds
    the entries of the results file, in order."""
    known = questions(assignment_of(executed))
    results = {}
    for cell in executed.cells:
        question = cell.metadata.get(GRADER_KEY)
        if question is None:
            continue
        found = _found(cell, list(written))
        if found:
            results[question] = {"points": found["points"], "max": found["max"], "hint": found["hint"]}
        else:
            results[question] = {"points": 0, "max": known[question].points, "hint": _why_failed(cell, cell_timeout, stopped)}
    return results


def _entries(path: str) -> list[dict]:
    entries = []
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:  # a line the student's code wrote: ignored
                continue
            if isinstance(entry, dict) and {"question", "points", "max", "hint"} <= set(entry):
                entries.append(entry)
    return entries


def grade(submission_path, instructor_path, cell_timeout: float = 300, notebook_timeout: float = 900) -> dict:
    """``{"total", "max", "questions": {id: {"points", "max", "hint"}}}`` for one submission."""
    submission = nbformat.read(submission_path, as_version=4)
    instructor = nbformat.read(instructor_path, as_version=4)
    notebook = grading_notebook(submission, instructor)
    deadline = time.monotonic() + notebook_timeout

    def limit(cell) -> float:
        if GRADER_KEY in cell.metadata:  # each hidden test has its own budget
            return cell_timeout
        return max(1.0, min(cell_timeout, deadline - time.monotonic()))

    with tempfile.TemporaryDirectory(prefix="lecturekit-grading-") as workdir, \
            tempfile.TemporaryDirectory(prefix="lecturekit-results-") as private:
        written = os.path.join(private, "results.jsonl")
        open(written, "w").close()
        # iopub_timeout: nbclient waits only 4 s by default for a cell's output after its reply,
        # then drops it; on a loaded CI machine a hidden test's result line was lost that way
        # (a right answer scored 0). The wait ends as soon as the kernel says it is idle.
        client = NotebookClient(notebook, timeout=cell_timeout, timeout_func=limit, allow_errors=True,
                                interrupt_on_timeout=True, kernel_name="python3", iopub_timeout=60,
                                resources={"metadata": {"path": workdir}})
        stopped = ""
        try:
            client.execute(env=os.environ | {RESULTS_FILE: written})  # the kernel's environment only
        except DeadKernelError:  # out of memory, or the student's code ended the process
            stopped = "the kernel stopped before this test (out of memory, or the notebook ended Python)"
        results = read_results(notebook, cell_timeout, stopped, _entries(written))
    return {"total": sum(r["points"] for r in results.values()),
            "max": sum(r["max"] for r in results.values()), "questions": results}


if __name__ == "__main__":
    submission_path, instructor_path, cell_timeout, notebook_timeout = sys.argv[1:5]
    print(json.dumps(grade(submission_path, instructor_path, float(cell_timeout), float(notebook_timeout))))
