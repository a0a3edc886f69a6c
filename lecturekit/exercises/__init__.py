"""The checks of every notebook's exercises, in one place: ``check(exercise, answer)``.

One module per notebook (``subword_tokenization`` for 01, ``contextual_embeddings`` for
02, ``pretraining_objectives`` for 03) holds a table ``name -> function(answer, **context)``
returning ``(correct, hint)``. The functions recompute the right answer from the library,
so a check stays right if a notebook's numbers change. Exercise names are unique across
the notebooks, so one ``check`` serves them all.

This package sits above the library areas it checks (it may import any of them, and the
widgets' pure functions); nothing in the library imports it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

NOTEBOOK_MODULES = ("subword_tokenization", "contextual_embeddings", "pretraining_objectives", "scaling")


def run_check(checks: dict[str, Callable], exercise: str, answer, **context) -> str:
    """Check one answer; raise AssertionError with a hint when it is wrong."""
    if exercise not in checks:
        raise ValueError(f"no exercise {exercise!r}; the exercises are {sorted(checks)}")
    correct, hint = checks[exercise](answer, **context)
    if not correct:
        raise AssertionError(f"Not yet: {answer!r} is not right. Hint: {hint}.")
    return f"✓ {exercise}: correct"


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


def check(exercise: str, answer, **context) -> str:
    """Check one exercise's answer; raises AssertionError with a hint if it is wrong."""
    return run_check(all_checks(), exercise, answer, **context)
