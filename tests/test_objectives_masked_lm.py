"""BERT masking, whole-word masking and SpanBERT span masking.

Statistical checks use a tolerance of 5 binomial standard deviations,
5 * sqrt(p (1 - p) / n): a correct implementation fails such a check with
probability below one in a million, a wrong rate (say 0.12 instead of 0.15 over
100,000 tokens, 26 sigma away) always fails it.
"""

from __future__ import annotations

import math

import pytest
import torch

from lecturekit.objectives import (
    collate_masked_examples,
    mask_tokens,
    span_length_distribution,
    span_mask,
    whole_word_mask,
)
from lecturekit.objectives.masked_lm import KEPT, REPLACED_BY_MASK, REPLACED_BY_RANDOM

VOCAB, PAD, CLS, SEP, MASK = 1000, 0, 1, 2, 3
SPECIAL = [PAD, CLS, SEP]


def within_five_sigma(successes: int, trials: int, p: float) -> bool:
    sigma = math.sqrt(p * (1 - p) / trials)
    return abs(successes / trials - p) <= 5 * sigma


def _corpus(rows=200, length=500, seed=0):
    """Sequences like [CLS] ... [SEP] ... [SEP] [PAD]...: specials sprinkled in."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(4, VOCAB, (rows, length), generator=generator)
    ids[:, 0], ids[:, 250], ids[:, -60] = CLS, SEP, SEP
    ids[:, -59:] = PAD
    return ids


@pytest.mark.parametrize(
    "mask_rate,replace_with_mask,replace_with_random", [(0.15, 0.8, 0.1), (0.4, 0.5, 0.25)]
)
def test_bert_rates_and_80_10_10_split(mask_rate, replace_with_mask, replace_with_random):
    ids = _corpus()
    out = mask_tokens(ids, mask_token_id=MASK, vocab_size=VOCAB, special_ids=SPECIAL, mask_rate=mask_rate,
                      replace_with_mask=replace_with_mask, replace_with_random=replace_with_random, generator=1)
    maskable = ~torch.isin(ids, torch.tensor(SPECIAL))
    chosen = out.chosen
    n_chosen = int(chosen.sum())
    assert within_five_sigma(n_chosen, int(maskable.sum()), mask_rate)
    assert within_five_sigma(int((out.corruption == REPLACED_BY_MASK).sum()), n_chosen, replace_with_mask)
    assert within_five_sigma(int((out.corruption == REPLACED_BY_RANDOM).sum()), n_chosen, replace_with_random)
    keep = 1 - replace_with_mask - replace_with_random
    assert within_five_sigma(int((out.corruption == KEPT).sum()), n_chosen, keep)


def test_labels_inputs_and_specials_follow_the_rules():
    ids = _corpus(rows=50)
    out = mask_tokens(ids, mask_token_id=MASK, vocab_size=VOCAB, special_ids=SPECIAL, generator=2)
    chosen = out.chosen
    assert (out.labels[~chosen] == -100).all()  # no loss off the chosen positions...
    assert torch.equal(out.labels[chosen], ids[chosen])  # ...and the original token on them
    assert not chosen[torch.isin(ids, torch.tensor(SPECIAL))].any()  # specials are never chosen
    assert torch.equal(out.input_ids[~chosen], ids[~chosen])
    assert (out.input_ids[out.corruption == REPLACED_BY_MASK] == MASK).all()
    assert torch.equal(out.input_ids[out.corruption == KEPT], ids[out.corruption == KEPT])
    random_tokens = out.input_ids[out.corruption == REPLACED_BY_RANDOM]
    assert not torch.isin(random_tokens, torch.tensor([*SPECIAL, MASK])).any()
    assert random_tokens.min() >= 0 and random_tokens.max() < VOCAB
    assert len(set(random_tokens.tolist())) > 100  # drawn across the vocabulary


def test_same_seed_same_masking_and_table_for_display():
    ids = list(range(4, 40))
    a = mask_tokens(ids, mask_token_id=MASK, vocab_size=VOCAB, generator=5)
    b = mask_tokens(ids, mask_token_id=MASK, vocab_size=VOCAB, generator=torch.Generator().manual_seed(5))
    assert torch.equal(a.input_ids, b.input_ids)
    vocabulary = {i: f"w{i}" for i in range(VOCAB)}
    vocabulary[MASK] = "[MASK]"
    table = a.table(vocabulary)
    assert list(table["carries loss"]) == a.chosen.tolist()
    assert table.loc[table["corruption"] == "mask", "model sees"].eq("[MASK]").all()
    assert a.counts()["chosen"] == int(a.chosen.sum())


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(ids=[]), "empty"),
        (dict(ids="a sentence"), "not text"),
        (dict(ids=[1.5, 2.0]), "integer token ids"),
        (dict(mask_rate=1.5), "mask_rate must be a fraction"),
        (dict(mask_rate=-0.1), "mask_rate must be a fraction"),
        (dict(replace_with_mask=0.9, replace_with_random=0.2), "more than 1"),
        (dict(mask_token_id=VOCAB), "outside the vocabulary"),
        (dict(ids=[5, VOCAB + 3]), "outside the vocabulary"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, message):
    arguments = dict(ids=[5, 6, 7], mask_token_id=MASK, vocab_size=VOCAB)
    arguments.update(kwargs)
    ids = arguments.pop("ids")
    with pytest.raises((ValueError, TypeError), match=message):
        mask_tokens(ids, **arguments)


def test_rate_zero_is_a_no_op_and_rate_one_chooses_every_ordinary_token():
    ids = [CLS, 10, 11, 12, SEP]
    nothing = mask_tokens(ids, mask_token_id=MASK, vocab_size=VOCAB, special_ids=SPECIAL, mask_rate=0.0)
    assert not nothing.chosen.any() and nothing.input_ids.tolist() == ids
    everything = mask_tokens(ids, mask_token_id=MASK, vocab_size=VOCAB, special_ids=SPECIAL, mask_rate=1.0)
    assert everything.chosen.tolist() == [False, True, True, True, False]


def _words(n_words=2000, seed=0):
    """Tokens with word ids: words of 1 to 3 pieces, [CLS] first and [SEP] last."""
    generator = torch.Generator().manual_seed(seed)
    pieces = torch.randint(1, 4, (n_words,), generator=generator).tolist()
    word_ids = [None] + [w for w, k in enumerate(pieces) for _ in range(k)] + [None]
    ids = [CLS] + torch.randint(4, VOCAB, (len(word_ids) - 2,), generator=generator).tolist() + [SEP]
    return ids, word_ids


def test_whole_word_masking_chooses_whole_words_up_to_the_budget():
    ids, word_ids = _words()
    out = whole_word_mask(ids, word_ids, mask_token_id=MASK, vocab_size=VOCAB, special_ids=SPECIAL, generator=3)
    chosen = out.chosen.tolist()
    by_word: dict[int, set[bool]] = {}
    for word, flag in zip(word_ids, chosen, strict=True):
        if word is not None:
            by_word.setdefault(word, set()).add(flag)
    assert all(len(flags) == 1 for flags in by_word.values())  # all pieces of a word, or none
    assert chosen[0] is False and chosen[-1] is False
    budget = round(0.15 * (len(ids) - 2))
    assert budget - 3 < sum(chosen) <= budget  # filled up to at most one short word below
    assert (out.labels[~out.chosen] == -100).all()


def test_whole_word_masking_needs_one_word_id_per_token():
    with pytest.raises(ValueError, match="word_ids has 2 entries but there are 3 tokens"):
        whole_word_mask([5, 6, 7], [0, 1], mask_token_id=MASK, vocab_size=VOCAB)


def test_span_lengths_follow_the_truncated_geometric_distribution():
    distribution = span_length_distribution(0.2, 10)
    lengths = torch.arange(1, 11, dtype=torch.float64)
    mean = float((lengths * distribution).sum())
    assert round(mean, 1) == 3.8  # the SpanBERT paper's mean span length
    sampled = []
    for seed in range(60):
        ids, word_ids = _words(400, seed)
        out = span_mask(ids, word_ids, mask_token_id=MASK, vocab_size=VOCAB, special_ids=SPECIAL, generator=seed)
        sampled += out.sampled_span_lengths
    sampled = torch.tensor(sampled, dtype=torch.float64)
    std = float(((lengths - mean) ** 2 * distribution).sum().sqrt())
    assert abs(float(sampled.mean()) - mean) <= 5 * std / math.sqrt(len(sampled))
    assert within_five_sigma(int((sampled == 1).sum()), len(sampled), float(distribution[0]))
    assert sampled.max() <= 10


def test_spans_are_contiguous_whole_words_and_fill_the_budget_exactly():
    ids, word_ids = _words(300, 7)
    ids[150] = SEP  # a special token inside: no span may cover it
    word_ids[150] = None
    out = span_mask(ids, word_ids, mask_token_id=MASK, vocab_size=VOCAB, special_ids=SPECIAL, generator=7)
    chosen = out.chosen
    maskable = sum(1 for i in ids if i not in SPECIAL)
    assert int(chosen.sum()) == math.ceil(0.15 * maskable)
    assert not chosen[[0, 150, len(ids) - 1]].any()
    for start, end in out.spans:
        assert chosen[start:end].all()
        # a whole span shares one corruption (the last word may be cut by the budget)
        assert len(set(out.corruption[start:end].tolist())) == 1
    covered = sum(end - start for start, end in out.spans)
    assert covered == int(chosen.sum())


def test_masked_examples_collate_into_a_padded_batch():
    a = span_mask([10, 11, 12, 13, 14, 15], mask_token_id=MASK, vocab_size=VOCAB, mask_rate=0.5, generator=0)
    b = whole_word_mask([20, 21], [0, 1], mask_token_id=MASK, vocab_size=VOCAB, mask_rate=0.5, generator=0)
    batch = collate_masked_examples([a, b], pad_id=PAD)
    assert batch["input_ids"].shape == (2, 6)
    assert batch["attention_mask"].tolist() == [[1] * 6, [1, 1, 0, 0, 0, 0]]
    assert batch["labels"][1, 2:].tolist() == [-100] * 4
    assert torch.equal(batch["labels"][0], a.labels) and torch.equal(batch["input_ids"][1, :2], b.input_ids)


def test_span_masking_scales_to_long_texts():
    ids = torch.randint(4, VOCAB, (50_000,), generator=torch.Generator().manual_seed(0))
    out = span_mask(ids, mask_token_id=MASK, vocab_size=VOCAB, generator=0)
    assert int(out.chosen.sum()) == 7_500  # 15% of 50,000, exactly
    short = span_mask(list(range(10, 110)), mask_token_id=MASK, vocab_size=VOCAB, generator=0)
    assert int(short.chosen.sum()) == 15  # not 16: 0.15 x 100 is 15.000000000000002 in floating point
