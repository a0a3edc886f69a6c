"""Numbers for people."""

from __future__ import annotations

import pytest

from lecturekit.scaling import readable


@pytest.mark.parametrize("value, text", [
    (70e9, "70 B parameters"), (175e9, "175 B parameters"), (6.7e9, "6.7 B parameters"),
    (1_192_960, "1.19 M parameters"), (123_328, "123 K parameters"), (999, "999 parameters"),
    (15e12, "15 T parameters"), (1.4e12, "1.4 T parameters"),
])
def test_counts(value, text):
    assert readable.count(value, "parameters") == text


def test_flops_and_hours():
    assert readable.flops(5.76e23) == "5.8e23 FLOPs"
    assert readable.flops(3.14e23) == "3.1e23 FLOPs"
    assert readable.hours(1000) == "1,000 GPU-hours"
    assert readable.hours(82_432) == "82,400 GPU-hours"
    assert readable.hours(1_022_362) == "1.02 M GPU-hours"
    assert readable.hours(12.34) == "12.3 GPU-hours"
    assert readable.count(2e16, "tokens") == "2.0e16 tokens"
