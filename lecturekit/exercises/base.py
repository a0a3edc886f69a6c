"""What every exercise check shares: the placeholder, the message a check shows, and
the rules for answers that are numbers or functions.

A lesson stores each answer cell unanswered, holding Python's ``...`` (Ellipsis). A
check on ``...`` or ``None`` is not an error: it says "not answered yet", so the stored
notebook runs clean top to bottom and a learner sees what to do.
"""

from __future__ import annotations

import math
from numbers import Real

PLACEHOLDER = ...


class Feedback(str):
    """A check's message. A ``str``, so code can test it (``.startswith("✓")``), but
    shown as plain text under a notebook cell: IPython shows a plain ``str`` with its
    quotes and escapes, which reads like a value rather than a message."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


class NotAnswered(Exception):
    """Raised inside a check when the answer is still a stub (a function whose body is ``...``)."""


def is_placeholder(answer) -> bool:
    return answer is None or answer is PLACEHOLDER


def not_answered(exercise: str) -> Feedback:
    return Feedback(f"Not answered yet ({exercise}): replace the ... with your answer and run this cell again.")


def correct(exercise: str) -> Feedback:
    return Feedback(f"✓ {exercise}: correct")


def number(answer) -> float | None:
    """The answer as a finite float, or None if it is not a number (True and "3" are not).

    A one-element tensor or array counts: learners often compute an answer with torch."""
    if isinstance(answer, bool | str | bytes):
        return None
    if not isinstance(answer, Real):
        if getattr(answer, "dtype", None) is not None and str(answer.dtype).endswith("bool"):
            return None
        try:
            answer = float(answer)
        except (TypeError, ValueError, RuntimeError):
            return None
    value = float(answer)
    return value if math.isfinite(value) else None


def close(answer, expected: float, rel: float = 0.0, abs_: float = 0.0) -> bool:
    value = number(answer)
    return value is not None and math.isclose(value, expected, rel_tol=rel, abs_tol=abs_)


def whole_number(answer) -> int | None:
    """The answer as an int if it is a whole number (3 or 3.0), else None."""
    value = number(answer)
    return int(value) if value is not None and value.is_integer() else None


def call_answer(function, *arguments):
    """Call a function the learner wrote. A stub (its body still ``...``) returns None:
    that is "not answered yet", not a wrong answer."""
    result = function(*arguments)
    if is_placeholder(result):
        raise NotAnswered
    return result


def describe(answer) -> str:
    """How a wrong answer is named in the message (a function's repr is an address)."""
    if callable(answer):
        return f"your function {getattr(answer, '__name__', '')}".rstrip()
    return repr(answer)
