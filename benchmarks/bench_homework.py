"""Grading speed: seconds per submission for each assignment, and for a folder of 20.

1. Each assignment's completed notebook (the released copy with the instructor's answers)
   graded alone: the wall time of the whole grade (a fresh process and kernel, the student's
   cells, the hidden tests). Goal: under 60 s each on a CPU.
2. 20 submissions of hw1 (copies of the completed notebook) graded with ``--workers``
   processes at once, against one at a time extrapolated from step 1.

Wall-clock time: grading is what an instructor waits for. On a machine shared with other
jobs the figures are upper bounds; the load average before and after is printed with them.

    python benchmarks/bench_homework.py
    python benchmarks/bench_homework.py --quick     # hw1 only, 4 submissions
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from lecturekit.homework.cells import mark, role
from lecturekit.homework.runner import Limits, grade_many

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "notebooks" / "homework"
ASSIGNMENTS = ("hw1_subwords.ipynb", "hw2_pretraining_objectives.ipynb", "hw3_adaptation.ipynb")


def completed(name: str, folder: Path) -> Path:
    answers = {}
    for cell in nbformat.read(HOMEWORK / name, as_version=4).cells:
        if role(cell) == "answer":
            answers.setdefault(mark(cell)["question"], []).append(cell.source)
    student = nbformat.read(HOMEWORK / "released" / name, as_version=4)
    for cell in student.cells:
        if role(cell) == "answer":
            cell.source = answers[mark(cell)["question"]].pop(0)
    path = folder / name
    nbformat.write(student, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="hw1 only, 4 submissions")
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    names = ASSIGNMENTS[:1] if args.quick else ASSIGNMENTS
    count = 4 if args.quick else args.submissions
    print(f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        single = {}
        for name in names:
            path = completed(name, scratch)
            start = time.perf_counter()
            [graded] = grade_many([path], HOMEWORK, Limits())
            single[name] = time.perf_counter() - start
            result = graded.result
            print(f"{name}: {single[name]:.1f} s for one submission ({result['total']}/{result['max']} points)")
        folder = scratch / "class"
        folder.mkdir()
        for i in range(count):
            shutil.copy(scratch / names[0], folder / f"student{i:02d}.ipynb")
        start = time.perf_counter()
        graded = grade_many([folder], HOMEWORK, Limits(), workers=args.workers)
        total = time.perf_counter() - start
        full = sum(g.result["total"] == g.result["max"] for g in graded)
        print(f"{count} submissions of {names[0]} with {args.workers} workers: {total:.1f} s "
              f"({total / count:.1f} s each; one at a time would take about {single[names[0]] * count:.0f} s); "
              f"{full}/{count} graded full marks")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
