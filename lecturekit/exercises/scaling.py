"""Checks for the exercises of notebook 08 (scale).

Each check recomputes the right answer from the library (or from the committed sweep
results and the model cards) and ignores anything else passed to it: an answer is judged
only against what the library says, never against numbers the notebook hands in. The
questions ask for numbers the notebook does not print, so that each needs its idea.
"""

from __future__ import annotations

from .base import close

RULE_OF_THUMB_BUDGET = 1e24  # FLOPs
GPU_HOURS, GPU, UTILISATION = 100, "A100", 0.4
BUDGET_GROWTH = 100
TOKENS_PER_PARAMETER = 20


def _gpt3_forward_flops_per_token(answer, **_ignored):
    from ..scaling import published_models

    parameters = float(published_models().loc["GPT-3 175B", "parameters"])
    # Of the 6 FLOPs per parameter per token of training, the forward pass is 2.
    return (close(answer, 2 * parameters, rel=0.02),
            "only the forward pass runs when a model reads or writes: how many FLOPs per parameter is that?")


def _rule_of_thumb_parameters(answer, **_ignored):
    from ..scaling import chinchilla_optimal

    expected = chinchilla_optimal(RULE_OF_THUMB_BUDGET, fit="20 tokens per parameter").parameters
    return close(answer, expected, rel=0.03), "put D = 20·N into C = 6·N·D and solve for N"


def _parameters_for_100_a100_hours(answer, **_ignored):
    from ..scaling import chinchilla_optimal, compute_for_gpu_hours

    compute = compute_for_gpu_hours(GPU_HOURS, GPU, UTILISATION)
    expected = chinchilla_optimal(compute, fit="besiroglu").parameters
    return (close(answer, expected, rel=0.05),
            "turn the GPU-hours into FLOPs with compute_for_gpu_hours, then ask chinchilla_optimal (fit='besiroglu')")


def _lecture_gpt_hours_at_20_tokens_per_parameter(answer, **_ignored):
    # From the card as it is now: the shipped models can be retrained.
    from ..train.cards import load_card

    card = load_card("lecture-gpt")
    parameters, tokens = card["parameters"], card["data"]["tokens_seen"]
    speed = 6 * parameters * tokens / card["wall_time_seconds"]  # FLOP/s its CPU reached
    expected = 6 * parameters * TOKENS_PER_PARAMETER * parameters / speed / 3600
    return close(answer, expected, rel=0.03), (
        "the CPU's speed is 6·N·D over the card's wall time; 20 tokens per parameter is D = 20·N; "
        "divide the new 6·N·D by that speed, and seconds by 3,600")


def _token_growth_for_100x_budget(answer, **_ignored):
    from ..scaling.isoflop import fit_exponent
    from ..scaling.sweep import load_results, runs_table

    # The slope a does not depend on the bootstrap (only its interval does): a few rounds do.
    a = fit_exponent(runs_table(load_results("cpu")), bootstrap=20).a
    expected = BUDGET_GROWTH ** (1 - a)
    return close(answer, expected, rel=0.03), (
        "N_opt grows as C^a and N·D = C/6, so D_opt grows as C^(1 - a); use the sweep's fitted a")


CHECKS = {
    "gpt3_forward_flops_per_token": _gpt3_forward_flops_per_token,
    "rule_of_thumb_parameters": _rule_of_thumb_parameters,
    "parameters_for_100_a100_hours": _parameters_for_100_a100_hours,
    "lecture_gpt_hours_at_20_tokens_per_parameter": _lecture_gpt_hours_at_20_tokens_per_parameter,
    "token_growth_for_100x_budget": _token_growth_for_100x_budget,
}
