"""Natural language inference pairs written from the world's facts (GPT-1's NLI by concatenation).

A premise states where someone was born or lives, in a city; the hypothesis names
a *country*:

- entailment: the same relation and the city's own country
  ("Liam was born in Montreal." / "Liam was born in Canada.");
- contradiction: the same relation and another country ("... born in Chile.");
- neutral: the other relation ("Liam was born in Montreal." / "Liam lives in
  Canada."): where someone lives says nothing about where they were born.

Every hypothesis names a country and no premise does, so word overlap cannot tell
entailment from contradiction: that needs the world fact "Montreal lies in
Canada", which the pretraining corpus states and a model from scratch must learn
from the labelled pairs. The relation words alone do separate neutral, so the
strongest surface rule (``relation_rule``: "neutral if the relations differ,
else entailment") scores 2/3 on a balanced split; the majority label 1/3.

Train and test pairs are about different people, and each split is balanced
(the same number of pairs per label).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .facts import World, make_world

LABELS = ("entailment", "contradiction", "neutral")
PREMISES = {
    "born": ("{name} was born in {city}.", "{name} grew up in {city}, where {he} was born."),
    "lives": ("{name} lives in {city}.", "These days {name} has a home in {city}."),
}
HYPOTHESES = {"born": "{name} was born in {country}.", "lives": "{name} lives in {country}."}


@dataclass(frozen=True)
class NLIPair:
    premise: str
    hypothesis: str
    label: str  # one of LABELS
    person: str
    relation: str  # the premise's relation: "born" or "lives"


@dataclass
class NLISplit:
    train: list[NLIPair]
    test: list[NLIPair]

    def majority_baseline(self) -> float:
        """Test accuracy of always answering the most frequent training label (1/3 when balanced)."""
        counts = {label: sum(p.label == label for p in self.train) for label in LABELS}
        guess = max(LABELS, key=lambda label: counts[label])
        return sum(p.label == guess for p in self.test) / len(self.test)

    def rule_baseline(self) -> float:
        """Test accuracy of ``relation_rule``, the best rule that reads only the words."""
        return sum(relation_rule(p.premise, p.hypothesis) == p.label for p in self.test) / len(self.test)


def relation_rule(premise: str, hypothesis: str) -> str:
    """Neutral when premise and hypothesis use different relations, otherwise entailment."""
    def relation(text: str) -> str:
        return "born" if re.search(r"\bborn\b", text) else "lives"

    return "neutral" if relation(premise) != relation(hypothesis) else "entailment"


def concatenated(pair: NLIPair, delimiter: str = "[SEP]", extract: str = "[EOS]") -> str:
    """GPT-1's input as text: premise [DELIM] hypothesis [EXTRACT] (the tokenizer adds [START])."""
    return f"{pair.premise} {delimiter} {pair.hypothesis} {extract}"


def write_pair(world: World, person, label: str, rng: random.Random) -> NLIPair:
    relation = rng.choice(tuple(PREMISES))
    city = person.birthplace if relation == "born" else person.home
    country = world.cities[city]
    premise = rng.choice(PREMISES[relation]).format(name=person.name, city=city, he=person.pronouns["he"])
    if label == "entailment":
        hypothesis = HYPOTHESES[relation].format(name=person.name, country=country)
    elif label == "contradiction":
        others = sorted(set(world.cities.values()) - {country})
        hypothesis = HYPOTHESES[relation].format(name=person.name, country=rng.choice(others))
    elif label == "neutral":
        other = "lives" if relation == "born" else "born"
        hypothesis = HYPOTHESES[other].format(name=person.name, country=rng.choice(sorted(set(world.cities.values()))))
    else:
        raise ValueError(f"label must be one of {', '.join(LABELS)}; got {label!r}.")
    return NLIPair(premise, hypothesis, label, person.name, relation)


def nli_pairs(world: World | None = None, n_train: int = 150, n_test: int = 90, seed: int = 0,
              per_person: int = 1) -> NLISplit:
    """Balanced train and test pairs about disjoint people.

    ``n_train``/``n_test`` count people; ``per_person`` = 1 writes one pair per
    person (labels dealt in turn), 3 writes one pair of each label per person, so
    a name never gives the label away.
    """
    world = world if world is not None else make_world(0)
    for name, n in (("n_train", n_train), ("n_test", n_test)):
        if isinstance(n, bool) or not isinstance(n, int) or n < len(LABELS) or n % len(LABELS):
            raise ValueError(f"{name} must be a positive multiple of {len(LABELS)} (a balanced split); got {n!r}.")
    if per_person not in (1, len(LABELS)):
        raise ValueError(f"per_person must be 1 or {len(LABELS)}; got {per_person!r}.")
    if n_train + n_test > len(world.people):
        raise ValueError(f"n_train + n_test = {n_train + n_test} people, but the world has {len(world.people)}.")
    rng = random.Random(f"nli-{seed}")
    people = list(world.people)
    rng.shuffle(people)

    def write(chosen, offset: int) -> list[NLIPair]:
        if per_person == 1:
            return [write_pair(world, p, LABELS[(offset + i) % len(LABELS)], rng) for i, p in enumerate(chosen)]
        return [write_pair(world, p, label, rng) for p in chosen for label in LABELS]

    train, test = write(people[:n_train], 0), write(people[n_train:n_train + n_test], 0)
    rng.shuffle(train)
    return NLISplit(train, test)
