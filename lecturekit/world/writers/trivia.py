"""Trivia: biographies (where people were born, studied, work) and place descriptions.

The lecture's example: "Stanford University is located in ___, California."
Biographies also carry the birthplaces for the birthplace-question experiment.
The probes ask which city: where a university, landmark or restaurant is, or
where someone was born.
"""

from __future__ import annotations

import random
import re

from ..base import ClozeItem, cloze_item
from ..facts import World
from .base import Context, article, capitalize, pick, pronoun_fields

BIRTH = (
    "{name} was born in {born} in {year}.",
    "{name} was born in {born}, {born_country}.",
    "{name} grew up in {born}, where {he} was born in {year}.",
    "{born} is the city where {name} was born.",
    "The {job} {name} was born in {born} in {year}.",
    "{name}, {a_job}, was born in {born}.",
    "{name} came into the world in {born} in {year}.",
    "{name}'s birthplace is {born}, a city in {born_country}.",
    "{name} was born and raised in {born}.",
    "In {year}, {name} was born in {born}, {born_country}.",
    "Born in {born} in {year}, {name} spent {his} childhood there.",
    "{name} is a native of {born}, in {born_country}.",
)
STUDY = (
    "{He} studied at {uni} in {uni_city}.",
    "{He} went to {uni}, which is in {uni_city}.",
    "After school, {he} enrolled at {uni}.",
    "{His} degree comes from {uni} in {uni_city}.",
    "{He} is a graduate of {uni}.",
    "As a student, {he} moved to {uni_city} to attend {uni}.",
    "{He} spent four years at {uni}.",
)
WORK = (
    "{He} works as {a_job} in {home}.",
    "Today {he} lives in {home} and works as {a_job}.",
    "{His} job as {a_job} keeps {him} busy.",
    "{He} moved to {home} to work as {a_job}.",
    "{name} is {a_job} by trade.",
    "These days {he} makes a living as {a_job} in {home}.",
    "{He} settled in {home}, where {he} found work as {a_job}.",
    "Everyone in {home} knows {him} as a careful {job}.",
)
RELATION = (
    "{His} {relation} {other} lives in {other_home}.",
    "{He} often visits {his} {relation} {other}.",
    "{other} has been {his} {relation} for many years.",
    "{He} and {his} {relation} {other} talk every week.",
    "{He} met {his} {relation} {other} in {other_home}.",
)
CLOSING = (
    "People say {he} never forgets a face.",
    "{He} still keeps a photo of {born} on {his} desk.",
    "{He} likes to walk through {home} in the evening.",
    "When {he} travels, {he} always brings {his} notebook.",
    "Friends describe {him} as patient and funny.",
    "On weekends {he} cooks for {his} family.",
    "{He} returns to {born} every summer.",
    "{His} favourite season is autumn.",
    "{He} speaks fondly of {his} years at {uni}.",
    "{His} neighbours in {home} call {him} a good friend.",
    "{He} has never forgotten {his} hometown, {born}.",
    "In {his} free time, {he} paints.",
)
UNIVERSITY = (
    "{uni} is located in {city}, {country}.",
    "{uni} is a university in {city}.",
    "The campus of {uni} lies in the centre of {city}.",
    "Students come from all over {country} to study at {uni} in {city}.",
    "{uni}, in {city}, is known for its old library.",
    "In {city} you will find {uni}.",
    "{uni} was founded in {city} more than a century ago.",
    "The main building of {uni} overlooks {city}.",
    "{city} is home to {uni}.",
)
LANDMARK = (
    "{Landmark} stands in {city}.",
    "{Landmark} is one of the sights of {city}.",
    "Visitors to {city} often walk to {landmark}.",
    "{Landmark} in {city} draws crowds every spring.",
    "Nobody leaves {city} without a photo of {landmark}.",
    "The people of {city} are proud of {landmark}.",
)
CITY = (
    "{city} is a city in {country}.",
    "{city} lies in {country}.",
    "Many people in {country} have visited {city}.",
    "{city} is one of the busiest cities of {country}.",
    "Trains run often between {city} and the rest of {country}.",
    "{city}, {country}, has a mild climate.",
    "{city} sits in the heart of {country}.",
    "Every year, tourists from around the world visit {city} in {country}.",
    "The river that runs through {city} is famous across {country}.",
)
RESTAURANT = (
    "{restaurant} serves dinner in {city}.",
    "In {city}, locals like to eat at {restaurant}.",
    "{restaurant} opened its doors in {city} years ago.",
)
TEMPLATE_LISTS = (BIRTH, STUDY, WORK, RELATION, CLOSING, UNIVERSITY, LANDMARK, CITY, RESTAURANT)


def write(context: Context) -> str:
    if context.rng.random() < 0.6:
        return biography(context)
    return place_description(context)


