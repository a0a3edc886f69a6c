"""Notebook 03's exercise checks: right answers pass, wrong ones and None fail."""

from __future__ import annotations

import pytest

from lecturekit.exercises import check


@pytest.mark.parametrize(("exercise", "right", "wrongs"), [
    ("masked_of_512", 61, [77, 512 * 0.15, None, "61"]),
    ("t5_target", "<X> your party <Y>", ["<X> your party", "your party", None]),
    ("best_at_numbers", "lecture-bert", ["lecture-gpt", "lecture-t5", None]),
])
def test_right_passes_and_wrong_fails(exercise, right, wrongs):
    assert check(exercise, right).startswith("✓")
    for wrong in wrongs:
        with pytest.raises(AssertionError):
            check(exercise, wrong)


def test_the_cheater_check_needs_the_real_history():
    with pytest.raises(AssertionError, match="history"):
        check("cheater_loss", 0.1)
