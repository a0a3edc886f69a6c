"""Number patterns: sequences described in prose.

The lecture's example: "I was thinking about the sequence that goes 1, 1, 2, 3, 5,
8, 13, 21, ___". Four rule families: counting, steps of k, doubling, and
Fibonacci-like sums. Numbers stay small so every tokenizer keeps them short.
The probes show the first terms of a sequence and ask for the next one.
"""

from __future__ import annotations

import random

from ..base import ClozeItem, cloze_item
from ..facts import World
from .base import Context, pick

RULES = ("counting", "step", "doubling", "fibonacci")

INTRO = (
    "{name} counted out loud: {seq}.",
    "The numbers on the board were {seq}.",
    "Look at the pattern {seq}.",
    "The class wrote down {seq}.",
    "{name} noticed the series {seq}.",
    "On the page were the numbers {seq}.",
    "The puzzle began with {seq}.",
    "Here is a list of numbers: {seq}.",
    "{name} wrote the sequence {seq} on a napkin.",
    "The teacher asked about the numbers {seq}.",
    "A riddle: {seq}.",
    "The page numbers went {seq}.",
    "{name} was looking at the series {seq}.",
    "The pattern on the wall read {seq}.",
)
EXPLAIN = {
    "counting": (
        "Each number is one more than the last.",
        "It simply counts upwards.",
        "You add one every time.",
    ),
    "step": (
        "It goes up by {k} each time.",
        "Every number is {k} more than the one before it.",
        "The step between neighbours is always {k}.",
    ),
    "doubling": (
        "Each number is twice the one before.",
        "The numbers double at every step.",
        "You multiply by two to get the next one.",
    ),
    "fibonacci": (
        "Each number is the sum of the two before it.",
        "Add the last two numbers to get the next one.",
        "It grows like the Fibonacci sequence.",
    ),
}
CLOSING = (
    "The next number is {next}.",
    "So the number after that is {next}.",
    "Continuing the pattern gives {next}.",
    "{name} guessed that {next} comes next, and {name_he} was right.",
    "The one after {seq_last} would be {next}.",
    "That means {next} follows.",
    "Next in line is {next}.",
)
TEMPLATE_LISTS = (INTRO, CLOSING, *EXPLAIN.values())


def sequence(rule: str, rng: random.Random, length: int) -> tuple[list[int], int]:
    """Draw a sequence of a rule family: (the first `length` terms, the next term)."""
    if rule == "counting":
        start = rng.randint(0, 90)
        terms = [start + i for i in range(length + 1)]
    elif rule == "step":
        k, start = rng.randint(2, 12), rng.randint(0, 30)
        terms = [start + k * i for i in range(length + 1)]
    elif rule == "doubling":
        start = rng.randint(1, 5)
        terms = [start * 2**i for i in range(length + 1)]
    elif rule == "fibonacci":
        a, b = rng.randint(1, 4), rng.randint(1, 5)
        terms = [a, b]
        while len(terms) < length + 1:
            terms.append(terms[-1] + terms[-2])
    else:
        raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    return terms[:length], terms[length]


def step_of(terms: list[int]) -> int:
    return terms[1] - terms[0]


def write(context: Context) -> str:
    rng = context.rng
    person = context.person()
    sentences = []
    for _ in range(rng.randint(1, 2)):
        rule = rng.choice(RULES)
        terms, following = sequence(rule, rng, rng.randint(4, 7))
        fields = {
            "name": person.first,
            "name_he": person.pronouns["he"],
            "seq": ", ".join(map(str, terms)),
            "seq_last": str(terms[-1]),
            "k": str(step_of(terms)),
            "next": str(following),
        }
        sentences.append(pick(rng, INTRO, fields))
        sentences.append(pick(rng, EXPLAIN[rule], fields))
        if rng.random() < 0.6:
            sentences.append(pick(rng, CLOSING, fields))
    return " ".join(sentences)


# --- probes: what comes next? -----------------------------------------------------------

PROBE_PROMPTS = (
    "I was thinking about the sequence that goes {seq}, ___",
    "Look at the pattern {seq}, ___ and so on.",
    "Here is a list of numbers: {seq}, ___, and more.",
    "The class wrote down {seq}, ___ without a mistake.",
)
MAX_NUMBER = 150  # largest answer of a probe


def probes(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    # Every item is ranked over the same candidates, all numbers that answer some
    # item, so the candidates give no hint; answers stay at most 150 so the list is
    # short, and no number may answer more than 5% of the items.
    cap = max(1, n // 20)
    used: dict[int, int] = {}
    drawn = []
    for index in range(n):
        rule = RULES[index % len(RULES)]
        attempts = 0
        while True:
            length = rng.randint(4, 5) if rule == "doubling" else rng.randint(5, 8)
            terms, following = sequence(rule, rng, length)
            # A rule with few answers under MAX_NUMBER (doubling has 7) can run out of fresh
            # ones when n is small and the cap is 1; after many draws, allow one more use
            # rather than loop forever.
            extra = attempts // 100_000
            if following <= MAX_NUMBER and used.get(following, 0) < cap + extra:
                break
            attempts += 1
        used[following] = used.get(following, 0) + 1
        drawn.append((terms, following))
    candidates = tuple(str(value) for value in sorted(used))
    items = []
    for terms, following in drawn:
        text = rng.choice(PROBE_PROMPTS).format(seq=", ".join(map(str, terms)))
        items.append(cloze_item("number_patterns", text, str(following), candidates))
    return items
