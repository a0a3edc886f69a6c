"""Tasks as data: input/output pairs, the template that shows them, and how to judge an answer.

A ``Task`` is all an in-context-learning experiment needs: the pairs to draw
demonstrations and queries from, the demonstration template and separator of the
prompt, and ``compare(answer, expected)``. The built-in tasks are the lecture's
(English→French, arithmetic, typo correction) and classic word tasks; any list of
pairs becomes a task with ``Task.from_pairs``.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from . import task_data
from .prompts import DEMONSTRATION_TEMPLATE, SEPARATOR, check_template

Compare = Callable[[str, str], bool]


def normalise(text: str) -> str:
    """Case and surrounding space do not count: " Merci" answers "merci"."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def exact_match(answer: str, expected: str) -> bool:
    """The answer is the expected text, after stripping spaces and ignoring case."""
    return normalise(answer) == normalise(expected)


def number_match(answer: str, expected: str) -> bool:
    """The answer is the expected number ("68", " 68", "68.0" and "1,024" all count)."""
    def value(text: str) -> float | None:
        try:
            return float(text.strip().replace(",", ""))
        except ValueError:
            return None

    got, wanted = value(answer), value(expected)
    return got is not None and got == wanted


def check_pairs(pairs, name: str = "the task") -> tuple[tuple[str, str], ...]:
    """The pairs as a tuple of (input, output) strings, or a message saying what is wrong."""
    if isinstance(pairs, Mapping):
        pairs = list(pairs.items())
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Iterable):
        raise TypeError(f"The pairs of {name} must be a list of (input, output) pairs; got {type(pairs).__name__}.")
    checked, seen = [], {}
    for number, pair in enumerate(pairs, start=1):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"Pair {number} of {name} is {pair!r}; each pair must be (input, output).")
        for role, value in zip(("input", "output"), pair, strict=True):
            if not isinstance(value, str):
                raise TypeError(
                    f"Pair {number} of {name} has a {type(value).__name__} as its {role} ({value!r}); "
                    f"inputs and outputs must be strings: write ({str(pair[0])!r}, {str(pair[1])!r})."
                )
            if not value.strip():
                raise ValueError(f"Pair {number} of {name} has an empty {role}.")
        if pair[0] in seen:
            raise ValueError(
                f"Pair {number} of {name} repeats the input {pair[0]!r} of pair {seen[pair[0]]}: a query "
                "could then be shown its own answer as a demonstration."
            )
        seen[pair[0]] = number
        checked.append((pair[0], pair[1]))
    if not checked:
        raise ValueError(f"{name} has no pairs: give at least two (input, output) pairs.")
    if len(checked) == 1:
        raise ValueError(
            f"{name} has one pair; in-context learning needs at least two: one to ask about and "
            "one to show as a demonstration."
        )
    return tuple(checked)


@dataclass(frozen=True)
class Task:
    """A task for in-context learning (see the module docstring)."""

    name: str
    pairs: tuple[tuple[str, str], ...]
    template: str = DEMONSTRATION_TEMPLATE
    separator: str = SEPARATOR
    compare: Compare = exact_match
    description: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("A task needs a name (some text).")
        object.__setattr__(self, "pairs", check_pairs(self.pairs, f"task {self.name!r}"))
        check_template(self.template)
        if not callable(self.compare):
            raise TypeError("compare must be a function (answer, expected) -> bool.")

    @classmethod
    def from_pairs(cls, name: str, pairs, **settings) -> Task:
        """A task from any list (or dict) of (input, output) pairs; ``settings`` as for ``Task``."""
        return cls(name, pairs, **settings)

    def __len__(self) -> int:
        return len(self.pairs)

    @property
    def inputs(self) -> list[str]:
        return [i for i, _ in self.pairs]

    @property
    def outputs(self) -> list[str]:
        return [o for _, o in self.pairs]

    @property
    def labels(self) -> list[str]:
        """The distinct outputs, in order of first appearance (a classification task has few)."""
        return list(dict.fromkeys(self.outputs))

    def is_classification(self, most: int = 8) -> bool:
        """Few distinct outputs, each shown more than once: a label set, not one answer per input."""
        return len(self.labels) <= most and len(self.labels) < len(self.pairs)

    def is_correct(self, answer: str, expected: str) -> bool:
        return bool(self.compare(answer, expected))

    def with_pairs(self, pairs, name: str | None = None) -> Task:
        """The same task (template, separator, judge) over other pairs, e.g. relabelled ones."""
        return dataclasses.replace(self, pairs=pairs, name=name or self.name)


def _builtin() -> dict[str, Task]:
    tasks = [
        Task("english-french", task_data.ENGLISH_FRENCH,
             description="translate an English word into French (GPT-3's 'thanks => merci')"),
        Task("antonyms", task_data.ANTONYMS, description="the opposite of a word"),
        Task("plurals", task_data.PLURALS, description="the plural of an English noun, irregular ones included"),
        Task("capitals", task_data.CAPITALS, description="the capital city of a country"),
        Task("addition", task_data.ADDITION, compare=number_match,
             description="two-digit addition, as in GPT-3's arithmetic tests"),
        Task("typos", task_data.TYPOS, description="correct a misspelled word"),
        Task("sentiment", task_data.REVIEWS, template="Review: {input}\nSentiment: {output}", separator="\n\n",
             description="is a short review positive or negative (a two-label classification task)"),
    ]
    return {task.name: task for task in tasks}


BUILTIN_TASKS: dict[str, Task] = _builtin()
LECTURE_TASKS = ("english-french", "antonyms", "plurals", "capitals", "addition", "typos")


def builtin_task(name: str) -> Task:
    """One of ``BUILTIN_TASKS`` by name."""
    if name not in BUILTIN_TASKS:
        raise ValueError(f"No built-in task {name!r}; the tasks are {', '.join(BUILTIN_TASKS)}.")
    return BUILTIN_TASKS[name]


def as_task(task) -> Task:
    """A Task from a Task or a built-in task's name (for functions that take either)."""
    if isinstance(task, Task):
        return task
    if isinstance(task, str):
        return builtin_task(task)
    raise TypeError(f"Expected a Task or the name of a built-in task; got {type(task).__name__}.")
