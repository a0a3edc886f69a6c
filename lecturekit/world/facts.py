"""The facts of the lecture world, drawn once from a seed.

Both the training text (`corpus.build_corpus`) and the cloze probes
(`probes.probes`) are written from one `World`, so any probe can be checked
against the facts it asks about. Lists that have a popularity order (people,
cities, films) are stored most famous first: the corpus mentions them with
Zipf-like frequencies, the way real text mentions a few entities very often and
most entities rarely.

This module only holds the facts; it imports neither the writers nor the corpus
(`corpus.samples(world)` writes one document per category from them).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import lexicon


@dataclass(frozen=True)
class Person:
    name: str
    gender: str  # "female" or "male": decides the pronouns the text uses
    birthplace: str  # a city
    home: str  # a city (may equal the birthplace)
    profession: str
    university: str
    birth_year: int
    relations: tuple[tuple[str, str], ...] = ()  # (relation, other person's name)

    @property
    def first(self) -> str:
        return self.name.split()[0]

    @property
    def pronouns(self) -> dict[str, str]:
        """Subject, possessive, object and reflexive pronouns: he/his/him/himself or she/her/her/herself."""
        return dict(lexicon.PRONOUNS["female" if self.gender == "female" else "male"])


@dataclass(frozen=True)
class Place:
    """A university, landmark or restaurant: a named thing located in a city."""

    name: str
    kind: str  # "university", "landmark", "restaurant"
    city: str
    quality: str = ""  # restaurants only: "good" or "bad"


@dataclass(frozen=True)
class Film:
    title: str
    quality: str  # "good" or "bad": the truth every review of the film agrees with
    year: int
    director: str  # a person's name


@dataclass
class World:
    seed: int
    people: list[Person]
    cities: dict[str, str]  # city -> country, most mentioned first
    universities: list[Place]
    landmarks: list[Place]
    restaurants: list[Place]
    films: list[Film]
    rooms: tuple[str, ...] = lexicon.ROOMS
    habitats: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(lexicon.HABITATS))

    # Look-ups the probes and tests use.
    def person(self, name: str) -> Person:
        for candidate in self.people:
            if candidate.name == name:
                return candidate
        raise KeyError(f"no person called {name!r} in this world")

    def place(self, name: str) -> Place:
        for candidate in self.universities + self.landmarks + self.restaurants:
            if candidate.name == name:
                return candidate
        raise KeyError(f"no university, landmark or restaurant called {name!r} in this world")

    def film(self, title: str) -> Film:
        for candidate in self.films:
            if candidate.title == title:
                return candidate
        raise KeyError(f"no film called {title!r} in this world")

    @property
    def animals(self) -> tuple[str, ...]:
        return tuple(animal for group in self.habitats.values() for animal in group)

    def habitat_of(self, animal: str) -> str:
        for habitat, animals in self.habitats.items():
            if animal in animals:
                return habitat
        raise KeyError(f"{animal!r} lives in no habitat of this world")

    def entity_counts(self) -> dict[str, int]:
        return {
            "people": len(self.people),
            "cities": len(self.cities),
            "countries": len(set(self.cities.values())),
            "universities": len(self.universities),
            "landmarks": len(self.landmarks),
            "restaurants": len(self.restaurants),
            "films": len(self.films),
            "rooms": len(self.rooms),
            "habitats": len(self.habitats),
            "animals": len(self.animals),
        }

    def __repr__(self) -> str:
        counts = ", ".join(f"{value} {key}" for key, value in self.entity_counts().items())
        return f"World(seed={self.seed}: {counts})"


def make_world(seed: int = 0, n_people: int = 300) -> World:
    """Draw the lecture world for a seed (the same seed always gives the same world)."""
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, got {seed!r}")
    if not 10 <= n_people <= len(lexicon.SURNAMES) * 80:
        raise ValueError(f"n_people must be between 10 and {len(lexicon.SURNAMES) * 80}, got {n_people}")
    rng = random.Random(f"world-{seed}")

    cities = list(lexicon.CITIES)
    rng.shuffle(cities)  # popularity order: shuffled per seed
    city_names = [city for city, _ in cities]

    stems = list(lexicon.PLACE_STEMS)
    rng.shuffle(stems)
    # Universities: one or two per city, so every city can be an answer.
    universities = []
    for index, city in enumerate(city_names + city_names[:20]):
        kind = lexicon.UNIVERSITY_KINDS[index % len(lexicon.UNIVERSITY_KINDS)]
        universities.append(Place(f"{stems[index]} {kind}", "university", city))
    # Landmarks and restaurants reuse the stems with other kinds, so names stay unique.
    landmarks = [
        Place(f"the {stems[index]} {lexicon.LANDMARK_KINDS[index % len(lexicon.LANDMARK_KINDS)]}", "landmark", city)
        for index, city in enumerate(city_names)
    ]
    # A city's landmark and restaurant share its university's stem (a district name).
    restaurants = [
        Place(
            f"{stems[index]} {lexicon.RESTAURANT_KINDS[index % len(lexicon.RESTAURANT_KINDS)]}",
            "restaurant",
            city,
            quality="good" if index % 2 == 0 else "bad",
        )
        for index, city in enumerate(city_names)
    ]

    # People: unique full names; gender, birthplace and profession drawn independently.
    full_names = [(first, "female") for first in lexicon.FEMALE_FIRST_NAMES]
    full_names += [(first, "male") for first in lexicon.MALE_FIRST_NAMES]
    pairs = [(first, gender, last) for first, gender in full_names for last in lexicon.SURNAMES]
    chosen = rng.sample(pairs, n_people)
    people = []
    for first, gender, last in chosen:
        birthplace = rng.choice(city_names)
        home = birthplace if rng.random() < 0.3 else rng.choice(city_names)
        people.append(
            Person(
                name=f"{first} {last}",
                gender=gender,
                birthplace=birthplace,
                home=home,
                profession=rng.choice(lexicon.PROFESSIONS),
                university=universities[rng.randrange(len(universities))].name,
                birth_year=rng.randrange(1940, 2001),
            )
        )
    # Relations point at other people; built after everyone exists.
    names = [person.name for person in people]
    people = [
        Person(**{**person.__dict__, "relations": tuple(
            (rng.choice(lexicon.RELATIONS), rng.choice(names[:index] + names[index + 1:]))
            for _ in range(2)
        )})
        for index, person in enumerate(people)
    ]

    titles = [f"The {adjective} {noun}" for adjective in lexicon.FILM_ADJECTIVES for noun in lexicon.FILM_NOUNS]
    titles = rng.sample(titles, 60)
    films = [
        Film(title, "good" if index % 2 == 0 else "bad", rng.randrange(1960, 2024), rng.choice(names))
        for index, title in enumerate(titles)
    ]
    return World(
        seed=seed,
        people=people,
        cities=dict(cities),
        universities=universities,
        landmarks=landmarks,
        restaurants=restaurants,
        films=films,
    )
