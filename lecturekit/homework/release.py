"""Release: the instructor's notebook -> the student's (``lecturekit homework release``).

As nbgrader's ``generate_assignment`` does: code between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` becomes a stub (``raise NotImplementedError()`` inside a function; at
the top level ``name = ...`` for each name the solution assigns, so the cell still runs and
the check says "not answered yet"); hidden-test cells go; outputs are cleared except each
check cell's, which keeps what a right answer prints, so nbval fails on the starter and
passes on a completed notebook. Other code cells are tagged ``nbval-ignore-output``: nbval
then compares only the check cells. Releasing a released notebook changes nothing.
"""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import nbformat

from .cells import BEGIN_SOLUTION, END_SOLUTION, assignment_of, nbgrader_metadata, role
from .questions import questions

IGNORE_OUTPUT = "nbval-ignore-output"
STUB_MARK = "# YOUR CODE HERE"


def _assigned_names(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            if isinstance(target, ast.Name) and target.id not in names:
                names.append(target.id)
    return names


def strip_solutions(source: str) -> str:
    """Replace each solution region by a stub, keeping its indentation."""
    out, region = [], None
    for line in source.splitlines():
        if line.strip() == BEGIN_SOLUTION:
            region = (line[: len(line) - len(line.lstrip())], [])
        elif line.strip() == END_SOLUTION and region is not None:
            indent, body = region
            names = [] if indent else _assigned_names("\n".join(body))
            out.append(indent + STUB_MARK)
            out += [f"{name} = ..." for name in names] or [indent + "raise NotImplementedError()"]
            region = None
        elif region is not None:
            region[1].append(line)
        else:
            out.append(line)
    if region is not None:
        raise ValueError(f"a {BEGIN_SOLUTION!r} has no {END_SOLUTION!r}:\n{source[:200]}")
    return "\n".join(out)


def mark_for_nbgrader(notebook):
    """Give each question's cells nbgrader's metadata, in place (instructor and student copy)."""
    points = {q: v.points for q, v in questions(assignment_of(notebook)).items()}
    seen: dict[tuple[str, str], int] = {}
    for cell in notebook.cells:
        question, kind = cell.metadata.get("lecturekit", {}).get("question"), role(cell)
        if question and kind:
            seen[question, kind] = seen.get((question, kind), 0) + 1
            cell.metadata["nbgrader"] = nbgrader_metadata(question, kind, points.get(question, 0), seen[question, kind])
    return notebook


def release_notebook(notebook) -> nbformat.NotebookNode:
    """The student's version of an instructor notebook (the input is left as it is)."""
    student = mark_for_nbgrader(copy.deepcopy(nbformat.from_dict(notebook)))
    cells = []
    for cell in student.cells:
        kind = role(cell)
        if kind == "tests":
            continue
        if cell.cell_type == "markdown" and BEGIN_SOLUTION in cell.source:
            cell.source = re.sub(f"{BEGIN_SOLUTION}.*?{END_SOLUTION}", "YOUR ANSWER HERE", cell.source, flags=re.S)
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            if kind != "check":
                cell.outputs, cell.execution_count = [], None
                tags = cell.metadata.setdefault("tags", [])
                if IGNORE_OUTPUT not in tags:
                    tags.append(IGNORE_OUTPUT)
        cells.append(cell)
    student.cells = cells
    student.metadata["lecturekit"] = {**student.metadata.get("lecturekit", {}), "released": True}
    return student


def release(source, out) -> Path:
    """Write the student version of ``source`` to ``out`` (a folder or a file name)."""
    source, out = Path(source), Path(out)
    if not source.is_file():
        raise FileNotFoundError(f"no notebook at {source}")
    target = out / source.name if out.suffix != ".ipynb" else out
    if target.resolve() == source.resolve():
        raise ValueError("release writes a new notebook; OUT must not be SOURCE itself")
    student = release_notebook(nbformat.read(source, as_version=4))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(student, target)
    return target
