"""Surface heuristics: what a pattern-matcher gets on the probes, so that "learned" means more."""

from __future__ import annotations

import pytest

from lecturekit.world import make_world, probes
from lecturekit.world.heuristics import (
    FirstCandidate,
    MostFrequentInContext,
    MostRecentCandidate,
    NearestNamePronoun,
    NotYetNamed,
    heuristic_table,
)
from lecturekit.world.scoring import score_probes

ROOMS = ["kitchen", "garden", "attic"]
TEXT = "Ada went to the garden, then the kitchen, then the garden again. She left the ___."


def best(heuristic, text, candidates):
    scores = heuristic.score_candidates(text, candidates)
    return candidates[max(range(len(scores)), key=scores.__getitem__)]


def test_each_heuristic_does_what_its_name_says():
    assert best(MostRecentCandidate(), TEXT, ROOMS) == "garden"
    assert best(MostRecentCandidate(), "The attic, then the kitchen. Left the ___.", ROOMS) == "kitchen"
    assert best(FirstCandidate(), "The attic, then the kitchen. Left the ___.", ROOMS) == "attic"
    assert best(MostFrequentInContext(), TEXT, ROOMS) == "garden"
    assert best(NotYetNamed(), TEXT, ROOMS) == "attic"
    # Words after the blank do not count as "before" it.
    assert best(MostRecentCandidate(), "The attic. Left the ___ for the kitchen.", ROOMS) == "attic"


@pytest.fixture(scope="module")
def world():
    return make_world(0)


def test_the_nearest_name_decides_the_pronoun(world):
    woman = next(p for p in world.people if p.gender == "female")
    man = next(p for p in world.people if p.gender == "male")
    heuristic = NearestNamePronoun(world)
    text = f"{man.name} met {woman.name}, and ___ smiled."
    assert best(heuristic, text, ["he", "she"]) == "she"
    text = f"{woman.name} met {man.name}, and ___ smiled."
    assert best(heuristic, text, ["he", "she"]) == "he"
    assert heuristic.score_candidates("Nobody came, and ___ smiled.", ["he", "she"]) == [0.0, 0.0]


@pytest.fixture(scope="module")
def table(world):
    return heuristic_table(world, probes(world))


def test_the_bar_is_the_best_heuristic_plus_the_margin(table):
    heuristics = table.drop(columns=["best heuristic", "strongest", "bar to clear"])
    assert (table["best heuristic"] == heuristics.max(axis=1)).all()
    assert ((table["bar to clear"] - table["best heuristic"]).round(9) == 0.10).all()
    # A heuristic with no opinion on an item falls back on the majority answer, so on
    # categories where none applies every heuristic equals the majority baseline.
    assert (heuristics.loc["trivia"] == table.loc["trivia", "majority answer"]).all()


def test_the_table_agrees_with_scoring_one_heuristic(world, table):
    items = probes(world, "world_state")
    direct = score_probes(MostRecentCandidate(), items)
    assert table.loc["world_state", "most recent candidate"] == direct.loc["world_state", "top1"]


@pytest.mark.xfail(strict=True, reason=(
    "today's world-state probes are answered by the last room named, and coreference probes by the "
    "nearest name's pronoun: both categories must be redesigned so that tracking is needed"))
def test_no_surface_heuristic_reaches_0_6_on_the_tracking_categories(table):
    assert table.loc["world_state", "best heuristic"] < 0.6
    assert table.loc["coreference", "best heuristic"] < 0.6
