"""The learning-rate schedule: linear warm-up, then cosine decay.

Warm-up: Adam's early steps use poor estimates of the gradient's scale, so the
learning rate starts near zero and rises linearly. Cosine decay: large steps
explore, small steps at the end settle into a minimum.
"""

from __future__ import annotations

import math


def warmup_cosine(step: int, warmup_steps: int, total_steps: int, min_ratio: float = 0.1) -> float:
    """Multiplier of the peak learning rate at ``step`` (0-based).

    Rises linearly over ``warmup_steps`` (reaching 1 at step ``warmup_steps``), then
    follows half a cosine down to ``min_ratio`` at ``total_steps``, and stays there.
    """
    if total_steps <= 0:
        raise ValueError(f"total_steps must be positive, got {total_steps}")
    if not 0 <= warmup_steps <= total_steps:
        raise ValueError(f"warmup_steps must be in [0, total_steps], got {warmup_steps}")
    if not 0.0 <= min_ratio <= 1.0:
        raise ValueError(f"min_ratio must be in [0, 1], got {min_ratio}")
    if step < warmup_steps:
        return (step + 1) / (warmup_steps + 1)
    decay_steps = max(1, total_steps - warmup_steps)
    progress = min(1.0, (step - warmup_steps) / decay_steps)
    return min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))
