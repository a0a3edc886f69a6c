"""Lexical semantics: which animals belong together.

The lecture's example: "I went to the ocean to see the fish, turtles, seals, and
___." Lists of animals seen in one habitat teach that words which share contexts
share meaning (the distributional hypothesis). The probes list three animals of
a habitat and ask for another one.
"""

from __future__ import annotations

import random

from ..base import ClozeItem, cloze_item
from ..facts import World
from ..lexicon import HABITAT_PLACES
from .base import Context, pick

LISTS = (
    "I went to the {place} to see the {list}.",
    "At the {place} we saw {list}.",
    "On our trip to the {place} we spotted {list}.",
    "The guide at the {place} pointed out {list}.",
    "My sister took photos of {list} at the {place}.",
    "A day at the {place} means {list}.",
    "Children who visit the {place} love the {list}.",
    "The book about the {place} has chapters on {list}.",
    "If you are lucky, the {place} will show you {list}.",
    "Our teacher drew {list} on a poster about the {place}.",
    "The postcard from the {place} showed {list}.",
    "Scientists study {list} in the {place}.",
    "A film about the {place} followed {list}.",
    "In the {place} you may meet {list}.",
    "The children drew the {place} with {list}.",
    "Our neighbour keeps talking about the {list} of the {place}.",
    "The museum has a room on the {place}, with {list}.",
    "Tourists in the {place} hope to photograph {list}.",
)
PAIRS = (
    "The {first} and the {second} both live in the {place}.",
    "You can find {first} in the {place}, and {second} too.",
    "In the {place}, {first} share their home with {second}.",
    "Near the {first} we noticed some {second}.",
    "Where there are {first}, there are usually {second}.",
    "Both {first} and {second} are common in the {place}.",
    "Like {first}, {second} make their home in the {place}.",
    "The {place} would not be the same without {first} and {second}.",
    "Both the {first} and the {second} belong to the {place}.",
    "Along with {first}, the {place} is full of {second}.",
)
CLOSING = (
    "It was the best trip of the year.",
    "We want to go back next summer.",
    "Nobody wanted to leave.",
    "The weather was perfect for it.",
    "Everyone was tired but happy.",
    "We counted more animals than we could remember.",
    "The photos did not do it justice.",
    "I wrote it all down in my notebook.",
)
TEMPLATE_LISTS = (LISTS, PAIRS, CLOSING)


def write(context: Context) -> str:
    rng = context.rng
    habitat = rng.choice(list(context.world.habitats))
    animals = context.world.habitats[habitat]
    place = HABITAT_PLACES[habitat]
    sentences = []
    for _ in range(rng.randint(2, 3)):
        chosen = rng.sample(animals, rng.randint(3, 5))
        listed = ", ".join(chosen[:-1]) + (", and " if rng.random() < 0.5 else " and ") + chosen[-1]
        sentences.append(pick(rng, LISTS, {"place": place, "list": listed}))
    first, second = rng.sample(animals, 2)
    sentences.append(pick(rng, PAIRS, {"place": place, "first": first, "second": second}))
    if rng.random() < 0.5:
        sentences.append(rng.choice(CLOSING))
    return " ".join(sentences)


# --- probes: which animal belongs to the list? -----------------------------------------

PROBE_LISTS = (
    "Last summer, at the {place} we saw {listed}, and ___.",
    "On our trip to the {place} we spotted {listed}, and ___ as well.",
    "Once more, the guide at the {place} pointed out {listed}, and ___.",
    "I went to the {place} hoping to see {listed}, and ___.",
)


def probes(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    animals = world.animals
    items = []
    for index in range(n):
        answer = animals[index % len(animals)]  # every animal is the gold answer equally often
        habitat = world.habitat_of(answer)
        others = [animal for animal in world.habitats[habitat] if animal != answer]
        listed = rng.sample(others, 3)
        text = rng.choice(PROBE_LISTS).format(place=HABITAT_PLACES[habitat], listed=", ".join(listed))
        acceptable = {animal for animal in world.habitats[habitat] if animal not in listed}
        items.append(cloze_item("lexical_semantics", text, answer, animals, acceptable))
    return items
