"""One module per lecture category: the documents it writes and the cloze probes that test them.

Each category module has lists of sentence templates (paraphrases of the same kind
of statement) and two functions:

- ``write(context) -> str`` picks an entity, fills a few templates and returns one
  short document of the pretraining corpus;
- ``probes(world, rng, n) -> list[ClozeItem]`` writes n fill-in-the-blank items
  from the same facts, with *other* phrasings (the ``PROBE_`` templates), so no
  probe appears verbatim in the training text: the model has to know the fact, not
  the sentence.

Keeping both in one module puts what a model reads next to what it is asked.
`lecturekit.world.probes.probes` and `lecturekit.world.corpus` call them through
the tables below; `base` holds the `Context` and the template helpers they share.
"""

from __future__ import annotations

import random

from ..base import CATEGORIES, Document, check_category
from ..facts import World
from . import (
    coreference,
    lexical_semantics,
    number_patterns,
    sentiment,
    syntax,
    trivia,
    world_state,
)
from .base import Context

# Share of documents per category. Trivia is largest because it carries both the
# biographies (birthplaces for the QA experiment: each person's biography must be read
# often) and the place descriptions; world state needs more stories now that its
# stories must be tracked, not copied.
MIXTURE: dict[str, float] = {
    "trivia": 0.28,
    "syntax": 0.10,
    "coreference": 0.13,
    "lexical_semantics": 0.11,
    "sentiment": 0.15,
    "world_state": 0.12,
    "number_patterns": 0.11,
}

MODULES = {
    "trivia": trivia,
    "syntax": syntax,
    "coreference": coreference,
    "lexical_semantics": lexical_semantics,
    "sentiment": sentiment,
    "world_state": world_state,
    "number_patterns": number_patterns,
}
WRITERS = {category: module.write for category, module in MODULES.items()}
PROBES = {category: module.probes for category, module in MODULES.items()}


def write_document(world: World, category: str, rng: random.Random, bias: float = 0.0) -> Document:
    """One document of a category (a fresh Context: fine for samples, slow for corpora)."""
    check_category(category)
    return Document(category, WRITERS[category](Context(world, rng, bias)))


def template_count() -> dict[str, int]:
    """How many sentence templates each category's writer can choose from (probes not counted)."""
    return {category: sum(len(group) for group in MODULES[category].TEMPLATE_LISTS) for category in CATEGORIES}

