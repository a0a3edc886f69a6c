"""Feedback for one student, as Markdown: each question, its points and the hint.

It is written from the grade alone, which holds no hidden input and no solution (the hints
are the checks' own sentences). Anything that came from the student's notebook (a name in
an error message, the student's folder name) is escaped: ``<``, ``>`` and ``&`` as HTML
entities, so nothing renders as markup in Jupyter or on a course site, Markdown's
table and emphasis characters with a backslash, and bidirectional controls (a student
folder named with U+202E would reverse the rest of its line) as visible tags.
"""

from __future__ import annotations

import html
import re

from ..text import neutralise_bidi

_MARKDOWN = re.compile(r"([\\`*_{}\[\]|#])")


def escape(text) -> str:
    """Plain text, safe inside Markdown and the HTML it becomes."""
    return _MARKDOWN.sub(r"\\\1", html.escape(neutralise_bidi(str(text)), quote=False)).replace("\n", " ")


def feedback_markdown(student: str, assignment: str, result: dict, notes=()) -> str:
    lines = [f"# Feedback: {escape(assignment)}, {escape(student)}", "",
             f"**Total: {result['total']} / {result['max']} points**", "",
             "| Question | Points | Hint |", "|---|---|---|"]
    for question, got in result["questions"].items():
        mark = "✓" if got["points"] == got["max"] else "✗"
        lines.append(f"| {mark} {escape(question)} | {got['points']} / {got['max']} | {escape(got['hint'])} |")
    lines += ["", *[f"- {escape(note)}" for note in notes]]
    lines += ["Each answer was tested on inputs that are not in the notebook, drawn afresh for grading.", ""]
    return "\n".join(lines)
