"""Coreference: short anecdotes where pronouns must agree with who they refer to.

The lecture's example: "The woman walked across the street, checking for traffic
over ___ shoulder." Named people use the pronouns their facts give them. Unnamed
workers ("the pilot", "the nurse") get a pronoun from `Context.pronoun_for`, which
is where the corpus's optional bias knob acts. The probes ask for his/her or
he/she after a named person.
"""

from __future__ import annotations

import random

from ..base import ClozeItem, cloze_item
from ..facts import World
from ..lexicon import PROFESSIONS
from .base import Context, capitalize, pick, pronoun_fields

OPENING = (
    "{name} walked across the street, checking for traffic over {his} shoulder.",
    "{name} picked up {his} bag and hurried to the station.",
    "{name} opened the window because {he} wanted some fresh air.",
    "{name} was late, so {he} ran the last few blocks.",
    "{name} found a letter on the doormat and read it at once.",
    "{name} put on {his} coat before {he} went outside.",
    "{name} lost {his} keys again this morning.",
    "{name} called {his} sister to ask about the weekend.",
    "{name} sat by the window with {his} coffee.",
    "{name} finished the crossword before {his} train arrived.",
)
MIDDLE = (
    "{He} smiled when {he} saw the sun come out.",
    "Nobody had told {him} that the shop was closed.",
    "{His} phone rang twice, but {he} ignored it.",
    "A neighbour waved at {him} from across the road.",
    "{He} wondered whether {he} had locked the door.",
    "The wind pulled at {his} scarf.",
    "{He} stopped to tie {his} shoe.",
    "It took {him} a moment to remember the address.",
    "{He} decided to take the long way home.",
    "{His} friends were already waiting for {him}.",
    "{He} hummed a tune that {his} grandmother used to sing.",
    "A dog ran up to {him} and wagged its tail.",
    "{He} checked {his} watch and sighed.",
    "Someone called {his} name from across the room.",
    "{He} held the door open for an old man.",
    "{His} shoes were soaked by the time {he} arrived.",
    "{He} bought a newspaper and tucked it under {his} arm.",
    "A stranger asked {him} for directions.",
)
CLOSING = (
    "In the end, {he} was glad {he} had come.",
    "{He} got home just before the rain started.",
    "That evening {he} wrote about it in {his} diary.",
    "{He} laughed about it later with {his} friends.",
    "By noon, {he} had forgotten all about it.",
    "{He} promised {himself} to leave earlier next time.",
)
WORKER = (
    "The {job} finished {his} shift late at night.",
    "The {job} said that {he} would call back tomorrow.",
    "The {job} packed {his} tools and went home.",
    "When the {job} arrived, {he} apologised for the delay.",
    "The {job} explained that {he} had been busy all week.",
    "Everyone thanked the {job} because {he} had worked so hard.",
    "The {job} checked {his} notes twice before {he} answered.",
    "The {job} told the visitors that {he} loved {his} work.",
    "The {job} took off {his} coat and sat down.",
    "After lunch the {job} returned to {his} desk.",
    "The {job} smiled as {he} shook hands with the new client.",
    "Before leaving, the {job} locked {his} office.",
    "The {job} knew that {he} had made the right choice.",
    "Nobody asked the {job} what {he} thought.",
)
TEMPLATE_LISTS = (OPENING, MIDDLE, CLOSING, WORKER)


def write(context: Context) -> str:
    if context.rng.random() < 0.55:
        return named_anecdote(context)
    return worker_anecdote(context)


def named_anecdote(context: Context) -> str:
    rng = context.rng
    person = context.person()
    fields = {"name": person.name, **pronoun_fields(person.gender)}
    sentences = [pick(rng, OPENING, fields)]
    sentences += [pick(rng, MIDDLE, fields) for _ in range(rng.randint(1, 3))]
    sentences.append(pick(rng, CLOSING, fields))
    return " ".join(sentences)


def worker_anecdote(context: Context) -> str:
    rng = context.rng
    job = rng.choice(PROFESSIONS)
    fields = {"job": job, **pronoun_fields(context.pronoun_for(job))}
    first, second = rng.sample(WORKER, 2)
    sentences = [first.format_map(fields), second.format_map(fields)]
    if rng.random() < 0.5:
        sentences.append(capitalize(pick(rng, MIDDLE, fields)))
    return " ".join(sentences)


# --- probes: his/her and he/she -------------------------------------------------------

PROBE_POSSESSIVE = (
    "{name} crossed the street, checking for traffic over ___ shoulder.",
    "{name} put on ___ coat and went outside.",
    "{name} picked up ___ bag and hurried home.",
    "{name} sat by the window with ___ tea.",
)
PROBE_SUBJECT = (
    "{name} was late, so ___ took a taxi.",
    "{name} opened the window because ___ felt warm.",
    "When {name} got home, ___ made dinner for everyone.",
    "{name} was tired, but ___ still answered every letter.",
)


def probes(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    women = [person for person in world.people if person.gender == "female"]
    men = [person for person in world.people if person.gender == "male"]
    items = []
    for index in range(n):
        possessive = index % 2 == 0
        female = (index // 2) % 2 == 0  # alternate within each pronoun group
        person = rng.choice(women if female else men)
        if possessive:
            templates, candidates = PROBE_POSSESSIVE, ("his", "her")
        else:
            templates, candidates = PROBE_SUBJECT, ("he", "she")
        answer = person.pronouns["his" if possessive else "he"]
        text = rng.choice(templates).format(name=person.name)
        items.append(cloze_item("coreference", text, answer, candidates))
    return items
