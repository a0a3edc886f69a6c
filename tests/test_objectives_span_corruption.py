"""T5 span corruption: the paper's example exactly, and T5's span statistics."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecturekit.objectives import (
    collate_span_corruption,
    random_spans_noise_mask,
    sentinel_name,
    span_corruption,
    span_corruption_from_spans,
)
from lecturekit.objectives.span_corruption import mask_to_spans

WORDS = "Thank you for inviting me to your party last week .".split()
SENTINEL_NAMES = [f"<extra_id_{i}>" for i in range(100)]
VOCABULARY = WORDS + SENTINEL_NAMES
SENTINELS = list(range(len(WORDS), len(VOCABULARY)))


def test_reproduces_the_t5_paper_example_exactly():
    ids = list(range(len(WORDS)))  # word-level tokens
    spans = [(WORDS.index("for"), WORDS.index("me")), (WORDS.index("last"), WORDS.index("week"))]
    example = span_corruption_from_spans(ids, spans, SENTINELS)
    assert " ".join(example.input_tokens(VOCABULARY)) == "Thank you <X> me to your party <Y> week ."
    assert " ".join(example.target_tokens(VOCABULARY)) == "<X> for inviting <Y> last <Z>"
    # the released T5 vocabulary's names for the same sentinels
    assert " ".join(example.input_tokens(VOCABULARY, style="t5")) == (
        "Thank you <extra_id_0> me to your party <extra_id_1> week ."
    )
    assert " ".join(example.target_tokens(VOCABULARY, style=None)) == (
        "<extra_id_0> for inviting <extra_id_1> last <extra_id_2>"
    )
    assert list(example.table(VOCABULARY)["hidden text"]) == ["for inviting", "last"]


def test_eos_ends_both_sequences():
    example = span_corruption_from_spans([5, 6, 7, 8], [(1, 2)], [100, 101], eos_id=1)
    assert example.input_ids == [5, 100, 7, 8, 1] and example.target_ids == [100, 6, 101, 1]


def test_sentinel_names():
    assert [sentinel_name(i) for i in range(4)] == ["<X>", "<Y>", "<Z>", "<A>"]
    assert sentinel_name(7, style="t5") == "<extra_id_7>"
    with pytest.raises(ValueError, match="style"):
        sentinel_name(0, style="bert")


@pytest.mark.parametrize("length", [2, 5, 11, 20, 100, 512])
def test_noise_mask_has_t5s_counts(length):
    mask = random_spans_noise_mask(length, generator=length)
    n_noise = min(max(round(length * 0.15), 1), length - 1)
    assert int(mask.sum()) == n_noise
    assert len(mask_to_spans(mask)) == max(round(n_noise / 3), 1)
    assert not bool(mask[0]) and bool(mask[-1])  # T5's layout: kept first, noise last


def test_span_lengths_average_the_mean_span_length():
    lengths = []
    for seed in range(200):
        mask = random_spans_noise_mask(200, generator=seed)
        lengths += [end - start for start, end in mask_to_spans(mask)]
    # 30 noise tokens in 10 spans per sequence: the mean is exactly 3 by construction,
    # and the spans vary in length (a random segmentation, not fixed blocks).
    assert sum(lengths) / len(lengths) == 3.0
    assert min(lengths) == 1 and max(lengths) > 8


@settings(max_examples=60, deadline=None)
@given(
    ids=st.lists(st.integers(0, 49), min_size=2, max_size=80),
    density=st.floats(0.05, 0.5),
    seed=st.integers(0, 10_000),
)
def test_input_and_target_together_give_back_the_original(ids, density, seed):
    sentinels = list(range(1000, 1100))
    example = span_corruption(ids, sentinels, noise_density=density, generator=seed)
    # Fill each sentinel in the input with the tokens that follow it in the target.
    fills, current = {}, None
    for token in example.target_ids:
        if token in sentinels:
            current = token
            fills[current] = []
        else:
            fills[current].append(token)
    rebuilt = [t for token in example.input_ids for t in (fills[token] if token in sentinels else [token])]
    assert rebuilt == list(ids)
    assert example.target_ids[-1] == sentinels[len(example.spans)]


@pytest.mark.parametrize(
    "spans,message",
    [
        ([], "at least one span"),
        ([(2, 2)], "non-empty range"),
        ([(3, 12)], "non-empty range"),
        ([(1, 4), (3, 5)], "overlaps"),
        ([(1, 3), (3, 5)], "touches"),
    ],
)
def test_bad_spans_get_clear_errors(spans, message):
    with pytest.raises(ValueError, match=message):
        span_corruption_from_spans(list(range(11)), spans, SENTINELS)


def test_too_short_or_too_noisy_inputs_get_clear_errors():
    with pytest.raises(ValueError, match="at least 2 tokens"):
        span_corruption([7], SENTINELS)
    with pytest.raises(ValueError, match="empty"):
        span_corruption([], SENTINELS)
    with pytest.raises(ValueError, match="too high"):
        random_spans_noise_mask(10, noise_density=0.9, mean_span_length=1)
    with pytest.raises(ValueError, match="sentinel ids are needed"):
        span_corruption_from_spans(list(range(11)), [(1, 2), (4, 5)], [100, 101])
    with pytest.raises(ValueError, match="noise_density"):
        span_corruption(list(range(11)), SENTINELS, noise_density=1.2)


def test_collate_pads_inputs_and_ignores_padded_targets():
    a = span_corruption_from_spans([5, 6, 7, 8, 9], [(1, 3)], [100, 101])
    b = span_corruption_from_spans([5, 6, 7], [(2, 3)], [100, 101])
    batch = collate_span_corruption([a, b], pad_id=0)
    assert batch["input_ids"].tolist() == [[5, 100, 8, 9], [5, 6, 100, 0]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1, 1], [1, 1, 1, 0]]
    assert batch["labels"].tolist() == [[100, 6, 7, 101], [100, 7, 101, -100]]
