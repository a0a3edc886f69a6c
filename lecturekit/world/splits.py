"""Held-out splits for the pretrain-then-fine-tune experiments of the lecture.

- `sentiment_transfer`: sentiment words split into *seen* (in labelled fine-tuning
  reviews) and *held-out* (met only in unlabelled pretraining text). Does a
  pretrained model classify reviews built from words it never saw with a label?
- `birthplace_qa`: the course's homework in miniature. Fine-tune on "Where was X
  born?" for some people, test on held-out people whose birthplace appears only
  in pretraining biographies; compare with always guessing the most common city.
- `second_domain`: recipes, for continued (domain-adaptive) pretraining.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from .base import LabelledText
from .facts import World, make_world
from .lexicon import INTENSIFIERS, NEGATIVE_WORDS, POSITIVE_WORDS
from .recipes import DomainSplit, second_domain  # noqa: F401  (re-exported)

# --- sentiment transfer ---------------------------------------------------------

REVIEW_LINES = (
    "I saw {title} on Sunday.",
    "We watched {title} together.",
    "{title} was on television last night.",
)
REVIEW_CUES = (
    "It was {intensifier} {word}.",
    "The whole thing felt {word}.",
    "It was not {opposite}.",
    "The characters were {word}.",
    "Nothing about it was {opposite}.",
)


@dataclass
class SentimentSplit:
    seen_words: dict[str, tuple[str, ...]]  # polarity -> words used in labelled reviews
    heldout_words: dict[str, tuple[str, ...]]  # polarity -> words kept out of them
    train: list[LabelledText]  # labelled reviews built only from seen words
    test: list[LabelledText]  # labelled reviews built only from held-out words

    def __repr__(self) -> str:
        return (
            f"SentimentSplit: {len(self.train)} training reviews with "
            f"{sum(map(len, self.seen_words.values()))} seen words, {len(self.test)} test reviews with "
            f"{sum(map(len, self.heldout_words.values()))} held-out words\n"
            f"  held out: {', '.join(self.heldout_words['positive'] + self.heldout_words['negative'])}"
        )


def sentiment_transfer(world: World | None = None, n_train: int = 400, n_test: int = 200,
                       heldout_fraction: float = 1 / 3) -> SentimentSplit:
    """Labelled reviews whose sentiment words are seen (train) or held out (test).

    Both halves are balanced between positive and negative. The pretraining corpus
    uses every sentiment word, so held-out words are known only from raw text.
    """
    world = world if world is not None else make_world(0)
    if not 0 < heldout_fraction < 1:
        raise ValueError(f"heldout_fraction must be between 0 and 1, got {heldout_fraction!r}")
    rng = random.Random(f"sentiment-split-{world.seed}")
    seen, heldout = {}, {}
    for polarity, words in (("positive", POSITIVE_WORDS), ("negative", NEGATIVE_WORDS)):
        shuffled = list(words)
        rng.shuffle(shuffled)
        cut = max(1, round(len(shuffled) * heldout_fraction))
        heldout[polarity], seen[polarity] = tuple(sorted(shuffled[:cut])), tuple(sorted(shuffled[cut:]))
    return SentimentSplit(
        seen_words=seen,
        heldout_words=heldout,
        train=_reviews(world, rng, seen, n_train),
        test=_reviews(world, rng, heldout, n_test),
    )


def _reviews(world: World, rng: random.Random, words: dict[str, tuple[str, ...]], n: int) -> list[LabelledText]:
    reviews = []
    for index in range(n):
        label = "positive" if index % 2 == 0 else "negative"
        quality = "good" if label == "positive" else "bad"
        film = rng.choice([film for film in world.films if film.quality == quality])
        other = "negative" if label == "positive" else "positive"
        sentences = [rng.choice(REVIEW_LINES).format(title=film.title)]
        for template in rng.sample(REVIEW_CUES, 2):
            sentences.append(template.format(
                word=rng.choice(words[label]), opposite=rng.choice(words[other]),
                intensifier=rng.choice(INTENSIFIERS),
            ))
        reviews.append(LabelledText(" ".join(sentences), label))
    return reviews


# --- birthplace questions ------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    person: str
    question: str
    answer: str


@dataclass
class BirthplaceSplit:
    train: list[Question]  # fine-tuning questions
    test: list[Question]  # held-out people: their birthplace is only in pretraining text
    baseline_answer: str  # the most common birthplace among the training people
    baseline_accuracy: float  # accuracy on test of always giving baseline_answer

    def __repr__(self) -> str:
        return (
            f"BirthplaceSplit: {len(self.train)} fine-tuning questions, {len(self.test)} held-out; "
            f"always answering {self.baseline_answer!r} scores {self.baseline_accuracy:.1%} on the held-out people"
        )


def birthplace_qa(world: World | None = None, heldout_fraction: float = 0.3) -> BirthplaceSplit:
    """'Where was X born?' questions, split by person into fine-tuning and held-out sets."""
    world = world if world is not None else make_world(0)
    if not 0 < heldout_fraction < 1:
        raise ValueError(f"heldout_fraction must be between 0 and 1, got {heldout_fraction!r}")
    people = list(world.people)
    random.Random(f"birthplace-split-{world.seed}").shuffle(people)
    cut = round(len(people) * heldout_fraction)
    questions = [Question(p.name, f"Where was {p.name} born?", p.birthplace) for p in people]
    test, train = questions[:cut], questions[cut:]
    # Most common answer; ties go to the city listed first in the world (deterministic).
    counts = Counter(question.answer for question in train)
    order = list(world.cities)
    baseline = min(counts, key=lambda city: (-counts[city], order.index(city)))
    accuracy = sum(question.answer == baseline for question in test) / max(len(test), 1)
    return BirthplaceSplit(train, test, baseline, accuracy)
