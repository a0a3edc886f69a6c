"""Cloze probes: one set of fill-in-the-blank items per lecture category.

Every item is written from the world's facts as a sentence the corpus never
contains (tested): a model that fills the blank has learned the fact or the rule,
not the sentence. The words just before the blank are kept familiar ("X was born
in ___"), because that is where a small model's knowledge is cued; the sentence
is made new around them (a different ending, an added clause, another opener).

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
from dataclasses import dataclass

from .facts import World
from .lexicon import (
    HABITAT_PLACES,
    HABITATS,
    NEGATIVE_WORDS,
    NOUNS_A,
    NOUNS_AN,
    POSITIVE_WORDS,
    ROOM_ACTIVITIES,
    ROOMS,
)
from .writers import CATEGORIES, capitalize
from .writers.number_patterns import RULES, sequence

BLANK = "___"
MAX_NUMBER = 150  # largest answer of a number-pattern item
ITEMS_PER_CATEGORY = 240


@dataclass(frozen=True)
class ClozeItem:
    category: str
    text: str  # contains exactly one BLANK
    answer: str  # the gold answer
    acceptable: frozenset[str]  # every answer counted as right (always includes `answer`)
    candidates: tuple[str, ...]  # what a model ranks; contains every acceptable answer

    def filled(self, word: str | None = None) -> str:
        """The text with the blank filled (by the gold answer unless a word is given)."""
        return self.text.replace(BLANK, self.answer if word is None else word)


def probes(world: World, category: str | None = None, n: int = ITEMS_PER_CATEGORY) -> list[ClozeItem]:
    """Cloze items for one category, or for all seven (in lecture order) when category is None."""
    if category is None:
        return [item for name in CATEGORIES for item in probes(world, name, n)]
    if category not in _BUILDERS:
        raise ValueError(f"unknown category {category!r}; choose one of {', '.join(CATEGORIES)}")
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive number of items, got {n!r}")
    rng = random.Random(f"probes-{world.seed}-{category}")
    return _BUILDERS[category](world, rng, n)


def lecture_examples() -> list[ClozeItem]:
    """The lecture's own cloze sentences, one per category, for trying real models.

    They are not about the generated world (Stanford, Iroh and Zuko are not in it),
    so a lecture-world model should not be expected to get them; a real pretrained
    model often does.
    """
    animals = tuple(animal for group in HABITATS.values() for animal in group)
    listed = ("fish", "turtles", "seals")
    return [
        _item("trivia", "Stanford University is located in ___, California.", "Stanford",
              ("Stanford", "Berkeley", "Sacramento", "Pasadena", "Boston")),
        _item("syntax", "I put ___ fork down on the table.", "the", ("the", "a", "an", "these"), {"the", "a"}),
        _item("coreference", "The woman walked across the street, checking for traffic over ___ shoulder.",
              "her", ("his", "her", "their", "its")),
        _item("lexical_semantics", "I went to the ocean to see the fish, turtles, seals, and ___.", "dolphins",
              animals, {a for a in HABITATS["ocean"] if a not in listed}),
        _item("sentiment", "Overall, the value I got from the two hours watching it was the sum total of the "
              "popcorn and the drink. The movie was ___.", "bad", ("good", "bad")),
        _item("world_state", "Iroh went into the kitchen to make some tea. Standing next to Iroh, Zuko "
              "pondered his destiny. Zuko left the ___.", "kitchen", ROOMS),
        _item("number_patterns", "I was thinking about the sequence that goes 1, 1, 2, 3, 5, 8, 13, 21, ___",
              "34", ("22", "29", "34", "35", "42")),
    ]


def _item(category, text, answer, candidates, acceptable=None) -> ClozeItem:
    return ClozeItem(category, text, answer, frozenset(acceptable or {answer}), tuple(candidates))


# --- trivia: which city? -----------------------------------------------------

TRIVIA_UNIVERSITY = (
    "{uni} is located in ___.",
    "The campus of {uni} lies in ___.",
    "{uni} is a university in ___, {country}.",
)
TRIVIA_LANDMARK = (
    "{Landmark} stands in ___, {country}.",
    "{Landmark} is one of the sights of ___, {country}.",
)
TRIVIA_BIRTH = (
    "{name} was born in ___.",
    "{name}'s birthplace is ___.",
    "{name} was born in ___ and grew up there.",
)
TRIVIA_RESTAURANT = ("{restaurant} serves dinner in ___, {country}.",)


def _trivia(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    cities = tuple(world.cities)
    facts = {city: [] for city in cities}  # city -> (templates, fields) it can be the answer to
    for place in world.universities:
        facts[place.city].append((TRIVIA_UNIVERSITY, {"uni": place.name}))
    for place in world.landmarks:
        facts[place.city].append((TRIVIA_LANDMARK, {"landmark": place.name, "Landmark": capitalize(place.name)}))
    for place in world.restaurants:
        facts[place.city].append((TRIVIA_RESTAURANT, {"restaurant": place.name}))
    for person in world.people:
        facts[person.birthplace].append((TRIVIA_BIRTH, {"name": person.name, "he": person.pronouns["he"]}))
    items = []
    for index in range(n):
        city = cities[index % len(cities)]  # round robin: every city equally often
        templates, fields = rng.choice(facts[city])
        text = rng.choice(templates).format(country=world.cities[city], **fields)
        items.append(_item("trivia", text, city, cities))
    return items


# --- syntax: a/an, is/are, was/were ---------------------------------------------

ARTICLE = (
    "I put ___ {noun} down on the table.",
    "There is ___ {noun} in the {room} again.",
    "She bought ___ {noun} at the market yesterday.",
    "Please bring ___ {noun} to the {room} now.",
    "We found ___ {noun} under the {other} this morning.",
)
PRESENT = (
    "The {subject} near the {attractor} ___ old.",
    "The {subject} on the {place} ___ clean now.",
    "I think the {subject} in the {room} ___ too old to keep.",
)
PAST = (
    "The {subject} next to the {attractor} ___ dusty this morning.",
    "The {subject} by the window ___ wet again.",
    "Yesterday the {subject} near the {attractor} ___ covered in dust.",
)
AGREEMENT = {("a", "an"): ARTICLE, ("is", "are"): PRESENT, ("was", "were"): PAST}


def _syntax(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    nouns = NOUNS_A + NOUNS_AN
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
            (singular, plural_form), (_, attractor_plural) = rng.sample(nouns, 2)
            # The noun in between has the other number: an "attractor" a careless model copies.
            attractor = attractor_plural if not plural else rng.choice(nouns)[0]
            text = rng.choice(templates).format(
                subject=plural_form if plural else singular,
                attractor=attractor,
                room=rng.choice(world.rooms),
                place=rng.choice(("shelf", "counter", "desk", "bench")),
            )
        items.append(_item("syntax", text, answer, candidates))
    return items


# --- coreference: his/her and he/she ---------------------------------------------

POSSESSIVE = (
    "{name} crossed the street, checking for traffic over ___ shoulder.",
    "{name} put on ___ coat and went outside.",
    "{name} picked up ___ bag and hurried home.",
    "{name} sat by the window with ___ tea.",
)
SUBJECT = (
    "{name} was late, so ___ took a taxi.",
    "{name} opened the window because ___ felt warm.",
    "When {name} got home, ___ made dinner for everyone.",
    "{name} was tired, but ___ still answered every letter.",
)


def _coreference(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    women = [person for person in world.people if person.gender == "female"]
    men = [person for person in world.people if person.gender == "male"]
    items = []
    for index in range(n):
        possessive = index % 2 == 0
        female = (index // 2) % 2 == 0  # alternate within each pronoun group
        person = rng.choice(women if female else men)
        templates, candidates = (POSSESSIVE, ("his", "her")) if possessive else (SUBJECT, ("he", "she"))
        answer = person.pronouns["his" if possessive else "he"]
        items.append(_item("coreference", rng.choice(templates).format(name=person.name), answer, candidates))
    return items


# --- lexical semantics: which animal belongs to the list? --------------------------

HABITAT_LISTS = (
    "Last summer, at the {place} we saw {listed}, and ___.",
    "On our trip to the {place} we spotted {listed}, and ___ as well.",
    "Once more, the guide at the {place} pointed out {listed}, and ___.",
    "I went to the {place} hoping to see {listed}, and ___.",
)


def _lexical_semantics(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    animals = world.animals
    items = []
    for index in range(n):
        answer = animals[index % len(animals)]  # every animal is the gold answer equally often
        habitat = world.habitat_of(answer)
        others = [animal for animal in world.habitats[habitat] if animal != answer]
        listed = rng.sample(others, 3)
        text = rng.choice(HABITAT_LISTS).format(place=HABITAT_PLACES[habitat], listed=", ".join(listed))
        acceptable = {animal for animal in world.habitats[habitat] if animal not in listed}
        items.append(_item("lexical_semantics", text, answer, animals, acceptable))
    return items


# --- sentiment: was the film good or bad? ----------------------------------------

SENTIMENT_CUES = (
    "The acting in {title} was {word}.",
    "{title} was not {opposite} at all.",
    "Two hours of {title}, and every minute of it was {word}.",
    "Even my grandmother found {title} {word}.",
)
SENTIMENT_VERDICTS = (
    "Overall, the movie was ___, in my opinion.",
    "In short, {title} was ___.",
    "All things considered, {title} was ___.",
)


def _sentiment(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    good = [film for film in world.films if film.quality == "good"]
    bad = [film for film in world.films if film.quality == "bad"]
    items = []
    for index in range(n):
        film = (good if index % 2 == 0 else bad)[(index // 2) % min(len(good), len(bad))]
        positive = film.quality == "good"
        fields = {
            "title": film.title,
            "word": rng.choice(POSITIVE_WORDS if positive else NEGATIVE_WORDS),
            "opposite": rng.choice(NEGATIVE_WORDS if positive else POSITIVE_WORDS),
        }
        text = rng.choice(SENTIMENT_CUES).format(**fields) + " " + rng.choice(SENTIMENT_VERDICTS).format(**fields)
        items.append(_item("sentiment", capitalize(text), film.quality, ("good", "bad")))
    return items


# --- world state: which room? ----------------------------------------------------

STATE_LEAVE = (
    "{a} went into the {room} {activity}, as usual. {b} came in and stood next to {a} for a while. "
    "A little later, {b} walked out of the ___.",
    "{a} walked into the {room} {activity} after lunch. Standing next to {a}, {b} pondered the weather. "
    "Then {b} quietly left the ___.",
)
STATE_MOVE = (
    "{a} was in the {other} all morning. Around noon, {a} went from the {other} to the {room}. "
    "So right now, {a} is in the ___.",
    "{a} began the day in the {other}. Later, {a} moved on to the {room}. "
    "By evening, {a} was still sitting in the ___.",
)


def _world_state(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    rooms = world.rooms
    first_names = sorted({person.first for person in world.people})
    items = []
    for index in range(n):
        room = rooms[index % len(rooms)]  # every room is the answer equally often
        a, b = rng.sample(first_names, 2)
        other = rng.choice([r for r in rooms if r != room])
        templates = STATE_LEAVE if (index // len(rooms)) % 2 == 0 else STATE_MOVE
        text = rng.choice(templates).format(
            a=a, b=b, room=room, other=other, activity=rng.choice(ROOM_ACTIVITIES[room])
        )
        items.append(_item("world_state", text, room, rooms))
    return items


# --- number patterns: what comes next? ------------------------------------------

NUMBER_PROMPTS = (
    "I was thinking about the sequence that goes {seq}, ___",
    "Look at the pattern {seq}, ___ and so on.",
    "Here is a list of numbers: {seq}, ___, and more.",
    "The class wrote down {seq}, ___ without a mistake.",
)


def _number_patterns(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    # Every item is ranked over the same candidates, all numbers that answer some
    # item, so the candidates give no hint; answers stay at most 150 so the list is
    # short, and no number may answer more than 5% of the items.
    cap = max(1, n // 20)
    used: dict[int, int] = {}
    drawn = []
    for index in range(n):
        rule = RULES[index % len(RULES)]
        while True:
            length = rng.randint(4, 5) if rule == "doubling" else rng.randint(5, 8)
            terms, following = sequence(rule, rng, length)
            if following <= MAX_NUMBER and used.get(following, 0) < cap:
                break
        used[following] = used.get(following, 0) + 1
        drawn.append((terms, following))
    candidates = tuple(str(value) for value in sorted(used))
    items = []
    for terms, following in drawn:
        text = rng.choice(NUMBER_PROMPTS).format(seq=", ".join(map(str, terms)))
        items.append(_item("number_patterns", text, str(following), candidates))
    return items


_BUILDERS = {
    "trivia": _trivia,
    "syntax": _syntax,
    "coreference": _coreference,
    "lexical_semantics": _lexical_semantics,
    "sentiment": _sentiment,
    "world_state": _world_state,
    "number_patterns": _number_patterns,
}