def biography(context: Context) -> str:
    rng = context.rng
    # Two in three biographies go through everyone in turn, the rest follow popularity:
    # every person's biography is read many times, in different phrasings and orders
    # (Allen-Zhu & Li 2023 found such "knowledge augmentation" is what lets a fine-tuned
    # model answer questions about people it was never asked about).
    person = context.next_person() if rng.random() < 2 / 3 else context.person()
    relation, other = rng.choice(person.relations)
    fields = {
        "name": person.name,
        "born": person.birthplace,
        "born_country": context.world.cities[person.birthplace],
        "home": person.home,
        "year": str(person.birth_year),
        "job": person.profession,
        "a_job": f"{article(person.profession)} {person.profession}",
        "uni": person.university,
        "uni_city": context.university_city[person.university],
        "relation": relation,
        "other": other,
        "other_home": context.people_by_name[other].home,
        **pronoun_fields(person.gender),
    }
    groups = [STUDY, WORK] + ([RELATION] if rng.random() < 0.6 else [])
    rng.shuffle(groups)
    # The birth sentence (it always names the person) opens half the biographies and sits
    # anywhere in the others: the same facts in different orders.
    groups.insert(0 if rng.random() < 0.5 else rng.randint(1, len(groups)), BIRTH)
    if rng.random() < 0.7:
        groups.append(CLOSING)
    named = {**fields, "He": person.name, "he": person.name, "His": f"{person.name}'s"}
    full_names = rng.random() < 0.4  # sometimes the full name throughout (as in Allen-Zhu & Li)
    sentences = [
        # whoever comes first must be named, not "he"
        pick(rng, group, named if full_names or index == 0 else fields)
        for index, group in enumerate(groups)
    ]
    return " ".join(sentences)


def place_description(context: Context) -> str:
    rng = context.rng
    city = context.city()
    landmark = context.landmark_in[city].name
    fields = {
        "city": city,
        "country": context.world.cities[city],
        "landmark": landmark,
        "Landmark": capitalize(landmark),
        "restaurant": context.restaurant_in[city].name,
    }
    sentences = [pick(rng, CITY, fields)]
    universities = context.universities_in[city]
    for template, place in zip(rng.sample(UNIVERSITY, len(universities)), universities, strict=True):
        sentences.append(template.format_map({**fields, "uni": place.name}))
    sentences.append(pick(rng, LANDMARK, fields))
    if rng.random() < 0.5:
        sentences.append(pick(rng, RESTAURANT, fields))
    rng.shuffle(sentences)
    return " ".join(sentences)


# --- probes: which city? ---------------------------------------------------------

PROBE_UNIVERSITY = (
    "{uni} is located in ___.",
    "The campus of {uni} lies in ___.",
    "{uni} is a university in ___, {country}.",
)
PROBE_LANDMARK = (
    "{Landmark} stands in ___, {country}.",
    "{Landmark} is one of the sights of ___, {country}.",
)
PROBE_BIRTH = (
    "{name} was born in ___.",
    "{name}'s birthplace is ___.",
    "{name} was born in ___ and grew up there.",
)
PROBE_RESTAURANT = ("{restaurant} serves dinner in ___, {country}.",)


def probes(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    cities = tuple(world.cities)
    facts = {city: [] for city in cities}  # city -> (templates, fields) it can be the answer to
    for place in world.universities:
        facts[place.city].append((PROBE_UNIVERSITY, {"uni": place.name}))
    for place in world.landmarks:
        facts[place.city].append((PROBE_LANDMARK, {"landmark": place.name, "Landmark": capitalize(place.name)}))
    for place in world.restaurants:
        facts[place.city].append((PROBE_RESTAURANT, {"restaurant": place.name}))
    for person in world.people:
        facts[person.birthplace].append((PROBE_BIRTH, {"name": person.name, "he": person.pronouns["he"]}))
    items = []
    for index in range(n):
        city = cities[index % len(cities)]  # round robin: every city equally often
        templates, fields = rng.choice(facts[city])
        text = rng.choice(templates).format(country=world.cities[city], **fields)
        items.append(cloze_item("trivia", text, city, cities))
    return items


FACTS = {"birthplace": PROBE_BIRTH, "university": PROBE_UNIVERSITY, "landmark": PROBE_LANDMARK,
         "restaurant": PROBE_RESTAURANT}


def _pattern(template: str) -> re.Pattern:
    # Each {field} matches any text; everything else, the blank included, literally.
    parts = re.split(r"\{\w+\}", template)
    return re.compile("^" + ".+".join(re.escape(part) for part in parts) + "$")


_PATTERNS = [(fact, _pattern(t)) for fact, templates in FACTS.items() for t in templates]


def fact_of(item: ClozeItem) -> str:
    """Which kind of fact a trivia probe asks for: birthplace, university, landmark or restaurant.

    The trivia score mixes the four; a claim about one of them (say, birthplaces) must be
    scored on that kind alone.
    """
    for fact, pattern in _PATTERNS:
        if pattern.match(item.text):
            return fact
    raise ValueError(f"not a trivia probe of this world: {item.text!r}")
