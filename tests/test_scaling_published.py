"""The table of published models: the issue's figures, each with a source."""

from __future__ import annotations

import pytest

from lecturekit.scaling import published_models


@pytest.fixture(scope="module")
def table():
    return published_models()


def test_the_models_the_lecture_names(table):
    expected = {  # parameters, tokens
        "GPT-3 175B": (175e9, 300e9), "Gopher 280B": (280e9, 300e9), "Chinchilla 70B": (70e9, 1.4e12),
        "LLaMA 7B": (6.7e9, 1.0e12), "LLaMA 65B": (65.2e9, 1.4e12), "Llama 2 70B": (70e9, 2.0e12),
        "Llama 3 8B": (8e9, 15e12), "Llama 3 70B": (70e9, 15e12),
    }
    for model, (parameters, tokens) in expected.items():
        assert table.loc[model, "parameters"] == parameters
        assert table.loc[model, "tokens"] == tokens


def test_every_row_has_a_source_and_says_where_its_compute_comes_from(table):
    assert table.source.str.len().min() > 20
    assert set(table.compute_from) == {"reported", "6ND"}
    assert table.loc["GPT-3 175B", "compute"] == 3.14e23 and table.loc["GPT-3 175B", "compute_from"] == "reported"
    assert table.loc["Chinchilla 70B", "compute"] == table.loc["Gopher 280B", "compute"] == 5.76e23
    six_nd = table[table.compute_from == "6ND"]
    assert (six_nd.compute == 6 * six_nd.parameters * six_nd.tokens).all()


def test_reported_compute_is_close_to_six_nd_where_both_exist(table):
    reported = table[table.compute_from == "reported"]
    ratio = reported.compute / reported.six_nd
    assert ratio.loc["GPT-3 175B"] == pytest.approx(1, abs=0.01)
    assert ratio.loc["Chinchilla 70B"] == pytest.approx(1, abs=0.03)
    assert ratio.loc["Llama 3.1 405B"] == pytest.approx(1, abs=0.01)
    # Gopher's budget is its authors' own fuller count: 14% above 6ND.
    assert ratio.loc["Gopher 280B"] == pytest.approx(1.14, abs=0.01)


def test_tokens_per_parameter(table):
    assert table.loc["Chinchilla 70B", "tokens_per_parameter"] == pytest.approx(20)
    assert table.loc["GPT-3 175B", "tokens_per_parameter"] == pytest.approx(1.71, abs=0.01)
    assert table.loc["Llama 3 8B", "tokens_per_parameter"] > 1000
