"""Syntax: everyday scenes full of determiners and subject-verb agreement.

The lecture's example: "I put ___ fork down on the table." A model that reads
enough of these learns that "an" comes before a vowel sound and that plural
subjects take "are" and "were", even with other nouns in between. The probes
ask for a/an, is/are or was/were, with an "attractor" noun of the other number
between subject and verb.
"""

from __future__ import annotations

import random

from ..base import ClozeItem, cloze_item
from ..facts import World
from ..lexicon import NOUNS_A, NOUNS_AN
from .base import Context, article, capitalize, pick

NOUNS = NOUNS_A + NOUNS_AN

SINGULAR = (
    "I put {a_noun} on the {place}.",
    "{A_noun} was lying next to the {other}.",
    "There is {a_noun} in the {room}.",
    "She bought {a_noun} at the market.",
    "He handed me {a_noun} without a word.",
    "We found {a_noun} under the {other}.",
    "The {noun} near the {others} is new.",
    "The {noun} on the {place} was dusty.",
    "Someone left {a_noun} in the {room}.",
    "My brother needs {a_noun} for school.",
    "The {noun} is where you left it.",
    "Please bring {a_noun} to the {room}.",
    "There was {a_noun} beside the door.",
    "The {noun} from the {room} has gone missing.",
    "Grandma keeps {a_noun} on the {place} for luck.",
    "I could not find {a_noun} anywhere in the {room}.",
    "The {noun} has been on the {place} since Monday.",
    "Is there {a_noun} I could borrow?",
    "We need {a_noun} and {a_other} before dinner.",
    "The old {noun} in the {room} belongs to my uncle.",
    "There was only one {noun} left on the {place}.",
    "Every morning she cleans the {noun} by the window.",
    "That {noun} was cheaper than the {others}.",
    "He wrapped {a_noun} in paper for the party.",
)
PLURAL = (
    "The {nouns} on the {place} are clean.",
    "There are two {nouns} in the {room}.",
    "The {nouns} were on sale yesterday.",
    "The {nouns} next to the {other} are mine.",
    "All the {nouns} in the {room} were old.",
    "Some {nouns} are missing from the {place}.",
    "The {nouns} by the window were wet.",
    "Three {nouns} have fallen off the {place}.",
    "The {nouns} that you bought are broken.",
    "Those {nouns} were a gift from my aunt.",
    "The {nouns} in the {room} need to be washed.",
    "My {nouns} are still on the {place}.",
    "These {nouns} were made by hand.",
    "The {nouns} behind the {other} have been there for years.",
    "Where are the {nouns} that were on the {place}?",
    "The children's {nouns} are in the {room}.",
    "Both {nouns} were too small for the {other}.",
    "The new {nouns} look nicer than the old ones.",
)
OPENING = (
    "It was a quiet morning at home.",
    "We were tidying up after the party.",
    "Moving day was chaos.",
    "The house was busy all afternoon.",
    "Everyone helped with the spring cleaning.",
    "Nothing was where it should be.",
    "Guests were coming at six.",
    "The kids had made a mess again.",
    "It rained all weekend, so we stayed in.",
    "The flat looked different after the move.",
)
PLACES = ("table", "shelf", "counter", "desk", "floor", "bench")
TEMPLATE_LISTS = (SINGULAR, PLURAL, OPENING)


def write(context: Context) -> str:
    rng = context.rng
    sentences = [rng.choice(OPENING)] if rng.random() < 0.5 else []
    for _ in range(rng.randint(3, 6)):
        (noun, nouns), (other, others) = rng.sample(NOUNS, 2)
        fields = {
            "noun": noun,
            "nouns": nouns,
            "a_noun": f"{article(noun)} {noun}",
            "A_noun": capitalize(f"{article(noun)} {noun}"),
            "other": other,
            "others": others,
            "a_other": f"{article(other)} {other}",
            "room": rng.choice(context.world.rooms),
            "place": rng.choice(PLACES),
        }
        sentences.append(pick(rng, SINGULAR if rng.random() < 0.55 else PLURAL, fields))
    return " ".join(sentences)


# --- probes: a/an, is/are, was/were -------------------------------------------------

PROBE_ARTICLE = (
    "I put ___ {noun} down on the table.",
    "There is ___ {noun} in the {room} again.",
    "She bought ___ {noun} at the market yesterday.",
    "Please bring ___ {noun} to the {room} now.",
    "We found ___ {noun} under the {other} this morning.",
)
PROBE_PRESENT = (
    "The {subject} near the {attractor} ___ old.",
    "The {subject} on the {place} ___ clean now.",
    "I think the {subject} in the {room} ___ too old to keep.",
)
PROBE_PAST = (
    "The {subject} next to the {attractor} ___ dusty this morning.",
    "The {subject} by the window ___ wet again.",
    "Yesterday the {subject} near the {attractor} ___ covered in dust.",
)
AGREEMENT = {("a", "an"): PROBE_ARTICLE, ("is", "are"): PROBE_PRESENT, ("was", "were"): PROBE_PAST}
PROBE_PLACES = ("shelf", "counter", "desk", "bench")


def probes(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    items = []
    groups = list(AGREEMENT)
    for index in range(n):
        candidates = groups[index % len(groups)]
        answer = candidates[(index // len(groups)) % 2]  # alternate: balanced within the group
        templates = AGREEMENT[candidates]
        if candidates == ("a", "an"):
            noun = rng.choice(NOUNS_A if answer == "a" else NOUNS_AN)[0]
            other = rng.choice(NOUNS_A)[0]
            text = rng.choice(templates).format(noun=noun, other=other, room=rng.choice(world.rooms))
        else:
            plural = answer in ("are", "were")
            (singular, plural_form), (_, attractor_plural) = rng.sample(NOUNS, 2)
            # The noun in between has the other number: an "attractor" a careless model copies.
            attractor = attractor_plural if not plural else rng.choice(NOUNS)[0]
            text = rng.choice(templates).format(
                subject=plural_form if plural else singular,
                attractor=attractor,
                room=rng.choice(world.rooms),
                place=rng.choice(PROBE_PLACES),
            )
        items.append(cloze_item("syntax", text, answer, candidates))
    return items
