"""Checks for the exercises of notebook 08 (scale).

Each check recomputes the right answer from the library (or from the committed sweep
results) and ignores anything else passed to it: an answer is judged only against
what the library says, never against numbers the notebook hands in.
"""

from __future__ import annotations

import math
from numbers import Real


def _close(answer, expected: float, rel: float = 0.0, abs_: float = 0.0) -> bool:
    if isinstance(answer, bool) or not isinstance(answer, Real) or not math.isfinite(float(answer)):
        return False
    return math.isclose(float(answer), expected, rel_tol=rel, abs_tol=abs_)


def _gpt3_training_flops(answer, **_ignored):
    from ..scaling import training_flops

    expected = training_flops(175e9, 300e9)
    return _close(answer, expected, rel=0.02), "multiply 6 by the parameters and by the training tokens (in FLOPs)"


def _chinchilla_tokens_per_parameter(answer, **_ignored):
    from ..scaling import published_models

    expected = float(published_models().loc["Chinchilla 70B", "tokens_per_parameter"])
    return _close(answer, expected, abs_=0.5), "divide Chinchilla's training tokens by its parameters"


def _parameters_for_1000_h100_hours(answer, **_ignored):
    from ..scaling import chinchilla_optimal, compute_for_gpu_hours

    compute = compute_for_gpu_hours(1000, "H100", 0.4)
    expected = chinchilla_optimal(compute, fit="besiroglu").parameters
    return (_close(answer, expected, rel=0.05),
            "turn the GPU-hours into FLOPs with compute_for_gpu_hours, then ask chinchilla_optimal (fit='besiroglu')")


def _lecture_gpt_training_flops(answer, **_ignored):
    from ..train.cards import load_card

    card = load_card("lecture-gpt")
    expected = 6 * card["parameters"] * card["data"]["tokens_seen"]
    return _close(answer, expected, rel=0.03), "6 x the parameters x the tokens seen, both from lecture-gpt's model card"


def _sweep_exponent(answer, **_ignored):
    from ..scaling.isoflop import fit_exponent
    from ..scaling.sweep import load_results, runs_table

    expected = fit_exponent(runs_table(load_results("cpu")), bootstrap=200).a
    return _close(answer, expected, abs_=0.02), "the slope of log N_opt against log C in the committed CPU sweep"


CHECKS = {
    "gpt3_training_flops": _gpt3_training_flops,
    "chinchilla_tokens_per_parameter": _chinchilla_tokens_per_parameter,
    "parameters_for_1000_h100_hours": _parameters_for_1000_h100_hours,
    "lecture_gpt_training_flops": _lecture_gpt_training_flops,
    "sweep_exponent": _sweep_exponent,
}
