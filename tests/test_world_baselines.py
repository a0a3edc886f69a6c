"""The counting baseline: exact on a toy example, and it finds the facts in the corpus."""

import math

import pytest

from lecturekit.world import build_corpus, make_world, probes, score_probes
from lecturekit.world.baselines import CooccurrenceScorer


def test_naive_bayes_scores_on_a_toy_corpus():
    scorer = CooccurrenceScorer(["cat dog", "cat fish", "dog bird"], {"cat", "dog"}, smoothing=0.1)
    cat, dog = scorer.score_candidates("The ___ ate a fish", ["cat", "dog"])
    # P(c) over 3 documents; each context word w: (documents with w and c) / (documents with c).
    # Words never seen with either candidate ("the", "ate", "a") cost both the same.
    unseen = 3 * math.log(0.1 / 2.2)
    assert cat == pytest.approx(math.log(2.1 / 3.1) + math.log(1.1 / 2.2) + unseen)
    assert dog == pytest.approx(math.log(2.1 / 3.1) + math.log(0.1 / 2.2) + unseen)


def test_counting_recovers_the_facts_the_probes_ask_about():
    world = make_world(0)
    items = probes(world)
    corpus = build_corpus(300_000, seed=0, world=world)
    scorer = CooccurrenceScorer(corpus.documents, {word for item in items for word in item.candidates})
    table = score_probes(scorer, items)
    # Facts stated together in a document (who was born where, which film was good,
    # whose pronoun is what) are recoverable by counting ...
    for category in ("trivia", "coreference", "sentiment"):
        assert table.loc[category, "top1"] > table.loc[category, "baseline_top1"] + 0.2, table
    # ... where someone is at the end of a story is not: counting which rooms go with
    # the words of the story does no better than the surface rules (all at most 0.5).
    assert table.loc["world_state", "top1"] < 0.5, table
    # ... animals of one habitat always land in the top five ...
    assert table.loc["lexical_semantics", "top5"] > 0.95
    # ... but a bag of words cannot continue a sequence.
    assert table.loc["number_patterns", "top1"] < 0.2


def test_bad_inputs():
    with pytest.raises(ValueError, match="candidate words"):
        CooccurrenceScorer(["a b"], [])
    with pytest.raises(ValueError, match="no documents"):
        CooccurrenceScorer([], ["a"])
