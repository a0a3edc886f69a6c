"""Notebook 05's exercise checks: unanswered is said, not raised; right answers (worked out here
from the formulas, not with the checks' code) pass; wrong ones fail with a hint. The questions'
numbers are checked against lecture-bert itself."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lecturekit.exercises import all_checks, check
from lecturekit.exercises.fine_tuning import CHECKS, LORA_IN, LORA_OUT, LORA_RANK, VIRTUAL_TOKENS

D, L = 128, 4  # lecture-bert's width and blocks, as the prefix question states them


def merge(W, A, B, alpha, r):
    return W + (alpha / r) * (B @ A)


def pool_last(hidden, attention_mask):
    last = attention_mask.sum(dim=1) - 1
    return hidden[torch.arange(hidden.shape[0]), last]


RIGHT = {
    "lora_parameters": LORA_RANK * (LORA_IN + LORA_OUT),  # 4,096
    "merged_lora_weight": merge,
    "prefix_tuning_parameters": 2 * VIRTUAL_TOKENS * D * L,  # 8,192
    "last_token_pooling": pool_last,
}


def stub(*arguments):
    ...  # an answer cell's function, not written yet


def test_the_module_is_registered_and_every_check_is_tried_here():
    assert set(RIGHT) == set(CHECKS) and set(CHECKS) <= set(all_checks())


def test_the_questions_numbers_are_lecture_berts():
    from lecturekit.hub import load_model

    bert = load_model("lecture-bert", device="cpu")
    qkv = bert.module.encoder.blocks[0].attention.qkv
    assert (qkv.in_features, qkv.out_features) == (LORA_IN, LORA_OUT)
    assert (bert.module.config.d_model, bert.module.config.n_layers) == (D, L)


@pytest.mark.parametrize("name", sorted(CHECKS))
@pytest.mark.parametrize("unanswered", [..., None, stub], ids=["placeholder", "None", "stub function"])
def test_unanswered_is_said_not_raised(name, unanswered):
    if unanswered is stub and not callable(RIGHT[name]):
        pytest.skip("a number question has no function to stub")
    message = check(name, unanswered)
    assert message.startswith("Not answered yet") and name in message


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_right_answers_pass(name):
    assert check(name, RIGHT[name]) == f"✓ {name}: correct"


@pytest.mark.parametrize("name", ["lora_parameters", "prefix_tuning_parameters"])
def test_a_count_may_be_any_whole_number_type(name):
    for same in (float(RIGHT[name]), np.int64(RIGHT[name]), torch.tensor(RIGHT[name])):
        assert check(name, same).startswith("✓")


def test_wrong_lora_counts_fail_with_a_hint():
    d_in, d_out, r = LORA_IN, LORA_OUT, LORA_RANK
    for wrong in (d_in * d_out, r * d_in, r * d_out, 2 * r * d_in, r * r, r * (d_in + d_out) + d_out, "4096",
                  True, float("nan")):
        with pytest.raises(AssertionError, match="Not yet: .* Hint: "):
            check("lora_parameters", wrong)
    with pytest.raises(AssertionError, match="frozen W"):
        check("lora_parameters", d_in * d_out)


def test_wrong_prefix_counts_fail_with_a_hint():
    n = VIRTUAL_TOKENS
    with pytest.raises(AssertionError, match="prompt tuning's count"):
        check("prefix_tuning_parameters", n * D)
    with pytest.raises(AssertionError, match="key and a trained value"):
        check("prefix_tuning_parameters", n * D * L)
    for wrong in (2 * n * D, 2 * n * D * L * 2, 2 * n * D * 3 * L, 8192.5, "8192"):
        with pytest.raises(AssertionError, match="Hint: "):
            check("prefix_tuning_parameters", wrong)


def unscaled(W, A, B, alpha, r):
    return W + B @ A


def scaled_the_wrong_way(W, A, B, alpha, r):
    return W + (r / alpha) * (B @ A)


def factors_swapped(W, A, B, alpha, r):
    return W + (alpha / r) * (A.T @ B.T)  # the right shape only for square W; wrong values anyway


def only_the_update(W, A, B, alpha, r):
    return (alpha / r) * (B @ A)


def transposed(W, A, B, alpha, r):
    return (W + (alpha / r) * (B @ A)).T


@pytest.mark.parametrize("wrong", [unscaled, scaled_the_wrong_way, factors_swapped, only_the_update, transposed])
def test_wrong_merges_fail_with_a_hint(wrong):
    with pytest.raises(AssertionError, match=f"your function {wrong.__name__} is not right. Hint: "):
        check("merged_lora_weight", wrong)


def test_a_merge_that_raises_or_is_not_a_function_is_wrong_not_a_crash():
    with pytest.raises(AssertionError, match="RuntimeError"):
        check("merged_lora_weight", lambda W, A, B, alpha, r: W + A @ B)  # shapes do not match
    with pytest.raises(AssertionError, match="the function itself"):
        check("merged_lora_weight", "W + alpha / r * B @ A")


def test_a_merge_may_work_in_place_or_return_numpy():
    def in_place(W, A, B, alpha, r):
        W += alpha / r * B @ A
        return W

    assert check("merged_lora_weight", in_place).startswith("✓")
    assert check("merged_lora_weight", lambda W, A, B, alpha, r: merge(W, A, B, alpha, r).numpy()).startswith("✓")


def last_column(hidden, attention_mask):
    return hidden[:, -1]


def first_token(hidden, attention_mask):
    return hidden[:, 0]


def mean_of_real_tokens(hidden, attention_mask):
    weights = attention_mask[..., None].to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1)


def one_past_the_end(hidden, attention_mask):
    return hidden[torch.arange(hidden.shape[0]), attention_mask.sum(dim=1).clamp(max=hidden.shape[1] - 1)]


def whole_batch(hidden, attention_mask):
    return hidden


@pytest.mark.parametrize("wrong", [last_column, first_token, mean_of_real_tokens, one_past_the_end, whole_batch])
def test_wrong_poolings_fail_with_a_hint(wrong):
    with pytest.raises(AssertionError, match=f"your function {wrong.__name__} is not right. Hint: "):
        check("last_token_pooling", wrong)


def test_a_pooling_that_raises_or_is_not_a_function_is_wrong_not_a_crash():
    with pytest.raises(AssertionError, match="IndexError|RuntimeError"):
        check("last_token_pooling", lambda hidden, mask: hidden[torch.arange(hidden.shape[0]), mask.sum(dim=1)])
    with pytest.raises(AssertionError, match="the function itself"):
        check("last_token_pooling", "last")


def test_the_hints_do_not_give_the_counts_away():
    for name in ("lora_parameters", "prefix_tuning_parameters"):
        for wrong in (RIGHT[name] * 2, RIGHT[name] + 1, RIGHT[name] // 2, RIGHT[name] // 8):
            correct, hint = CHECKS[name](wrong)
            assert not correct and str(RIGHT[name]) not in hint and f"{RIGHT[name]:,}" not in hint
