"""Salient span masking: hide the names, places and numbers, not random words.

REALM (Guu et al., 2020) continued pretraining with the spans hidden chosen to be
*salient* — named entities and dates — instead of random: a model then practises
exactly what closed-book questions ask for ("___ was born in Bergen" is an easy
cloze; "Ada Novak was born in ___" needs the fact). Roberts et al. (2020) found
the same for T5 on closed-book QA.

The lecture world knows its own entities, so no tagger is needed:
``entity_pattern`` matches every person, city, country and named place of the
world, and every number (years, counts); ``salient_token_flags`` marks the tokens
those characters fall in; ``salient_spans`` turns the marked tokens of one block
into spans to hide, chosen at random until a share of the block is hidden.

A fact is learned only if the clue stays visible: "Ada Novak was born in Bergen"
teaches the birthplace when "Bergen" is hidden *and* "Ada Novak" is not. Hiding
entities until 40% of a biography is gone hides nearly all of them, the name
with the city. So, as REALM does, ``sentences`` (a sentence number per token)
limits the choice to one entity per sentence; the random-span arm it is compared
with then hides the share this really hid (``SalientSpanStream.hidden_share``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import torch

from lecturekit.objectives._common import check_rate, make_generator


def entity_names(world) -> list[str]:
    """Every entity name of the world: people (full names), cities, countries, named places."""
    names = {person.name for person in world.people}
    names |= set(world.cities) | set(world.cities.values())
    names |= {place.name for place in world.universities + world.landmarks + world.restaurants}
    return sorted(names)


def entity_pattern(world) -> re.Pattern:
    """One regex for the world's entities and for numbers; longest names first, whole words only."""
    names = sorted(entity_names(world), key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)|\b\d+\b")


def entity_character_spans(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) character ranges of the entities in ``text``."""
    return [match.span() for match in pattern.finditer(text)]


def salient_token_flags(offsets: Sequence[tuple[int, int]], character_spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each token (its character ``offsets``), whether it overlaps an entity."""
    flags = []
    for start, end in offsets:
        flags.append(any(start < span_end and span_start < end for span_start, span_end in character_spans))
    return flags


def sentence_numbers(offsets: Sequence[tuple[int, int]], text: str) -> list[int]:
    """For each token, the number of its sentence in ``text``: a token whose characters hold
    '.', '!' or '?' ends its sentence."""
    numbers, current = [], 0
    for start, end in offsets:
        numbers.append(current)
        if any(mark in text[start:end] for mark in ".!?"):
            current += 1
    return numbers


def runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs of True as (start, end) ranges, end exclusive."""
    found, start = [], None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            found.append((start, index))
            start = None
    return found


def salient_spans(flags: Sequence[bool], noise_density: float = 0.15,
                  generator: torch.Generator | int | None = None, max_spans: int | None = None,
                  sentences: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """Entity spans of one block to hide, in order: drawn at random until at least
    ``noise_density`` of the block is hidden, or every entity is (a block with few
    entities hides less). ``max_spans`` caps the count (the sentinels available).
    With ``sentences`` (one sentence number per token), at most one entity per
    sentence is a candidate, drawn at random among that sentence's entities."""
    check_rate("noise_density", noise_density)
    candidates = runs(flags)
    if not candidates:
        return []
    generator = make_generator(generator)
    if sentences is not None:
        if len(sentences) != len(flags):
            raise ValueError(f"one sentence number per token: {len(sentences)} for {len(flags)} tokens")
        by_sentence: dict[int, list[tuple[int, int]]] = {}
        for span in candidates:
            by_sentence.setdefault(sentences[span[0]], []).append(span)
        candidates = [group[int(torch.randint(len(group), (1,), generator=generator))]
                      for _, group in sorted(by_sentence.items())]
    order = torch.randperm(len(candidates), generator=generator).tolist()
    target = noise_density * len(flags)
    chosen, hidden = [], 0
    for index in order:
        if hidden >= target or (max_spans is not None and len(chosen) >= max_spans):
            break
        chosen.append(candidates[index])
        hidden += candidates[index][1] - candidates[index][0]
    return sorted(chosen)
