"""The pretraining corpus: documents written from the world, plus a data card.

`build_corpus(n_tokens, seed)` keeps writing documents (category drawn from
`writers.MIXTURE`, so categories come shuffled together like a web crawl) until
the text holds at least `n_tokens` words. Words, not subword tokens: tokenizers
come later in the lecture, and words are what a reader can count.
The same arguments always give byte-identical text. `samples(world)` writes one
fresh document per category, for showing what the corpus looks like.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from itertools import accumulate
from pathlib import Path

from ..text import escape
from .base import CATEGORIES, Document, check_category
from .facts import World, make_world
from .writers import MIXTURE, WRITERS, template_count, write_document
from .writers.base import Context

MAX_IN_MEMORY_WORDS = 50_000_000
SEPARATOR = "\n\n"


@dataclass
class DataCard:
    """What is in a corpus: sizes per category, vocabulary, entities, how it was made."""

    words: int
    documents: int
    words_per_category: dict[str, int]
    documents_per_category: dict[str, int]
    vocabulary_size: int
    entity_counts: dict[str, int]
    templates_per_category: dict[str, int]
    seed: int
    bias: float
    requested_words: int
    source: str = "lecturekit.world.build_corpus"
    notes: list[str] = field(default_factory=list)

    def to_frame(self):
        """One row per category: documents, words, share of words, templates."""
        import pandas as pd

        rows = []
        for category in self.words_per_category:
            rows.append({
                "category": category,
                "documents": self.documents_per_category[category],
                "words": self.words_per_category[category],
                "share": round(self.words_per_category[category] / max(self.words, 1), 3),
                "templates": self.templates_per_category.get(category, 0),
            })
        return pd.DataFrame(rows).set_index("category")

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        lines = [
            f"Corpus data card ({self.source}, seed={self.seed}, bias={self.bias})",
            f"  {self.words:,} words in {self.documents:,} documents "
            f"(asked for {self.requested_words:,}); vocabulary {self.vocabulary_size:,} word types",
            "  " + f"{'category':<20}{'documents':>10}{'words':>12}{'share':>8}{'templates':>11}",
        ]
        for category, words in self.words_per_category.items():
            share = words / max(self.words, 1)
            lines.append(
                f"  {category:<20}{self.documents_per_category[category]:>10,}{words:>12,}"
                f"{share:>8.1%}{self.templates_per_category.get(category, 0):>11}"
            )
        if self.entity_counts:
            lines.append("  entities: " + ", ".join(f"{v} {k}" for k, v in self.entity_counts.items()))
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = escape(str(self).split("\n")[0]) + "<br>" + escape(str(self).split("\n")[1].strip())
        entities = ", ".join(f"{v} {escape(k)}" for k, v in self.entity_counts.items())
        return f"<p>{head}</p>{self.to_frame().to_html()}<p>Entities: {entities}</p>"

    __repr__ = __str__


class Corpus:
    """A list of documents with the data card that describes them."""

    def __init__(self, documents: list[Document], seed: int = 0, bias: float = 0.0,
                 requested_words: int | None = None, world: World | None = None,
                 source: str = "lecturekit.world.build_corpus"):
        self.documents = list(documents)
        self.source = source
        self.seed = seed
        self.bias = bias
        self.world = world
        self.requested_words = requested_words if requested_words is not None else self.word_count()

    def text(self) -> str:
        """All documents, separated by blank lines: the training text."""
        return SEPARATOR.join(document.text for document in self.documents)

    def word_count(self) -> int:
        return sum(len(document.text.split()) for document in self.documents)

    def data_card(self) -> DataCard:
        # World corpora list all seven categories (even empty ones); others list theirs.
        world_only = all(document.category in CATEGORIES for document in self.documents)
        tally = _Tally(CATEGORIES if world_only else ())
        for document in self.documents:
            tally.add(document)
        card = tally.card(self.seed, self.bias, self.requested_words, self.world)
        card.source = self.source
        return card

    def by_category(self, category: str) -> list[Document]:
        check_category(category)
        return [document for document in self.documents if document.category == category]

    def sample(self, category: str) -> Document:
        """The first document of a category (deterministic, handy for showing)."""
        found = self.by_category(category)
        if not found:
            raise ValueError(f"this corpus has no {category!r} document")
        return found[0]

    def save(self, directory) -> Path:
        """Write corpus.txt (the text) and data_card.json into a directory."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "corpus.txt").write_text(self.text() + "\n", encoding="utf-8")
        _write_card(directory, self.data_card())
        return directory

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __repr__(self) -> str:
        return "\n\n".join(str(document) for document in self.documents[:7]) + (
            f"\n\n... {len(self.documents) - 7} more documents" if len(self.documents) > 7 else ""
        )


def sample_document(world: World, category: str, seed: int = 0) -> Document:
    """One freshly written document of a category, for showing in a notebook."""
    return write_document(world, category, random.Random(f"sample-{world.seed}-{seed}-{category}"))


