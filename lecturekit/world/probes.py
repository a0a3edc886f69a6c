"""Cloze probes: one set of fill-in-the-blank items per lecture category.

Every item is written from the world's facts as a sentence the corpus never
contains (tested): a model that fills the blank has learned the fact or the rule,
not the sentence. The words just before the blank are kept familiar ("X was born
in ___"), because that is where a small model's knowledge is cued; the sentence
is made new around them (a different ending, an added clause, another opener).
Each category's probe builder sits beside its writer, in `writers/<category>.py`;
`probes` here is the one entry point.

Balance criterion (tested): within a category, items that are ranked over the
same candidates have each gold answer equally often (counts differ by at most
one). Number patterns, whose answers are numbers, are instead balanced over the
four rule families, and no number is the answer to more than 5% of the items.
So a model cannot score well by always saying the same word; the majority
baseline that `score_probes` reports is close to one over the number of answers.
Number items share one candidate list (every number that answers some item), so
the list itself gives nothing away.
"""

from __future__ import annotations

import random

from ..text import BLANK  # noqa: F401  (the blank every probe text contains; importable from here)
from .base import CATEGORIES, ClozeItem, check_category, cloze_item
from .facts import World
from .lexicon import HABITATS, ROOMS
from .writers import PROBES

ITEMS_PER_CATEGORY = 240


def probes(world: World, category: str | None = None, n: int = ITEMS_PER_CATEGORY) -> list[ClozeItem]:
    """Cloze items for one category, or for all seven (in lecture order) when category is None."""
    if category is None:
        return [item for name in CATEGORIES for item in probes(world, name, n)]
    check_category(category)
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive number of items, got {n!r}")
    # One generator per category and seed: the items of a category do not change
    # when another category's builder changes.
    rng = random.Random(f"probes-{world.seed}-{category}")
    return PROBES[category](world, rng, n)


def lecture_examples() -> list[ClozeItem]:
    """The lecture's own cloze sentences, one per category, for trying real models.

    They are not about the generated world (Stanford, Iroh and Zuko are not in it),
    so a lecture-world model should not be expected to get them; a real pretrained
    model often does.
    """
    animals = tuple(animal for group in HABITATS.values() for animal in group)
    listed = ("fish", "turtles", "seals")
    return [
        cloze_item("trivia", "Stanford University is located in ___, California.", "Stanford",
                   ("Stanford", "Berkeley", "Sacramento", "Pasadena", "Boston")),
        cloze_item("syntax", "I put ___ fork down on the table.", "the", ("the", "a", "an", "these"), {"the", "a"}),
        cloze_item("coreference", "The woman walked across the street, checking for traffic over ___ shoulder.",
                   "her", ("his", "her", "their", "its")),
        cloze_item("lexical_semantics", "I went to the ocean to see the fish, turtles, seals, and ___.", "dolphins",
                   animals, {a for a in HABITATS["ocean"] if a not in listed}),
        cloze_item("sentiment", "Overall, the value I got from the two hours watching it was the sum total of the "
                   "popcorn and the drink. The movie was ___.", "bad", ("good", "bad")),
        cloze_item("world_state", "Iroh went into the kitchen to make some tea. Standing next to Iroh, Zuko "
                   "pondered his destiny. Zuko left the ___.", "kitchen", ROOMS),
        cloze_item("number_patterns", "I was thinking about the sequence that goes 1, 1, 2, 3, 5, 8, 13, 21, ___",
                   "34", ("22", "29", "34", "35", "42")),
    ]
