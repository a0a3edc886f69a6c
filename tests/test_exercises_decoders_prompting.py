"""Notebook 07's exercise checks: unanswered is said, not raised; right answers (worked out here by
hand, not with the checks' code) pass; wrong ones fail with a hint."""

from __future__ import annotations

import pytest
import torch

from lecturekit.exercises import all_checks, check
from lecturekit.exercises.decoders_and_prompting import CHECKS


def calibrate(p, p_cf):
    q = p / p_cf
    return q / q.sum(dim=-1, keepdim=True)


RIGHT = {
    "two_shot_prompt": "cold => hot\nup => down\nwet =>",
    "nucleus_size": 3,  # 0.5 + 0.2 = 0.7 < 0.8 <= 0.85
    "contextual_calibration": calibrate,
    "chain_scratch_pad": "8,5,5;5",  # 2*4 = 8, 8+7 = 15 -> 5, 5*3 = 15 -> 5
}

WRONG = {
    "two_shot_prompt": ["cold => hot\nup => down\nwet => ", "wet =>\ncold => hot\nup => down",
                        "cold => hot\nup => down\nwet =>\n", 42],
    "nucleus_size": [2, 4, 5, "three"],
    "contextual_calibration": [lambda p, c: p / c, lambda p, c: (p * c) / (p * c).sum(-1, keepdim=True),
                               lambda p, c: p, "calibrate"],
    "chain_scratch_pad": ["8,15,45;45", "8,5,5;8", "5", 5],
}


def stub(*arguments):
    ...  # an answer cell's function, not written yet


def test_the_module_is_registered_and_every_check_is_tried_here():
    assert set(RIGHT) == set(CHECKS) == set(WRONG) and set(CHECKS) <= set(all_checks())


@pytest.mark.parametrize("exercise", sorted(RIGHT))
def test_right_answers_pass(exercise):
    assert "correct" in repr(check(exercise, RIGHT[exercise])) and "✓" in repr(check(exercise, RIGHT[exercise]))


@pytest.mark.parametrize("exercise", sorted(RIGHT))
def test_unanswered_is_said_not_raised(exercise):
    assert "Not answered yet" in repr(check(exercise, ...))
    assert "Not answered yet" in repr(check(exercise, None))


@pytest.mark.parametrize(("exercise", "answer"), [(e, a) for e, answers in WRONG.items() for a in answers])
def test_wrong_answers_fail_with_a_hint(exercise, answer):
    with pytest.raises(AssertionError, match="Hint"):
        check(exercise, answer)


def test_a_stub_function_is_not_answered_or_fails():
    try:
        feedback = check("contextual_calibration", stub)
    except AssertionError as error:
        assert "Hint" in str(error)
    else:
        assert "Not answered yet" in repr(feedback)


def test_the_nucleus_question_matches_the_sampling_filter():
    from lecturekit.hub.sampling import next_token_distribution

    kept = next_token_distribution(torch.tensor([0.5, 0.2, 0.15, 0.1, 0.05]).log(), 1.0, None, 0.8) > 0
    assert kept.tolist() == [True, True, True, False, False]
