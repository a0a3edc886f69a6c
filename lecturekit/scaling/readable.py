"""Numbers for people: "70 B parameters", "1.4 T tokens", "5.8e23 FLOPs"."""

from __future__ import annotations

import math

_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def _significant(value: float, digits: int = 3) -> str:
    """At most ``digits`` significant digits, no trailing zeros: 70, 1.4, 175, 6.7, 1.19."""
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def count(value: float, unit: str = "") -> str:
    """A count with K (thousand), M (million), B (billion) or T (trillion): ``count(70e9, "parameters")``."""
    value = float(value)
    if not math.isfinite(value):
        return f"{value} {unit}".strip()
    for scale, letter in _SCALES:
        if abs(value) >= scale * 0.9995:
            if abs(value) >= 1e15:
                return f"{flops_number(value)} {unit}".strip()
            return f"{_significant(value / scale)} {letter} {unit}".strip()
    return f"{_significant(value)} {unit}".strip()


def flops_number(value: float, digits: int = 2) -> str:
    """Scientific notation as people write it: 5.8e23 (not 5.8e+23)."""
    mantissa, exponent = f"{float(value):.{digits - 1}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def flops(value: float, digits: int = 2) -> str:
    return f"{flops_number(value, digits)} FLOPs"


def hours(value: float) -> str:
    """GPU-hours: "12.3 GPU-hours", "82,400 GPU-hours", "1.02 M GPU-hours"."""
    value = float(value)
    if 1e3 <= value < 1e6:
        digits = 3 - 1 - math.floor(math.log10(value))
        return f"{round(value, digits):,.0f} GPU-hours"
    return count(value, "GPU-hours")
