"""Notebook 08's exercise checks: right answers (worked out here from the papers' constants,
the model card and the committed sweep, not with the checks' code) pass; wrong ones,
non-numbers, and planted context fail."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lecturekit.exercises import all_checks, check
from lecturekit.exercises.scaling import CHECKS


def besiroglu_parameters(compute: float) -> float:
    # N_opt = G (C/6)^a with a = beta / (alpha + beta), G = (alpha A / (beta B))^(1 / (alpha + beta)),
    # from Besiroglu et al.'s printed constants.
    alpha, beta, big_a, big_b = 0.3478, 0.3658, 482.01, 2085.43
    g = (alpha * big_a / (beta * big_b)) ** (1 / (alpha + beta))
    return g * (compute / 6) ** (beta / (alpha + beta))


def sweep_slope() -> float:
    """The slope of log N_opt against log C over the budgets with a minimum inside their sizes."""
    from lecturekit.scaling.isoflop import iso_flop_minima
    from lecturekit.scaling.sweep import load_results, runs_table

    minima = iso_flop_minima(runs_table(load_results("cpu")))
    usable = minima[minima.inside]
    return float(np.polyfit(np.log10(usable.budget), np.log10(usable.fitted_parameters), 1)[0])


def right_answers() -> dict:
    from lecturekit.train.cards import load_card

    card = load_card("lecture-gpt")
    n, d = card["parameters"], card["data"]["tokens_seen"]
    a100_peak = 312e12  # dense bf16 FLOP/s, NVIDIA's A100 datasheet
    return {
        "gpt3_forward_flops_per_token": 2 * 175e9,
        "rule_of_thumb_parameters": math.sqrt(1e24 / (6 * 20)),
        "parameters_for_100_a100_hours": besiroglu_parameters(100 * 3600 * a100_peak * 0.4),
        # The same CPU speed, 20·N tokens instead of D: the wall time scales by 20·N / D.
        "lecture_gpt_hours_at_20_tokens_per_parameter": card["wall_time_seconds"] * 20 * n / d / 3600,
        "token_growth_for_100x_budget": 100 ** (1 - sweep_slope()),
    }


RIGHT = right_answers()


def test_every_check_has_a_right_answer_here():
    assert set(RIGHT) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_right_answers_pass(name):
    assert check(name, RIGHT[name]).startswith("✓")
    assert check(name, np.float64(RIGHT[name])).startswith("✓")


@pytest.mark.parametrize("name", sorted(CHECKS))
@pytest.mark.parametrize("wrong", ["lots", True, float("nan"), float("inf"), 0, -1])
def test_non_answers_fail(name, wrong):
    with pytest.raises(AssertionError, match="Hint"):
        check(name, wrong)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_wrong_answers_fail_and_the_hint_does_not_give_them_away(name):
    right = RIGHT[name]
    for wrong in (right * 2, right / 2, right * 1.1):
        correct, hint = CHECKS[name](wrong)
        assert not correct
        assert f"{right}" not in hint and f"{right:.3g}" not in hint


def test_the_obvious_mistakes_fail():
    from lecturekit.train.cards import load_card

    card = load_card("lecture-gpt")
    mistakes = {
        "gpt3_forward_flops_per_token": 6 * 175e9,  # the training cost per token
        "rule_of_thumb_parameters": 1e24 / 120,  # forgot the square root
        "lecture_gpt_hours_at_20_tokens_per_parameter": card["wall_time_seconds"] / 3600,  # as trained
        "token_growth_for_100x_budget": 100 ** sweep_slope(),  # the model's growth, not the data's
    }
    for name, wrong in mistakes.items():
        with pytest.raises(AssertionError):
            check(name, wrong)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_checks_do_not_read_back_what_the_student_passes(name):
    # A student who passes their own "expected" value, table or results must still be
    # judged against the library's answer.
    wrong = RIGHT[name] * 3
    planted = {"expected": wrong, "right": wrong, "table": None, "results": {"runs": []}, "compute": wrong}
    correct, _ = CHECKS[name](wrong, **planted)
    assert not correct
    correct, _ = CHECKS[name](RIGHT[name], **planted)
    assert correct


def test_names_are_unique_across_notebooks():
    assert set(CHECKS) <= set(all_checks())
