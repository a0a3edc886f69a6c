"""Checks for the exercises of notebook 03 (pretraining objectives)."""

from __future__ import annotations

from .base import number, whole_number

T5_SENTENCE = "Thank you for inviting me to your party last week ."
SHIPPED = ("lecture-bert", "lecture-gpt", "lecture-t5")
# The prefix-LM question: blocks of this many tokens, the first PREFIX of them read both ways.
BLOCK, PREFIX = 32, 10


def _masked_of_512(answer):
    expected = 512 * 0.15 * 0.8  # chosen, then 80% of those become [MASK]
    value = number(answer)
    return value is not None and abs(value - expected) <= 1, "15% are chosen, and 80% of those are masked"


def _t5_target(answer):
    from ..objectives import span_corruption_from_spans

    words = T5_SENTENCE.split()
    start = words.index("your")
    example = span_corruption_from_spans(list(range(len(words))), [(start, start + 2)], [-1, -2])
    names = dict(enumerate(words))
    expected = " ".join(example.target_tokens(names))
    return isinstance(answer, str) and " ".join(answer.split()) == expected, (
        "each hidden span is introduced by its sentinel, and one more sentinel closes the target")


def _best_at_numbers(answer):
    # From the model cards as they are now: the shipped models can be retrained.
    from ..train.cards import probe_comparison

    scores = probe_comparison(SHIPPED).loc["number_patterns"].drop("baseline")
    best = set(scores[scores == scores.max()].index)  # a tie: either name is right
    return isinstance(answer, str) and answer.strip() in best, "look at the number_patterns row of the probe table"


def _prefix_visible_targets(answer):
    # The masks LectureGPT itself builds for prefix_lengths (the cheater's are the block length).
    import torch

    from ..models.attention import prefix_lm_masks

    mask = prefix_lm_masks(torch.tensor([PREFIX]), BLOCK)[0]
    # Position t is scored against the token at t + 1; the last position carries no loss.
    expected = sum(bool(mask[t, t + 1]) for t in range(BLOCK - 1))
    return whole_number(answer) == expected, (
        "position t is scored on the token at t + 1: can row t of the prefix-LM mask read column t + 1?")


CHECKS = {
    "masked_of_512": _masked_of_512,
    "t5_target": _t5_target,
    "best_at_numbers": _best_at_numbers,
    "prefix_visible_targets": _prefix_visible_targets,
}
