"""`lecturekit rescore`: cards are re-scored on today's probes, and stale cards are caught."""

from __future__ import annotations

import pytest

import lecturekit
from lecturekit.cli import main
from lecturekit.train.cards import load_card
from lecturekit.world import make_world, probes, score_probes

SHIPPED = ["lecture-bert", "lecture-gpt", "lecture-t5"]


def test_unknown_names_are_refused_before_anything_is_written(capsys):
    assert main(["rescore", "lecture-bert", "bert-base"]) == 2
    assert "not a shipped lecture model: bert-base" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
def test_each_card_reports_todays_world_state_probes(name):
    # The world-state probes were redesigned after the models were first trained; a card
    # scored on the old probes would disagree here (run `lecturekit rescore NAME`).
    model = lecturekit.load_model(name, device="cpu")
    table = score_probes(model, probes(make_world(0), "world_state"))
    card = {row["category"]: row for row in load_card(name)["probes"]}
    assert table.loc["world_state", "top1"] == pytest.approx(card["world_state"]["top1"], abs=0.0005)
