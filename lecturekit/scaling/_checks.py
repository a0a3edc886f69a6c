"""Input checks shared by the scaling modules: clear messages that name the valid range."""

from __future__ import annotations

import math
from numbers import Real

# Budgets outside these ranges are typing mistakes, not experiments. 1e9 FLOPs trains
# nothing useful; 1e30 is about 26,000 times the largest published training run in
# this package (Llama 3.1 405B, 3.8e25 FLOPs).
COMPUTE_RANGE = (1e9, 1e30)  # FLOPs
PARAMETER_RANGE = (1.0, 1e15)  # 1e15 is a thousand times a trillion-parameter model
TOKEN_RANGE = (1.0, 1e16)  # 1e16 is hundreds of times Llama 3's 15T tokens
GPU_HOURS_RANGE = (1e-3, 1e12)


def check_number(name: str, value, valid: tuple[float, float], unit: str = "") -> float:
    """``value`` as a float, or a ValueError that says which values are allowed."""
    low, high = valid
    allowed = f"between {_short(low)} and {_short(high)}{' ' + unit if unit else ''}"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number {allowed}, got {value!r}")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be a finite number {allowed}, got {value}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be {allowed}, got {value:.3g}".replace("e+", "e"))
    return value


def _short(value: float) -> str:
    """1e9, 1e30, 0.001: the way the range is written in the docs."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}" if abs(int(exponent)) >= 4 else f"{value:g}"


def check_compute(compute) -> float:
    return check_number("compute", compute, COMPUTE_RANGE, "FLOPs")


def check_utilisation(utilisation) -> float:
    """A share of the accelerator's peak speed: more than 0, at most 1."""
    if isinstance(utilisation, bool) or not isinstance(utilisation, Real) or not math.isfinite(float(utilisation)):
        raise ValueError(f"utilisation must be a number in (0, 1] (a share of peak speed), got {utilisation!r}")
    if not 0 < float(utilisation) <= 1:
        raise ValueError(f"utilisation must be in (0, 1] (a share of peak speed, e.g. 0.4), got {utilisation}")
    return float(utilisation)


def choose(kind: str, name, options) -> str:
    """``name`` if it is one of ``options``, else a ValueError listing them."""
    if not isinstance(name, str) or name not in options:
        raise ValueError(f"unknown {kind} {name!r}; choose one of: {', '.join(repr(o) for o in options)}")
    return name