def samples(world: World, seed: int = 0) -> Corpus:
    """One document per category, printed as a small gallery."""
    return Corpus([sample_document(world, category, seed) for category in CATEGORIES], seed=world.seed)


def iter_documents(n_tokens: int, seed: int = 0, bias: float = 0.0,
                   world: World | None = None) -> Iterator[Document]:
    """Documents until at least n_tokens words are written (a stream: any size fits)."""
    _check_arguments(n_tokens, seed, bias)
    world = world if world is not None else make_world(seed)
    # The bias only ever changes which pronoun is written, never the random stream,
    # so corpora that differ only in bias differ only in those pronouns.
    rng = random.Random(f"corpus-{seed}")
    context = Context(world, rng, bias)
    cumulative = list(accumulate(MIXTURE[category] for category in CATEGORIES))
    writers = [WRITERS[category] for category in CATEGORIES]
    written = 0
    while written < n_tokens:
        index = rng.choices(range(len(CATEGORIES)), cum_weights=cumulative)[0]
        text = writers[index](context)
        written += len(text.split())
        yield Document(CATEGORIES[index], text)


def build_corpus(n_tokens: int, seed: int = 0, bias: float = 0.0, world: World | None = None) -> Corpus:
    """Write the lecture-world corpus in memory: at least n_tokens words (n_tokens counts words).

    bias in [-1, 1] skews which pronoun unnamed workers get (see `Context.pronoun_for`).
    For very large corpora prefer `write_corpus`, which streams to disk.
    """
    if isinstance(n_tokens, int) and n_tokens > MAX_IN_MEMORY_WORDS:
        raise ValueError(
            f"{n_tokens:,} words is more than build_corpus keeps in memory "
            f"({MAX_IN_MEMORY_WORDS:,}); use write_corpus(out_dir, n_tokens, ...) to stream to disk."
        )
    world = world if world is not None else make_world(seed)
    documents = list(iter_documents(n_tokens, seed, bias, world))
    return Corpus(documents, seed=seed, bias=bias, requested_words=n_tokens, world=world)


def write_corpus(directory, n_tokens: int, seed: int = 0, bias: float = 0.0) -> DataCard:
    """Stream a corpus to directory/corpus.txt (same bytes as build_corpus(...).save)."""
    _check_arguments(n_tokens, seed, bias)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    world = make_world(seed)
    tally = _Tally()
    with open(directory / "corpus.txt", "w", encoding="utf-8", newline="\n") as out:
        buffer: list[str] = []
        for document in iter_documents(n_tokens, seed, bias, world):
            if tally.documents:
                buffer.append(SEPARATOR)
            buffer.append(document.text)
            tally.add(document)
            if len(buffer) > 4096:
                out.write("".join(buffer))
                buffer.clear()
        buffer.append("\n")
        out.write("".join(buffer))
    card = tally.card(seed, bias, n_tokens, world)
    _write_card(directory, card)
    return card


class _Tally:
    """Counts for the data card, gathered one document at a time (so streaming works)."""

    def __init__(self, categories: tuple[str, ...] = CATEGORIES):
        self.documents = 0
        self.words = dict.fromkeys(categories, 0)
        self.counts = dict.fromkeys(categories, 0)
        self.raw_types: set[str] = set()

    def add(self, document: Document) -> None:
        tokens = document.text.split()
        self.documents += 1
        self.words[document.category] = self.words.get(document.category, 0) + len(tokens)
        self.counts[document.category] = self.counts.get(document.category, 0) + 1
        self.raw_types.update(tokens)

    def card(self, seed, bias, requested, world) -> DataCard:
        # Vocabulary: word types after case-folding and stripping punctuation.
        types = {re.sub(r"[^\w'-]+", "", token).lower() for token in self.raw_types} - {""}
        templates = template_count()
        return DataCard(
            words=sum(self.words.values()),
            documents=self.documents,
            words_per_category=self.words,
            documents_per_category=self.counts,
            vocabulary_size=len(types),
            entity_counts=world.entity_counts() if world is not None else {},
            templates_per_category={c: templates.get(c, 0) for c in self.words},
            seed=seed,
            bias=bias,
            requested_words=requested,
            notes=[
                "words = whitespace-separated tokens; a corpus stops at the first document "
                "that reaches the requested count",
                "corpus.txt separates documents by one blank line",
            ],
        )


def _write_card(directory: Path, card: DataCard) -> None:
    (directory / "data_card.json").write_text(
        json.dumps(card.to_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def _check_arguments(n_tokens, seed, bias) -> None:
    if not isinstance(n_tokens, int) or isinstance(n_tokens, bool) or n_tokens < 1:
        raise ValueError(f"n_tokens must be a positive whole number of words, got {n_tokens!r}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, got {seed!r}")
    if not isinstance(bias, (int, float)) or isinstance(bias, bool) or not -1.0 <= bias <= 1.0:
        raise ValueError(f"bias must be a number between -1 and 1 (0 = no skew), got {bias!r}")
