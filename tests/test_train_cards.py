"""Reading the model cards: the probe-history plot and perplexity beside probe accuracy."""

from __future__ import annotations

import math

from lecturekit.train.cards import load_card, perplexity_and_probes, plot_probe_history
from lecturekit.world import CATEGORIES


def test_perplexity_is_the_exponential_of_the_cards_validation_loss_at_each_evaluation():
    table = perplexity_and_probes("lecture-gpt")
    card = load_card("lecture-gpt")
    losses = dict(zip(card["loss_history"]["step"], card["loss_history"]["validation_loss"], strict=True))
    assert len(table) >= 5
    for step, row in table.iterrows():
        assert row["validation perplexity"] == round(math.exp(losses[step]), 2)
        rows = [r["top1"] for r in card["probe_history"] if r["step"] == step]
        assert len(rows) == len(CATEGORIES)
        assert abs(row["mean probe top-1"] - sum(rows) / len(rows)) < 0.0006


def test_the_history_plot_has_a_panel_per_category_with_both_bars():
    figure = plot_probe_history(["lecture-bert", "lecture-gpt"])
    panels = [axis for axis in figure.axes if axis.get_title()]
    assert [axis.get_title().split("  ")[0] for axis in panels] == [c.replace("_", " ") for c in CATEGORIES]
    for axis in panels:
        dashed = [line for line in axis.get_lines() if line.get_linestyle() in ("--", ":")]
        assert len(dashed) == 2, axis.get_title()  # the most frequent answer and the best surface rule
        assert len(axis.get_lines()) == 4  # two models + two bars
    two_way = [axis.get_title() for axis in panels if "0.5 = chance" in axis.get_title()]
    assert two_way == ["syntax  (0.5 = chance)", "coreference  (0.5 = chance)", "sentiment  (0.5 = chance)"]
