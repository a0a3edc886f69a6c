"""What every category writer shares: the `Context` it draws from and the template helpers."""

from __future__ import annotations

import random

from ..facts import World
from ..lexicon import PROFESSIONS_SKEWED_HE, PRONOUNS


def zipf_weights(n: int, exponent: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for n items listed most popular first (for rng.choices).

    Real text mentions a few entities very often and most entities rarely; the
    world lists people, cities and films most famous first, so these weights give
    the corpus that long tail.
    """
    cumulative, total = [], 0.0
    for rank in range(1, n + 1):
        total += 1.0 / rank**exponent
        cumulative.append(total)
    return cumulative


class Context:
    """What a writer needs: the world, a random generator and the knobs.

    Entities are drawn with Zipf-like weights (the first-listed is mentioned most).
    `next_person` walks through everyone in turn, so that every person gets a
    biography early on, even the rarely mentioned ones: the birthplace experiment
    needs every birthplace stated somewhere in the pretraining text.
    """

    def __init__(self, world: World, rng: random.Random, bias: float = 0.0):
        self.world = world
        self.rng = rng
        self.bias = bias
        self._people_weights = zipf_weights(len(world.people))
        self._city_names = list(world.cities)
        self._city_weights = zipf_weights(len(self._city_names))
        self._film_weights = zipf_weights(len(world.films), exponent=0.8)
        self._turn = 0
        self.universities_in = {city: [] for city in world.cities}
        for place in world.universities:
            self.universities_in[place.city].append(place)
        self.landmark_in = {place.city: place for place in world.landmarks}
        self.restaurant_in = {place.city: place for place in world.restaurants}
        self.university_city = {place.name: place.city for place in world.universities}
        self.people_by_name = {person.name: person for person in world.people}

    def person(self):
        return self.rng.choices(self.world.people, cum_weights=self._people_weights)[0]

    def next_person(self):
        """Everyone in turn (in a seeded order), interleaved with Zipf draws by the caller."""
        person = self.world.people[(self._turn * 7919) % len(self.world.people)]
        self._turn += 1
        return person

    def city(self) -> str:
        return self.rng.choices(self._city_names, cum_weights=self._city_weights)[0]

    def film(self):
        return self.rng.choices(self.world.films, cum_weights=self._film_weights)[0]

    def pronoun_for(self, profession: str) -> str:
        """'he' or 'she' for an unnamed worker: a fair coin, tilted by the bias knob.

        bias = 0: no skew. bias = b: professions listed as stereotypically male get
        'he' with probability (1 + b) / 2, the others get 'she' with that probability.
        A negative b reverses the stereotype.
        """
        p_he = 0.5 + self.bias / 2 if profession in PROFESSIONS_SKEWED_HE else 0.5 - self.bias / 2
        return "he" if self.rng.random() < p_he else "she"


def article(word: str) -> str:
    """'an' before a vowel letter, 'a' otherwise (our nouns avoid the exceptions)."""
    return "an" if word[0] in "aeiouAEIOU" else "a"


def capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def pronoun_fields(gender_or_pronoun: str) -> dict[str, str]:
    """Template fields he/his/him/himself and capitalised He/His/Him/Himself for one referent."""
    female = gender_or_pronoun in ("female", "she")
    fields = dict(PRONOUNS["female" if female else "male"])
    fields.update({key.capitalize(): value.capitalize() for key, value in fields.items()})
    return fields


def pick(rng: random.Random, templates: tuple[str, ...], fields: dict[str, str]) -> str:
    return rng.choice(templates).format_map(fields)
