"""Surface heuristics: what a pattern-matcher scores on the probes without learning anything.

A probe measures knowledge only if a model beats the strongest of these. Each heuristic is
a scorer like a model (``score_candidates(text_with_blank, candidates)``), so
``score_probes`` ranks it the same way; where it has no opinion (all scores equal) the
ranking falls back on the category's most frequent answer. A heuristic can score below the
majority baseline where its opinion is wrong (the most recent animal of a list is never the
one missing from it).

- ``MostRecentCandidate``: the candidate named last before the blank ("... left the ___"
  answered by the last room mentioned);
- ``FirstCandidate``: the candidate named first;
- ``MostFrequentInContext``: the candidate named most often in the text;
- ``NotYetNamed``: any candidate the text has not named (lists: "dolphins, crabs and ___");
- ``NearestNamePronoun``: the pronoun that fits the gender of the name nearest before the blank;
- ``LastCandidateWithName``: the candidate named last in a sentence that also names the person
  the blank's sentence is about ("Where is Kira?" answered by the last room in a sentence
  that mentions Kira): a pattern-matcher's shortcut for stories, which fails only where
  someone moved without their room being named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text import BLANK, words
from .facts import World
from .lexicon import PRONOUNS


def _before_blank(text: str) -> list[str]:
    return words(text.split(BLANK, 1)[0])


class MostRecentCandidate:
    name = "most recent candidate"

    def score_candidates(self, text_with_blank: str, candidates: Sequence[str]) -> list[float]:
        seen = _before_blank(text_with_blank)
        last = {word: i for i, word in enumerate(seen)}
        return [float(last.get(c.lower(), -1)) for c in candidates]


class FirstCandidate:
    name = "first candidate"

    def score_candidates(self, text_with_blank: str, candidates: Sequence[str]) -> list[float]:
        seen = _before_blank(text_with_blank)
        first: dict[str, int] = {}
        for i, word in enumerate(seen):
            first.setdefault(word, i)
        return [float(-first[c.lower()]) if c.lower() in first else -1e9 for c in candidates]


class MostFrequentInContext:
    name = "most frequent in context"

    def score_candidates(self, text_with_blank: str, candidates: Sequence[str]) -> list[float]:
        seen = words(text_with_blank)
        return [float(seen.count(c.lower())) for c in candidates]


class NotYetNamed:
    name = "not yet named"

    def score_candidates(self, text_with_blank: str, candidates: Sequence[str]) -> list[float]:
        seen = set(words(text_with_blank))
        return [0.0 if c.lower() in seen else 1.0 for c in candidates]


class NearestNamePronoun:
    """Needs the world, to know which names are women's and which men's (as a reader would)."""

    name = "pronoun of the nearest name"

    def __init__(self, world: World):
        self.gender = {person.first.lower(): person.gender for person in world.people}
        self.pronouns = {gender: set(forms.values()) for gender, forms in PRONOUNS.items()}

    def score_candidates(self, text_with_blank: str, candidates: Sequence[str]) -> list[float]:
        names = [self.gender[w] for w in _before_blank(text_with_blank) if self.gender.get(w)]
        if not names:
            return [0.0] * len(candidates)
        fitting = self.pronouns.get(names[-1], set())
        return [1.0 if c.lower() in fitting else 0.0 for c in candidates]


class LastCandidateWithName:
    name = "last candidate beside the name"

    def __init__(self, world: World):
        self.names = {person.first.lower() for person in world.people}

    def score_candidates(self, text_with_blank: str, candidates: Sequence[str]) -> list[float]:
        before, _, after = text_with_blank.partition(BLANK)
        sentences = [words(s) for s in re.split(r"(?<=[.!?])\s+", before.strip())]
        asked = {w for w in sentences[-1] + words(after) if w in self.names} if sentences else set()
        lowered = [c.lower() for c in candidates]
        for sentence in reversed(sentences[:-1]):
            if asked & set(sentence):
                named = [w for w in sentence if w in lowered]
                if named:
                    return [1.0 if c == named[-1] else 0.0 for c in lowered]
        return [0.0] * len(candidates)


def surface_heuristics(world: World) -> list:
    """Every heuristic, ready to score probes of ``world``."""
    return [MostRecentCandidate(), FirstCandidate(), MostFrequentInContext(), NotYetNamed(),
            NearestNamePronoun(world), LastCandidateWithName(world)]


def heuristic_table(world: World, items, margin: float = 0.10):
    """Top-1 per category of the majority baseline and each heuristic, the best of them, and
    the bar a model must clear to count as having learned the category: more than best + ``margin``."""
    import pandas as pd

    from .scoring import score_probes

    columns = {}
    for heuristic in surface_heuristics(world):
        table = score_probes(heuristic, items)
        columns.setdefault("majority answer", table["baseline_top1"])
        columns[heuristic.name] = table["top1"]
    result = pd.DataFrame(columns)
    result["best heuristic"] = result.max(axis=1)
    result["strongest"] = result.drop(columns="best heuristic").idxmax(axis=1)
    # Not capped at 1: where a rule already gets every probe right, no model can show learning.
    result["bar to clear"] = result["best heuristic"] + margin
    return result
