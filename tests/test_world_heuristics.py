"""Surface heuristics: what a pattern-matcher gets on the probes, so that "learned" means more."""

from __future__ import annotations

import pytest

from lecturekit.world import make_world, probes
from lecturekit.world.heuristics import (
    FirstCandidate,
    LastCandidateWithName,
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


def test_the_room_beside_the_name_is_the_last_one_in_a_sentence_about_that_person(world):
    a, b = sorted({p.first for p in world.people})[:2]
    heuristic = LastCandidateWithName(world)
    text = f"{a} went to the attic. {b} went to the garden. Then {a} went to the kitchen. {b} waved. Where is {a}? In the ___."
    assert best(heuristic, text, ROOMS) == "kitchen"
    text = f"{a} went to the attic. {b} went to the garden. {b} waved. So {a} is in the ___."
    assert best(heuristic, text, ROOMS) == "attic"
    # A sentence naming nobody asked about gives no opinion.
    assert heuristic.score_candidates(f"{b} went to the garden. Then the ___.", ROOMS) == [0.0] * 3


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


def test_no_surface_heuristic_reaches_0_6_on_world_state(table):
    # The stories are balanced: the last room named, the first, the most frequent and the
    # last one beside the person's name are each right about half the time or less.
    assert table.loc["world_state", "best heuristic"] < 0.6
    for rule in ("most recent candidate", "first candidate", "most frequent in context",
                 "last candidate beside the name"):
        assert 0.2 < table.loc["world_state", rule] <= 0.5, rule


@pytest.mark.xfail(strict=True, reason=(
    "coreference probes name one person, so the pronoun of the nearest name answers all of "
    "them (that rule needs to know which names are women's: world knowledge, but not "
    "coreference); the category is never credited until it is redesigned with two people"))
def test_no_surface_heuristic_reaches_0_6_on_coreference(table):
    assert table.loc["coreference", "best heuristic"] < 0.6
