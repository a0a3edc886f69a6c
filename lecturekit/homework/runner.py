"""Grade many submissions: one process each, with a memory limit and a timeout, several at
once. Each process runs ``grade.py`` (which starts the submission's kernel as its child, so
the memory limit set here binds the kernel too). A submission that overruns is killed with
its kernel and scores 0 with a hint saying why; the others are not affected.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .cells import assignment_of
from .questions import questions


@dataclass(frozen=True)
class Limits:
    cell_seconds: float = 300
    notebook_seconds: float = 900
    memory_mb: int = 6144  # address space; torch alone maps about 2 GB


@dataclass
class Graded:
    student: str
    assignment: str
    result: dict  # {"total", "max", "questions": {...}}
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def find_instructor(assignment: str, source) -> Path:
    """The instructor notebook of ``assignment`` in ``source`` (a notebook or a folder)."""
    source = Path(source)
    candidates = [source] if source.is_file() else sorted(source.glob("*.ipynb"))
    for path in candidates:
        notebook = nbformat.read(path, as_version=4)
        released = notebook.metadata.get("lecturekit", {}).get("released")
        if not released and notebook.metadata.get("lecturekit", {}).get("assignment") == assignment:
            return path
    raise FileNotFoundError(f"no instructor notebook for {assignment!r} in {source}")


def _limit_memory(megabytes: int):
    def apply():  # runs in the child before it starts: the kernel it launches inherits the limit
        import resource

        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
        os.setsid()  # a process group of its own, so a timeout can end the kernel too
    return apply


def _zero(assignment: str, hint: str) -> dict:
    asked = questions(assignment)
    return {"total": 0, "max": sum(q.points for q in asked.values()),
            "questions": {q: {"points": 0, "max": v.points, "hint": hint} for q, v in asked.items()}}


def grade_one(submission, student: str, source, limits: Limits = Limits(), threads: int | None = None) -> Graded:
    submission = Path(submission)
    try:
        assignment = assignment_of(nbformat.read(submission, as_version=4))
    except Exception as error:  # not a notebook, or not one of ours
        return Graded(student, "?", {"total": 0, "max": 0, "questions": {}}, notes=[f"not graded: {error}"])
    try:
        instructor = find_instructor(assignment, source)
    except FileNotFoundError as error:
        return Graded(student, assignment, {"total": 0, "max": 0, "questions": {}}, notes=[f"not graded: {error}"])
    wall = limits.notebook_seconds + limits.cell_seconds * (len(questions(assignment)) + 1) + 30
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)  # parallel workers share the cores
    command = [sys.executable, "-m", "lecturekit.homework.grade", str(submission.resolve()), str(instructor.resolve()),
               str(limits.cell_seconds), str(limits.notebook_seconds)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               preexec_fn=_limit_memory(limits.memory_mb))
    try:
        out, err = process.communicate(timeout=wall)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        hint = f"the whole notebook ran past {wall:g} s and was stopped"
        return Graded(student, assignment, _zero(assignment, hint), time.perf_counter() - start, [hint])
    seconds = time.perf_counter() - start
    try:
        os.killpg(process.pid, signal.SIGKILL)  # a kernel left behind by a crash
    except ProcessLookupError:
        pass
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        last = (err.strip().splitlines() or ["no output"])[-1]
        return Graded(student, assignment, _zero(assignment, "the grader could not run this notebook"),
                      seconds, [f"grader failed: {last}"])
    return Graded(student, assignment, json.loads(lines[-1]), seconds)


def student_names(paths) -> list[tuple[Path, str]]:
    """(notebook, student) for each argument: a notebook, or a folder of them (searched
    below, one student per file, named by its path inside the folder)."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            for notebook in sorted(path.rglob("*.ipynb")):
                if ".ipynb_checkpoints" not in notebook.parts:
                    found.append((notebook, "/".join(notebook.relative_to(path).with_suffix("").parts)))
        elif path.is_file():
            found.append((path, path.stem))
        else:
            raise FileNotFoundError(f"no notebook or folder at {path}")
    return found


def grade_many(paths, source, limits: Limits = Limits(), workers: int = 1) -> list[Graded]:
    """Grade every submission in ``paths``, ``workers`` at a time, in the order given."""
    jobs = student_names(paths)
    threads = 1 if workers > 1 else None
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda job: grade_one(job[0], job[1], source, limits, threads), jobs))
