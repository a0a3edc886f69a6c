"""The checks of every notebook's exercises, in one place: ``check(exercise, answer)``.

One module per notebook (``subword_tokenization`` for 01, ``contextual_embeddings`` for
02, ``pretraining_objectives`` for 03, ``encoders_and_decoders`` for 04, ``fine_tuning``
for 05, ``encoder_decoders`` for 06, ``decoders_and_prompting`` for 07, ``scaling`` for 08) holds a table ``name -> function(answer, **context)``
returning ``(correct, hint)``.
The functions recompute the right answer from the library (never from what the learner
passes in), so a check stays right if a notebook's numbers or the shipped models change.
Exercise names are unique across the notebooks, so one ``check`` serves them all.

What ``check`` does with an answer:

- ``...`` (the placeholder the stored answer cells hold), ``None``, or a function whose
  body is still ``...``: it shows "Not answered yet" and raises nothing, so the stored
  notebook runs clean;
- a right answer: it shows "✓ name: correct";
- a wrong answer: it raises AssertionError with a hint. A red error cannot be mistaken
  for success, and "Run all" stops at the first wrong answer instead of running on.

This package sits above the library areas it checks (it may import any of them, and the
widgets' pure functions); nothing in the library imports it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .base import (
    PLACEHOLDER,
    Feedback,
    NotAnswered,
    correct,
    describe,
    is_placeholder,
    not_answered,
)

NOTEBOOK_MODULES = ("subword_tokenization", "contextual_embeddings", "pretraining_objectives",
                    "encoders_and_decoders", "fine_tuning", "encoder_decoders", "decoders_and_prompting", "scaling")

__all__ = ["NOTEBOOK_MODULES", "PLACEHOLDER", "Feedback", "all_checks", "check", "run_check"]


def run_check(checks: dict[str, Callable], exercise: str, answer, **context) -> Feedback:
    """Check one answer; raise AssertionError with a hint when it is wrong."""
    __tracebackhide__ = True  # IPython leaves this frame out of a wrong answer's traceback
    if exercise not in checks:
        raise ValueError(f"no exercise {exercise!r}; the exercises are {sorted(checks)}")
    if is_placeholder(answer):
        return not_answered(exercise)
    try:
        right, hint = checks[exercise](answer, **context)
    except NotAnswered:
        return not_answered(exercise)
    if not right:
        raise AssertionError(f"Not yet: {describe(answer)} is not right. Hint: {hint}.")
    return correct(exercise)


def all_checks() -> dict[str, Callable]:
    """Every notebook's checks by exercise name (the modules are imported on first use)."""
    checks: dict[str, Callable] = {}
    for name in NOTEBOOK_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        clash = checks.keys() & module.CHECKS.keys()
        if clash:
            raise RuntimeError(f"exercise names used twice: {sorted(clash)}")
        checks.update(module.CHECKS)
    return checks


def check(exercise: str, answer, **context) -> Feedback:
    """Check one exercise's answer: "not answered yet" for ``...``, a ✓ when right, and
    AssertionError with a hint when wrong."""
    __tracebackhide__ = True
    return run_check(all_checks(), exercise, answer, **context)
