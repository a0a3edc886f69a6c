"""Notebook 03's exercise checks: right answers (worked out here) pass, wrong ones fail."""

from __future__ import annotations

import json

import pytest
import torch

from lecturekit.exercises import check


@pytest.mark.parametrize(("exercise", "right", "wrongs"), [
    ("masked_of_512", round(512 * 0.15 * 0.8), [77, 512 * 0.15, 512 * 0.8, "61", True]),
    ("t5_target", "<X> your party <Y>", ["<X> your party", "your party", "<X> for inviting <Y>", 7]),
])
def test_right_passes_and_wrong_fails(exercise, right, wrongs):
    assert check(exercise, right).startswith("✓")
    for wrong in wrongs:
        with pytest.raises(AssertionError):
            check(exercise, wrong)


def test_best_at_numbers_follows_the_model_cards():
    # Read from the cards' files here; the check goes through probe_comparison.
    from lecturekit.hub.lecture import checkpoint_dir

    names = ["lecture-bert", "lecture-gpt", "lecture-t5"]
    scores = {}
    for name in names:
        card = json.loads((checkpoint_dir(name) / "card.json").read_text())
        scores[name] = next(row["top1"] for row in card["probes"] if row["category"] == "number_patterns")
    best = {name for name in names if scores[name] == max(scores.values())}
    for name in names:
        if name in best:
            assert check("best_at_numbers", name).startswith("✓")
        else:
            with pytest.raises(AssertionError, match="number_patterns"):
                check("best_at_numbers", name)
    with pytest.raises(AssertionError):
        check("best_at_numbers", "baseline")


def visible_targets(block: int, prefix: int) -> int:
    """Ask a real (untrained) LectureGPT: at how many scored positions t does changing the
    token at t + 1 (the target) change the output at t?"""
    from lecturekit.train.experiments import small_model

    model = small_model("clm", 50, d_model=16, n_layers=1, max_positions=block).eval()
    ids = torch.randint(5, 50, (1, block), generator=torch.Generator().manual_seed(0))
    prefix_lengths = torch.tensor([prefix])
    with torch.no_grad():
        base = model(input_ids=ids, prefix_lengths=prefix_lengths).logits[0]
        count = 0
        for t in range(block - 1):  # the last position is scored against nothing
            changed = ids.clone()
            changed[0, t + 1] = 5 if ids[0, t + 1] != 5 else 6
            logits = model(input_ids=changed, prefix_lengths=prefix_lengths).logits[0]
            count += not torch.allclose(logits[t], base[t])
    return count


def test_prefix_visible_targets_are_those_inside_the_prefix():
    right = visible_targets(32, 10)
    assert check("prefix_visible_targets", right).startswith("✓")
    assert visible_targets(32, 32) == 31  # the cheater reads every target
    for wrong in (31, 10, 0, right + 0.5, str(right)):
        with pytest.raises(AssertionError, match="t \\+ 1"):
            check("prefix_visible_targets", wrong)


def test_the_cheater_question_is_gone():
    with pytest.raises(ValueError, match="no exercise"):
        check("cheater_loss", 0.1)
