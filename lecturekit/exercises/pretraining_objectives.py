"""Checks for the exercises of notebook 03 (pretraining objectives)."""

from __future__ import annotations

T5_SENTENCE = "Thank you for inviting me to your party last week ."
SHIPPED = ("lecture-bert", "lecture-gpt", "lecture-t5")


def _masked_of_512(answer):
    expected = 512 * 0.15 * 0.8  # chosen, then 80% of those become [MASK]
    return isinstance(answer, int | float) and abs(answer - expected) <= 1, "15% are chosen, and 80% of those are masked"


def _t5_target(answer):
    from ..objectives import span_corruption_from_spans

    words = T5_SENTENCE.split()
    start = words.index("your")
    example = span_corruption_from_spans(list(range(len(words))), [(start, start + 2)], [-1, -2])
    names = dict(enumerate(words))
    expected = " ".join(example.target_tokens(names))
    return " ".join(str(answer).split()) == expected, "each hidden span is introduced by its sentinel, and one more sentinel closes the target"


def _best_at_numbers(answer):
    from ..train.cards import probe_comparison

    scores = probe_comparison(SHIPPED).loc["number_patterns"].drop("baseline")
    return answer == scores.idxmax(), "look at the number_patterns row of the probe table"


def _cheater_loss(answer, history=None):
    if history is None:
        return False, "pass history=cheat_history so the check can read the real losses"
    final = sum(history.train_loss[-50:]) / len(history.train_loss[-50:])
    return isinstance(answer, int | float) and abs(answer - final) <= 0.1, "average the last 50 training losses"


CHECKS = {
    "masked_of_512": _masked_of_512,
    "t5_target": _t5_target,
    "best_at_numbers": _best_at_numbers,
    "cheater_loss": _cheater_loss,
}
