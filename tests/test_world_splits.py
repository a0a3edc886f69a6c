"""Held-out splits: sentiment transfer, birthplace questions, the recipe domain."""

import re
from collections import Counter

import pytest

from lecturekit.world import build_corpus, make_world
from lecturekit.world.lexicon import (
    NEGATIVE_WORDS,
    POSITIVE_WORDS,
    VERDICT_NEGATIVE,
    VERDICT_POSITIVE,
)
from lecturekit.world.recipes import INGREDIENTS
from lecturekit.world.splits import birthplace_qa, second_domain, sentiment_transfer


@pytest.fixture(scope="module")
def world():
    return make_world(0)


@pytest.fixture(scope="module")
def sentiment(world):
    return sentiment_transfer(world)


@pytest.fixture(scope="module")
def corpus_text():
    return build_corpus(400_000, seed=0).text()


def words_of(text):
    return set(re.findall(r"[a-z]+", text.lower()))


def test_seen_and_heldout_words_partition_the_sentiment_lexicon(sentiment):
    for polarity, lexicon in (("positive", POSITIVE_WORDS), ("negative", NEGATIVE_WORDS)):
        seen, held = set(sentiment.seen_words[polarity]), set(sentiment.heldout_words[polarity])
        assert seen and held and not seen & held
        assert seen | held == set(lexicon)


def test_no_heldout_sentiment_word_in_the_labelled_finetuning_set(sentiment):
    heldout = set(sentiment.heldout_words["positive"] + sentiment.heldout_words["negative"])
    seen = set(sentiment.seen_words["positive"] + sentiment.seen_words["negative"])
    verdicts = set(VERDICT_POSITIVE + VERDICT_NEGATIVE)
    for review in sentiment.train:
        assert not words_of(review.text) & (heldout | verdicts), review.text
        assert words_of(review.text) & seen, review.text  # it does carry sentiment
    for review in sentiment.test:
        assert not words_of(review.text) & (seen | verdicts), review.text
        assert words_of(review.text) & heldout, review.text


def test_review_labels_are_balanced_and_match_the_film(sentiment, world):
    for reviews in (sentiment.train, sentiment.test):
        assert Counter(r.label for r in reviews) == {"positive": len(reviews) // 2, "negative": len(reviews) // 2}
        for review in reviews:
            (film,) = [f for f in world.films if f.title in review.text]
            assert review.label == ("positive" if film.quality == "good" else "negative")


def test_heldout_words_do_appear_in_pretraining_text(sentiment, corpus_text):
    text_words = words_of(corpus_text)
    for word in sentiment.heldout_words["positive"] + sentiment.heldout_words["negative"]:
        assert word in text_words, word


def test_birthplace_split_is_by_person_and_answers_are_facts(world):
    split = birthplace_qa(world)
    train = {q.person for q in split.train}
    test = {q.person for q in split.test}
    assert not train & test and train | test == {p.name for p in world.people}
    assert len(test) == pytest.approx(0.3 * len(world.people), abs=1)
    for question in split.train + split.test:
        assert question.question == f"Where was {question.person} born?"
        assert question.answer == world.person(question.person).birthplace


def test_most_common_birthplace_baseline(world):
    split = birthplace_qa(world)
    counts = Counter(q.answer for q in split.train)
    assert counts[split.baseline_answer] == max(counts.values())
    hits = sum(q.answer == split.baseline_answer for q in split.test)
    assert split.baseline_accuracy == pytest.approx(hits / len(split.test))
    assert split.baseline_accuracy < 0.15  # far from solved by guessing


def test_heldout_birthplaces_are_only_in_pretraining_text(world, corpus_text):
    split = birthplace_qa(world)
    for question in split.test:
        assert question.question not in corpus_text  # never asked in pretraining
    biographies = corpus_text.split("\n\n")
    for question in split.test:
        assert any(question.person in d and question.answer in d for d in biographies), question


def test_second_domain_recipes():
    domain = second_domain(30_000, seed=0)
    assert domain.corpus.word_count() >= 30_000
    assert {d.category for d in domain.corpus} == {"recipes"}
    assert second_domain(30_000, seed=0).corpus.text() == domain.corpus.text()
    assert not set(INGREDIENTS["dessert"]) & set(INGREDIENTS["main"])
    text = domain.corpus.text()
    course_of = {dish.name: dish.course for dish in domain.dishes}
    for question in domain.test:
        (name,) = re.findall(r"the (.+)\?", question.text)
        assert question.label == course_of[name]
        assert name in text  # the held-out dish is described only in the unlabelled recipes
        assert not words_of(name) & {"dessert", "main", "sweet"}  # its name gives nothing away
        recipes = [d.text for d in domain.corpus if f"the {name}" in d.text]
        assert all(words_of(r) & set(INGREDIENTS[question.label]) for r in recipes)
    assert Counter(d.course for d in domain.dishes) == {"dessert": 40, "main": 40}
    with pytest.raises(ValueError, match="positive whole number"):
        second_domain(0)


def test_split_arguments_are_checked(world):
    with pytest.raises(ValueError, match="between 0 and 1"):
        sentiment_transfer(world, heldout_fraction=1.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        birthplace_qa(world, heldout_fraction=0)
