"""The sweep numbers notebook 08 prints come from the committed results file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lecturekit.scaling.isoflop import fit_exponent, iso_flop_minima
from lecturekit.scaling.sweep import load_results, runs_table

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "08_scaling.ipynb"


def printed_text() -> str:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    parts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                parts.append("".join(output["text"]))
            elif "text/plain" in output.get("data", {}):
                parts.append("".join(output["data"]["text/plain"]))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def text():
    return printed_text()


def number(pattern: str, text: str) -> tuple[float, ...]:
    found = re.search(pattern, text)
    assert found, f"notebook 08 no longer prints {pattern!r}"
    return tuple(float(g) for g in found.groups())


def test_the_printed_exponent_is_the_committed_files(text):
    runs = runs_table(load_results("cpu"))
    fit = fit_exponent(runs, bootstrap=2000, seed=0)  # as the notebook calls it
    (a,) = number(r"fitted exponent a = (\d+\.\d+)", text)
    (error,) = number(r"standard error of the line: (\d+\.\d+)", text)
    low, high = number(r"bootstrap 95% interval:\s+(\d+\.\d+) to (\d+\.\d+)", text)
    used, budgets = number(r"from (\d+) of (\d+) budgets", text)
    assert a == round(fit.a, 2) and error == round(fit.standard_error, 2)
    assert (low, high) == (round(fit.bootstrap_low, 2), round(fit.bootstrap_high, 2))
    assert (used, budgets) == (len(fit.used), fit.budgets)


def test_the_printed_minima_are_the_committed_files(text):
    minima = iso_flop_minima(runs_table(load_results("cpu")))
    for row in minima.itertuples():
        # the minima table: budget, sizes, best measured N, fitted N (to hundreds), fitted loss
        assert re.search(rf"{row.sizes}\s+{row.best_measured_parameters}\s+{round(row.fitted_parameters, -2):.1f}\s+"
                         rf"{row.fitted_loss:.2f}", text), row


def test_the_printed_run_count_and_command(text):
    results = load_results("cpu")
    assert results["command"] in text
    assert f"{len(results['runs'])} runs on {results['device']}" in text
