"""The gradebook: one CSV row per submission, one column per question (points earned)."""

from __future__ import annotations

import csv
from pathlib import Path


def write_gradebook(graded, path) -> Path:
    """``student, assignment, total, max, seconds`` then each question's points, in the
    order the questions first appear. A spreadsheet formula cannot hide in a student name:
    a leading ``= + - @`` is quoted with an apostrophe."""
    questions: list[str] = []
    for item in graded:
        questions += [q for q in item.result["questions"] if q not in questions]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "total", "max", "seconds", *questions])
        for item in graded:
            name = "'" + item.student if item.student[:1] in "=+-@" else item.student
            points = [item.result["questions"].get(q, {}).get("points", "") for q in questions]
            writer.writerow([name, item.assignment, item.result["total"], item.result["max"],
                             round(item.seconds, 1), *points])
    return path
