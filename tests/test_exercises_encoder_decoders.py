"""Notebook 06's exercise checks: right answers (worked out here by hand) pass, wrong ones fail
with a hint, and the baseline function is tried on the real split."""

from __future__ import annotations

from collections import Counter

import pytest

from lecturekit.exercises import all_checks, check
from lecturekit.exercises.encoder_decoders import CHECKS


def most_common_accuracy(train_answers, test_answers):
    guess = Counter(train_answers).most_common(1)[0][0]
    return sum(a == guess for a in test_answers) / len(test_answers)


def peeks_at_the_test_side(train_answers, test_answers):
    return most_common_accuracy(test_answers, test_answers)


def most_common_over_distinct(train_answers, test_answers):
    guess = Counter(train_answers).most_common(1)[0][0]
    return sum(a == guess for a in test_answers) / len(set(test_answers))


RIGHT = {
    "most_common_city_accuracy": most_common_accuracy,
    "city_target_name_visible": 0.144,  # 0.4 x 0.6 x 0.6
    "salient_teaches_birthplace": 1 / 3,
}

WRONG = {
    "most_common_city_accuracy": [peeks_at_the_test_side, most_common_over_distinct, lambda a, b: "0.02", 0.022],
    "city_target_name_visible": [0.4, 0.24, 0.6, 1.0, "0.144"],
    "salient_teaches_birthplace": [0.144, 0.5, 1.0, 0.0],
}


def test_the_module_is_registered_and_every_check_is_tried_here():
    assert set(RIGHT) == set(CHECKS) == set(WRONG) and set(CHECKS) <= set(all_checks())


@pytest.mark.parametrize("exercise", sorted(RIGHT))
def test_right_answers_pass(exercise):
    assert check(exercise, RIGHT[exercise]).startswith("✓")


@pytest.mark.parametrize(("exercise", "answer"), [(e, a) for e, answers in WRONG.items() for a in answers])
def test_wrong_answers_fail_with_a_hint(exercise, answer):
    with pytest.raises(AssertionError, match="Not yet: .* Hint: "):
        check(exercise, answer)


def test_peeking_at_the_held_out_side_is_named():
    with pytest.raises(AssertionError, match="training answers only"):
        check("most_common_city_accuracy", peeks_at_the_test_side)


def test_the_real_split_baseline_matches_the_library():
    from lecturekit.world.splits import birthplace_qa

    split = birthplace_qa()
    assert most_common_accuracy([q.answer for q in split.train], [q.answer for q in split.test]) == pytest.approx(
        split.baseline_accuracy)
