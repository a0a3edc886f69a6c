"""What every part of the lecture world shares: the category names and three small records.

- `CATEGORIES`: the lecture's seven kinds of knowledge, in lecture order. Each has a
  writer (documents for the corpus) and a probe builder (cloze items) in `writers/`.
- `Document`: one text of a corpus and the category it was written for.
- `ClozeItem`: one fill-in-the-blank probe with its acceptable answers and candidates.
- `LabelledText`: one example of a fine-tuning task (a review and its sentiment, ...).

This module imports nothing else from the world, so the facts, the writers, the corpus,
the probes and the splits can all use it without importing each other.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ..text import BLANK

CATEGORIES: tuple[str, ...] = (
    "trivia",
    "syntax",
    "coreference",
    "lexical_semantics",
    "sentiment",
    "world_state",
    "number_patterns",
)


def check_category(category: str) -> None:
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; choose one of {', '.join(CATEGORIES)}")


@dataclass(frozen=True)
class Document:
    category: str
    text: str

    def __str__(self) -> str:
        body = textwrap.fill(self.text, width=88, initial_indent="  ", subsequent_indent="  ")
        return f"[{self.category}]\n{body}"


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


def cloze_item(category, text, answer, candidates, acceptable=None) -> ClozeItem:
    """A ClozeItem whose only acceptable answer is the gold one, unless others are given."""
    return ClozeItem(category, text, answer, frozenset(acceptable or {answer}), tuple(candidates))


@dataclass(frozen=True)
class LabelledText:
    text: str
    label: str
