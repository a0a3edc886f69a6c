"""Notebook 08's exercise checks: right answers pass; wrong ones, None, and planted context fail."""

from __future__ import annotations

import pytest

from lecturekit.exercises import all_checks, check
from lecturekit.exercises.scaling import CHECKS


def right_answers() -> dict:
    from lecturekit.scaling import chinchilla_optimal, compute_for_gpu_hours
    from lecturekit.scaling.isoflop import fit_exponent
    from lecturekit.scaling.sweep import load_results, runs_table
    from lecturekit.train.cards import load_card

    card = load_card("lecture-gpt")
    return {
        "gpt3_training_flops": 6 * 175e9 * 300e9,
        "chinchilla_tokens_per_parameter": 20,
        "parameters_for_1000_h100_hours": chinchilla_optimal(compute_for_gpu_hours(1000, "H100", 0.4),
                                                             fit="besiroglu").parameters,
        "lecture_gpt_training_flops": 6 * card["parameters"] * card["data"]["tokens_seen"],
        "sweep_exponent": round(fit_exponent(runs_table(load_results("cpu")), bootstrap=200).a, 2),
    }


RIGHT = right_answers()


def test_every_check_has_a_right_answer_here():
    assert set(RIGHT) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_right_answers_pass(name):
    assert check(name, RIGHT[name]).startswith("✓")


@pytest.mark.parametrize("name", sorted(CHECKS))
@pytest.mark.parametrize("wrong", [None, "lots", True, float("nan"), 0, -1])
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
