"""How notebook exercises are checked.

Each notebook's checks live beside its library code (``subword/exercises.py``,
``hub/exercises.py``, ...) as a table ``name -> function(answer, **context)``
returning ``(correct, hint)``. The functions recompute the right answer from the
library, so a check stays right if a notebook's numbers change.
"""

from __future__ import annotations

from collections.abc import Callable


def run_check(checks: dict[str, Callable], exercise: str, answer, **context) -> str:
    """Check one answer; raise AssertionError with a hint when it is wrong."""
    if exercise not in checks:
        raise ValueError(f"no exercise {exercise!r}; the exercises are {sorted(checks)}")
    correct, hint = checks[exercise](answer, **context)
    if not correct:
        raise AssertionError(f"Not yet: {answer!r} is not right. Hint: {hint}.")
    return f"✓ {exercise}: correct"
