"""Sentiment: film and restaurant reviews whose words reveal what the writer thought.

The lecture's example ends "... The movie was ___." Each film and restaurant in the
world has a true quality; every review of it agrees, through positive or negative
words, negated opposites ("not boring at all"), intensifiers, and a closing verdict.
The probes give one such cue about a film and ask for the verdict: good or bad.
"""

from __future__ import annotations

import random

from ..base import ClozeItem, cloze_item
from ..facts import World
from ..lexicon import (
    INTENSIFIERS,
    NEGATIVE_WORDS,
    POSITIVE_WORDS,
    VERDICT_NEGATIVE,
    VERDICT_POSITIVE,
)
from .base import Context, capitalize, pick

FILM_OPENING = (
    "I watched {title} last night.",
    "We finally saw {title} at the cinema.",
    "{title} came out in {year}, and I watched it again this week.",
    "My friends talked me into seeing {title}.",
    "A review of {title}, directed by {director}.",
    "I had heard a lot about {title} before I saw it.",
    "Everyone has been asking me about {title}.",
    "On a rainy evening I put on {title}.",
    "I went to see {title} with my cousin.",
)
RESTAURANT_OPENING = (
    "We had dinner at {title} in {city}.",
    "Last Friday I tried {title}, a place in {city}.",
    "{title} in {city} was fully booked, but we got a table.",
    "My parents took me to {title} for my birthday.",
)
# {word} has the review's polarity; {opposite} has the other one and is negated.
CUES = (
    "The acting was {intensifier} {word}.",
    "The story was not {opposite} at all.",
    "I found the ending {word}.",
    "What a {word} {thing}!",
    "Every scene felt {word}.",
    "It was never {opposite}.",
    "The music was {word}, and the pacing was not {opposite}.",
    "Honestly, it was {intensifier} {word} from start to finish.",
    "My friend called it {word}, and I agree.",
    "I would not call it {opposite}; it was {word}.",
    "The dialogue was {word}.",
    "Some say it is {opposite}, but they are wrong: it is {word}.",
    "The photography was {intensifier} {word}.",
    "I have rarely seen something so {word}.",
    "Nobody in the audience found it {opposite}.",
    "The second half was even more {word}.",
    "It is {word}, and not {opposite} in any way.",
    "The lead role was {word}.",
)
FOOD_CUES = (
    "The soup was {intensifier} {word}.",
    "The service was not {opposite} at all.",
    "Dessert was {word}.",
    "What a {word} evening!",
    "The room felt {word}, and the staff were never {opposite}.",
    "Every dish was {word}.",
)
VERDICT = (
    "Overall, the {thing} was {verdict}.",
    "In short, {title} is {verdict}.",
    "My verdict: {verdict}.",
    "I would say the {thing} was {verdict}.",
    "All things considered, it was {verdict}.",
    "Final score: {verdict}.",
    "To sum up, the {thing} was {verdict}.",
    "So was it any good? It was {verdict}.",
    "Bottom line: {verdict}.",
    "My final word on {title}: {verdict}.",
)
TEMPLATE_LISTS = (FILM_OPENING, RESTAURANT_OPENING, CUES, FOOD_CUES, VERDICT)


def polarity_words(quality: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(words of this polarity, words of the other polarity, verdict words) for a quality."""
    if quality == "good":
        return POSITIVE_WORDS, NEGATIVE_WORDS, VERDICT_POSITIVE
    return NEGATIVE_WORDS, POSITIVE_WORDS, VERDICT_NEGATIVE


def write(context: Context) -> str:
    rng = context.rng
    if rng.random() < 0.7:
        film = context.film()
        fields = {"title": film.title, "year": str(film.year), "director": film.director, "thing": "movie"}
        quality, openings, cues = film.quality, FILM_OPENING, CUES
    else:
        place = rng.choice(context.world.restaurants)
        fields = {"title": place.name, "city": place.city, "thing": "meal"}
        quality, openings, cues = place.quality, RESTAURANT_OPENING, FOOD_CUES
    same, other, verdicts = polarity_words(quality)
    sentences = [pick(rng, openings, fields)]
    for _ in range(rng.randint(2, 4)):
        fields["word"] = rng.choice(same)
        fields["opposite"] = rng.choice(other)
        fields["intensifier"] = rng.choice(INTENSIFIERS)
        sentences.append(pick(rng, cues, fields))
    fields["verdict"] = rng.choice(verdicts)
    sentences.append(pick(rng, VERDICT, fields))
    return " ".join(sentences)


# --- probes: was the film good or bad? -------------------------------------------------

PROBE_CUES = (
    "The acting in {title} was {word}.",
    "{title} was not {opposite} at all.",
    "Two hours of {title}, and every minute of it was {word}.",
    "Even my grandmother found {title} {word}.",
)
PROBE_VERDICTS = (
    "Overall, the movie was ___, in my opinion.",
    "In short, {title} was ___.",
    "All things considered, {title} was ___.",
)


def probes(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    good = [film for film in world.films if film.quality == "good"]
    bad = [film for film in world.films if film.quality == "bad"]
    items = []
    for index in range(n):
        film = (good if index % 2 == 0 else bad)[(index // 2) % min(len(good), len(bad))]
        same, other, _ = polarity_words(film.quality)
        fields = {"title": film.title, "word": rng.choice(same), "opposite": rng.choice(other)}
        text = rng.choice(PROBE_CUES).format(**fields) + " " + rng.choice(PROBE_VERDICTS).format(**fields)
        items.append(cloze_item("sentiment", capitalize(text), film.quality, ("good", "bad")))
    return items
