"""Timing shared by the benchmark scripts (run them as `python benchmarks/<name>.py`)."""

from __future__ import annotations

import statistics
import time


def median_ms(ours, reference, repeats: int) -> tuple[float, float]:
    """Median milliseconds of two actions, measured alternately so that a busy
    machine slows both alike (the ratio stays meaningful even when times are not)."""
    ours(), reference()  # warm-up: first calls allocate buffers
    times: dict[str, list[float]] = {"ours": [], "reference": []}
    for _ in range(repeats):
        for key, action in (("ours", ours), ("reference", reference)):
            start = time.perf_counter()
            action()
            times[key].append(time.perf_counter() - start)
    return statistics.median(times["ours"]) * 1000, statistics.median(times["reference"]) * 1000
