"""NLI pairs from the world's facts: labels follow from the facts, splits are balanced and about
different people, and the baselines are what the module says (majority 1/3, word rule 2/3)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from lecturekit.world.facts import make_world
from lecturekit.world.nli import LABELS, concatenated, nli_pairs, relation_rule

WORLD = make_world(0)


def country_named(text: str) -> str:
    return next(c for c in set(WORLD.cities.values()) if re.search(rf"\b{re.escape(c)}\.$", text))


@pytest.mark.parametrize("per_person", [1, 3])
def test_labels_follow_from_the_facts(per_person):
    split = nli_pairs(WORLD, n_train=60, n_test=30, per_person=per_person)
    for pair in split.train + split.test:
        person = WORLD.person(pair.person)
        city = person.birthplace if pair.relation == "born" else person.home
        assert city in pair.premise and pair.person in pair.premise and pair.person in pair.hypothesis
        country = country_named(pair.hypothesis)
        same_relation = ("born" in pair.hypothesis) == (pair.relation == "born")
        if pair.label == "entailment":
            assert same_relation and country == WORLD.cities[city]
        elif pair.label == "contradiction":
            assert same_relation and country != WORLD.cities[city]
        else:
            assert not same_relation


def test_splits_are_balanced_and_about_different_people():
    split = nli_pairs(WORLD, n_train=90, n_test=30, per_person=3)
    assert Counter(p.label for p in split.train) == {label: 90 for label in LABELS}
    assert Counter(p.label for p in split.test) == {label: 30 for label in LABELS}
    assert not {p.person for p in split.train} & {p.person for p in split.test}
    assert split.majority_baseline() == pytest.approx(1 / 3)
    assert split.rule_baseline() == pytest.approx(2 / 3)  # neutral always right, half of the rest


def test_the_rule_reads_only_the_relation_words():
    assert relation_rule("Ana Ito was born in Oslo.", "Ana Ito lives in Chile.") == "neutral"
    assert relation_rule("Ana Ito grew up in Oslo, where she was born.", "Ana Ito was born in Chile.") == "entailment"


def test_gpt_input_is_premise_delimiter_hypothesis_extract():
    pair = nli_pairs(WORLD, n_train=3, n_test=3).test[0]
    assert concatenated(pair) == f"{pair.premise} [SEP] {pair.hypothesis} [EOS]"


def test_the_same_seed_gives_the_same_pairs():
    assert nli_pairs(WORLD, 30, 30, seed=1) == nli_pairs(WORLD, 30, 30, seed=1)
    assert nli_pairs(WORLD, 30, 30, seed=1).train != nli_pairs(WORLD, 30, 30, seed=2).train


@pytest.mark.parametrize(("settings", "message"), [
    ({"n_train": 10}, "multiple of 3"), ({"n_test": 0}, "multiple of 3"), ({"n_train": True}, "multiple of 3"),
    ({"n_train": 300, "n_test": 30}, "the world has 300"), ({"per_person": 2}, "per_person"),
])
def test_bad_sizes_say_what_is_wrong(settings, message):
    with pytest.raises(ValueError, match=message):
        nli_pairs(WORLD, **settings)
