"""How the grader reads a hidden test's result: only with its cell's own token, from the
results file first and the printed line second (no kernel here: the cells are built by hand)."""

from __future__ import annotations

import json

import nbformat

from lecturekit.homework.grade import GRADER_KEY, GRADER_TOKEN, read_results
from lecturekit.homework.questions import RESULT_MARK


def graded_cell(question: str, token: str, printed: dict | None = None):
    cell = nbformat.v4.new_code_cell("hidden_test(...)")
    cell.metadata[GRADER_KEY], cell.metadata[GRADER_TOKEN] = question, token
    if printed is not None:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{RESULT_MARK} {json.dumps(printed)}\n")]
    return cell


def notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells), metadata={"lecturekit": {"assignment": "hw2"}})


def entry(question: str, points: int, token: str) -> dict:
    return {"question": question, "points": points, "max": 2, "hint": "", "token": token}


def test_a_lost_printed_line_is_read_from_the_results_file():
    executed = notebook(graded_cell("hw2.span_corruption", "abc"))
    got = read_results(executed, 300, written=[entry("hw2.span_corruption", 2, "abc")])
    assert got["hw2.span_corruption"]["points"] == 2
    assert read_results(executed, 300)["hw2.span_corruption"]["points"] == 0


def test_entries_without_the_cells_token_do_not_count():
    forged = [entry("hw2.span_corruption", 2, ""), entry("hw2.span_corruption", 2, "guess")]
    executed = notebook(graded_cell("hw2.span_corruption", "abc", printed=entry("hw2.span_corruption", 2, "nope")))
    assert read_results(executed, 300, written=forged)["hw2.span_corruption"]["points"] == 0


def test_the_last_entry_with_the_token_wins_and_questions_stay_apart():
    written = [entry("hw2.span_corruption", 0, "abc"), entry("hw2.causal_mask", 2, "def"),
               entry("hw2.span_corruption", 2, "abc")]
    executed = notebook(graded_cell("hw2.span_corruption", "abc"), graded_cell("hw2.causal_mask", "abc"))
    got = read_results(executed, 300, written=written)
    assert got["hw2.span_corruption"]["points"] == 2
    assert got["hw2.causal_mask"]["points"] == 0  # its entry carries another cell's token
