"""Our masking and span corruption against the references that define them.

- ``mask_tokens`` against transformers' ``DataCollatorForLanguageModeling`` (BERT's
  15% and 80/10/10): exactly, once both are given the same chosen positions, and
  by a two-sample test of their random choices over many tokens.
- ``whole_word_mask`` against the same collator with ``whole_word_mask=True``
  (transformers 5 folded ``DataCollatorForWholeWordMask`` into it): both must
  find the same words, and mask each word entirely or not at all. The two choose
  words differently (Google's BERT code, which we follow, fills a budget of
  round(rate x tokens); the collator draws each word with probability rate), so
  only the rates 0 and 1 give identical outputs.
- ``random_spans_noise_mask`` and ``span_corruption`` against T5's own procedure
  (``random_spans_noise_mask``, ``noise_span_to_unique_sentinel`` and
  ``nonnoise_span_to_unique_sentinel`` in T5's ``preprocessors.py``), written out
  below step by step from the paper's code.

Statistical checks reject at p < 1e-6 (about five standard deviations): a correct
implementation fails with probability below one in a million, and each test shows
on a deliberately wrong setting that the check can tell.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lecturekit.objectives import (
    mask_tokens,
    random_spans_noise_mask,
    span_corruption,
    whole_word_mask,
)
from lecturekit.objectives.masked_lm import KEPT, REPLACED_BY_MASK, REPLACED_BY_RANDOM
from lecturekit.objectives.span_corruption import mask_to_spans

transformers = pytest.importorskip("transformers")
chi2_contingency = pytest.importorskip("scipy.stats").chi2_contingency

P_VALUE = 1e-6


@pytest.fixture(scope="module")
def tokenizer():
    from lecturekit.bundled import minilm_dir

    return transformers.BertTokenizerFast.from_pretrained(str(minilm_dir()))  # bert-base-uncased's vocabulary


def _collator(tokenizer, **settings):
    return transformers.DataCollatorForLanguageModeling(tokenizer, **settings)


def _rows(tokenizer, rows: int, length: int, seed: int = 0) -> torch.Tensor:
    """[CLS] word pieces [SEP] [PAD] [PAD] ...: a padded batch with real special tokens."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, len(tokenizer), (rows, length), generator=generator)  # ordinary pieces
    ids[:, 0] = tokenizer.cls_token_id
    ids[:, length - 9] = tokenizer.sep_token_id
    ids[:, length - 8:] = tokenizer.pad_token_id
    return ids


def _ours(tokenizer, ids, **settings):
    return mask_tokens(ids, mask_token_id=tokenizer.mask_token_id, vocab_size=len(tokenizer),
                       special_ids=tokenizer.all_special_ids, **settings)


# ------------------------------------------------------------ BERT masking


@pytest.mark.parametrize("seed", range(5))
def test_same_chosen_tokens_give_hugging_faces_labels_and_inputs(tokenizer, seed):
    ids = _rows(tokenizer, 8, 40, seed)
    for replace_with_mask, replace_with_random in ((1.0, 0.0), (0.8, 0.1)):
        ours = _ours(tokenizer, ids, replace_with_mask=replace_with_mask, replace_with_random=replace_with_random,
                     generator=seed)
        # The collator chooses each position its special-tokens mask leaves open with
        # probability mlm_probability: at 1.0, and open exactly where we chose, it
        # chooses our positions.
        collator = _collator(tokenizer, mlm_probability=1.0, mask_replace_prob=replace_with_mask,
                             random_replace_prob=replace_with_random)
        inputs, labels = collator.torch_mask_tokens(ids.clone(), special_tokens_mask=~ours.chosen)
        assert torch.equal(ours.labels, labels)  # the original id where chosen, -100 everywhere else
        assert torch.equal(ours.input_ids[~ours.chosen], inputs[~ours.chosen])  # the rest untouched
        if replace_with_mask == 1.0:  # nothing left to chance: identical inputs
            assert torch.equal(ours.input_ids, inputs)


def test_rate_one_and_rate_zero_equal_hugging_face_exactly(tokenizer):
    ids = _rows(tokenizer, 4, 30)
    for rate in (0.0, 1.0):
        ours = _ours(tokenizer, ids, mask_rate=rate, replace_with_mask=1.0, replace_with_random=0.0, generator=0)
        collator = _collator(tokenizer, mlm_probability=rate, mask_replace_prob=1.0, random_replace_prob=0.0, seed=0)
        theirs = collator([row.tolist() for row in ids])  # the collator finds the special tokens itself
        assert torch.equal(ours.input_ids, theirs["input_ids"]) and torch.equal(ours.labels, theirs["labels"])


def _categories(original: torch.Tensor, inputs: torch.Tensor, labels: torch.Tensor, mask_id: int) -> list[int]:
    """[not chosen, [MASK], random, kept] among the ordinary tokens, read off the outputs alone."""
    chosen = labels != -100
    masked = chosen & (inputs == mask_id)
    replaced = chosen & (inputs != mask_id) & (inputs != original)
    kept = chosen & (inputs == original)
    return [int(x.sum()) for x in (~chosen, masked, replaced, kept)]


def _same_distribution(a: list[int], b: list[int]) -> bool:
    return chi2_contingency(np.array([a, b])).pvalue > P_VALUE


@pytest.mark.parametrize("mask_rate,replace_with_mask,replace_with_random", [(0.15, 0.8, 0.1), (0.4, 0.5, 0.3)])
def test_choices_and_80_10_10_split_are_distributed_like_hugging_faces(tokenizer, mask_rate, replace_with_mask,
                                                                      replace_with_random):
    ids = _rows(tokenizer, 400, 136)  # 51,200 ordinary tokens
    ordinary = ~torch.isin(ids, torch.tensor(tokenizer.all_special_ids))
    collator = _collator(tokenizer, mlm_probability=mask_rate, mask_replace_prob=replace_with_mask,
                         random_replace_prob=replace_with_random, seed=1)
    theirs = collator([row.tolist() for row in ids])
    assert (theirs["labels"][~ordinary] == -100).all()  # neither ever chooses a special token

    def ours(**settings) -> list[int]:
        example = _ours(tokenizer, ids, generator=2, **{"mask_rate": mask_rate, "replace_with_mask": replace_with_mask,
                                                        "replace_with_random": replace_with_random, **settings})
        assert not example.chosen[~ordinary].any()
        # the categories read as the collator's are read, and as our own record says
        counts = _categories(ids[ordinary], example.input_ids[ordinary], example.labels[ordinary],
                             tokenizer.mask_token_id)
        corruption = example.corruption[ordinary]
        assert counts[1:] == [int((corruption == c).sum()) for c in (REPLACED_BY_MASK, REPLACED_BY_RANDOM, KEPT)]
        return counts

    reference = _categories(ids[ordinary], theirs["input_ids"][ordinary], theirs["labels"][ordinary],
                            tokenizer.mask_token_id)
    counts = ours()
    assert _same_distribution(counts[:1] + [sum(counts[1:])], reference[:1] + [sum(reference[1:])])  # chosen share
    assert _same_distribution(counts[1:], reference[1:])  # the split of the chosen ones
    # The checks can tell a rate or a split that is a little off.
    wrong_rate = ours(mask_rate=mask_rate - 0.02)
    assert not _same_distribution(wrong_rate[:1] + [sum(wrong_rate[1:])], reference[:1] + [sum(reference[1:])])
    wrong_split = ours(replace_with_mask=replace_with_mask - 0.05, replace_with_random=replace_with_random + 0.05)
    assert not _same_distribution(wrong_split[1:], reference[1:])


# ------------------------------------------------------- whole-word masking

# Multi-piece words and no punctuation: here the collator's words (runs of tokens
# with no gap between their characters) are the tokenizer's words (word_ids). They
# part at punctuation: "week." is one word to the collator, two to BERT's
# pre-tokenizer, whose split we follow.
WORD_SENTENCE = "the unbelievably noisy partygoers celebrated tokenization at dawn with antidisestablishmentarianism"
DRAWS = 300


def _partition(masked: torch.Tensor, special: torch.Tensor) -> set[tuple[int, ...]]:
    """Positions grouped by their masked / not masked history over many draws (rows).

    Two tokens of one word share every draw; two different words, each masked about
    half the time, part within a few draws (all 300 alike: probability 2^-300).
    """
    history: dict[tuple[bool, ...], list[int]] = {}
    for position in range(masked.shape[1]):
        if not special[position]:
            history.setdefault(tuple(masked[:, position].tolist()), []).append(position)
    return {tuple(group) for group in history.values()}


def test_whole_words_are_the_collators_words_and_are_masked_together(tokenizer):
    encoding = tokenizer(WORD_SENTENCE, return_offsets_mapping=True, return_special_tokens_mask=True)
    special = torch.tensor(encoding["special_tokens_mask"], dtype=torch.bool)
    collator = _collator(tokenizer, whole_word_mask=True, mlm_probability=0.5, mask_replace_prob=1.0,
                         random_replace_prob=0.0, seed=0)
    fields = ("input_ids", "offset_mapping", "special_tokens_mask")
    theirs = collator([{key: encoding[key] for key in fields}] * DRAWS)["labels"] != -100
    ours = torch.stack([
        whole_word_mask(encoding["input_ids"], encoding.word_ids(), mask_token_id=tokenizer.mask_token_id,
                        vocab_size=len(tokenizer), special_ids=tokenizer.all_special_ids, mask_rate=0.5,
                        generator=seed).chosen
        for seed in range(DRAWS)
    ])
    words = _partition(theirs, special)
    assert len(words) == len(WORD_SENTENCE.split()) < int((~special).sum())  # some words are several pieces
    assert _partition(ours, special) == words
    assert not ours[:, special].any() and not theirs[:, special].any()


def test_whole_word_masking_at_rate_zero_and_one_equals_the_collator(tokenizer):
    encoding = tokenizer(WORD_SENTENCE, return_offsets_mapping=True, return_special_tokens_mask=True)
    fields = ("input_ids", "offset_mapping", "special_tokens_mask")
    for rate in (0.0, 1.0):
        collator = _collator(tokenizer, whole_word_mask=True, mlm_probability=rate, mask_replace_prob=1.0,
                             random_replace_prob=0.0, seed=0)
        theirs = collator([{key: encoding[key] for key in fields}])
        ours = whole_word_mask(encoding["input_ids"], encoding.word_ids(), mask_token_id=tokenizer.mask_token_id,
                               vocab_size=len(tokenizer), special_ids=tokenizer.all_special_ids, mask_rate=rate,
                               replace_with_mask=1.0, replace_with_random=0.0, generator=0)
        assert torch.equal(ours.input_ids, theirs["input_ids"][0]) and torch.equal(ours.labels, theirs["labels"][0])


# ------------------------------------------------------------ T5 span corruption


def t5_random_spans_noise_mask(length, noise_density, mean_noise_span_length, shuffle):
    """T5's ``random_spans_noise_mask`` (Raffel et al. 2020), one step per line of the original.

    T5 computes in float32 and rounds half to even (tf.round, like np.round). Its
    shuffle is TensorFlow's; ``shuffle(flags)`` stands for it here, so that a test
    can hand both implementations the same random permutations.
    """
    num_noise_tokens = int(np.round(np.float32(length) * np.float32(noise_density)))
    num_noise_tokens = min(max(num_noise_tokens, 1), length - 1)  # at least one noise and one kept token
    num_noise_spans = max(int(np.round(np.float32(num_noise_tokens) / np.float32(mean_noise_span_length))), 1)
    num_nonnoise_tokens = length - num_noise_tokens

    def random_segmentation(num_items, num_segments):
        # Mark num_segments - 1 of the items after the first as "a new segment starts here".
        first_in_segment = np.concatenate([[0], shuffle(np.arange(num_items - 1) < num_segments - 1)])
        segment_id = np.cumsum(first_in_segment)
        return np.bincount(segment_id, minlength=num_segments)  # segment_sum of ones: the lengths

    noise_span_lengths = random_segmentation(num_noise_tokens, num_noise_spans)
    nonnoise_span_lengths = random_segmentation(num_nonnoise_tokens, num_noise_spans)
    interleaved_span_lengths = np.stack([nonnoise_span_lengths, noise_span_lengths], axis=1).reshape(-1)
    span_starts = np.cumsum(interleaved_span_lengths)[:-1]
    span_start_indicator = np.zeros(length, dtype=int)
    span_start_indicator[span_starts] = 1
    span_num = np.cumsum(span_start_indicator)
    return span_num % 2 == 1


def noise_span_to_unique_sentinel(tokens, noise_mask, sentinels):
    """T5's: each noise span becomes one sentinel. (T5 counts its sentinel ids down
    from the end of the vocabulary; sentinel k here is ``sentinels[k]``.)"""
    previous_is_noise = np.concatenate([[False], noise_mask[:-1]])
    first_noise = noise_mask & ~previous_is_noise
    subsequent_noise = noise_mask & previous_is_noise
    span_index = np.cumsum(first_noise) - 1
    tokens = np.where(first_noise, np.array(sentinels)[np.maximum(span_index, 0)], tokens)
    return tokens[~subsequent_noise].tolist()


def nonnoise_span_to_unique_sentinel(tokens, noise_mask, sentinels):
    return noise_span_to_unique_sentinel(tokens, ~noise_mask, sentinels)


def _scatter_shuffle(generator):
    """A shuffle that sends item i to place perm[i], perm from torch.randperm(generator)."""
    def shuffle(flags):
        permutation = torch.randperm(len(flags), generator=generator).numpy()
        shuffled = np.zeros_like(flags)
        shuffled[permutation] = flags
        return shuffled
    return shuffle


# (noise_density, mean_span_length) settings, with lengths where both implementations
# are defined: ours refuses (rather than merge spans) when there are fewer kept tokens
# than noise spans, where T5's would return fewer spans than it planned.
SETTINGS = [(0.15, 3.0), (0.4, 3.0), (0.1, 2.0), (0.25, 1.0), (0.5, 5.0), (0.05, 3.0)]
# Lengths where float32 (T5) and float64 (ours) round length x density differently;
# see test_float32_rounding_differs_from_t5_at_a_few_lengths.
FLOAT32_DIFFERENCES = {(190, 0.15), (350, 0.15), (390, 0.15)}  # the only ones up to 512 tokens


def _defined(length, noise_density, mean_span_length) -> bool:
    noise = min(max(round(length * noise_density), 1), length - 1)
    return max(round(noise / mean_span_length), 1) <= length - noise


@pytest.mark.parametrize("noise_density,mean_span_length", SETTINGS)
def test_noise_mask_is_t5s_mask_given_the_same_permutations(noise_density, mean_span_length):
    checked = 0
    for length in range(2, 300):
        if (length, noise_density) in FLOAT32_DIFFERENCES or not _defined(length, noise_density, mean_span_length):
            continue
        for seed in range(3):
            ours = random_spans_noise_mask(length, noise_density, mean_span_length, generator=seed)
            reference = t5_random_spans_noise_mask(length, noise_density, mean_span_length,
                                                   _scatter_shuffle(torch.Generator().manual_seed(seed)))
            assert ours.tolist() == reference.tolist(), (length, seed)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize("noise_density,mean_span_length", SETTINGS)
def test_noise_mask_has_t5s_counts_whatever_the_shuffle(noise_density, mean_span_length):
    # Counts and layout do not depend on how the random permutation is drawn: compare
    # with T5's procedure under NumPy's own shuffle.
    rng = np.random.default_rng(0)
    for length in (2, 3, 7, 20, 64, 128, 200, 512):
        if (length, noise_density) in FLOAT32_DIFFERENCES or not _defined(length, noise_density, mean_span_length):
            continue
        reference = t5_random_spans_noise_mask(length, noise_density, mean_span_length, rng.permutation)
        ours = random_spans_noise_mask(length, noise_density, mean_span_length, generator=length).numpy()
        assert ours.sum() == reference.sum()  # as many noise tokens
        ours_spans, reference_spans = mask_to_spans(torch.from_numpy(ours)), mask_to_spans(torch.from_numpy(reference))
        assert len(ours_spans) == len(reference_spans)  # in as many spans
        assert not ours[0] and ours[-1] and not reference[0] and reference[-1]  # kept first, noise last


@pytest.mark.parametrize("seed", range(10))
def test_span_corruption_inputs_and_targets_are_t5s(seed):
    ids = list(range(1000, 1000 + 40 + 7 * seed))
    sentinels = list(range(100, 200))
    ours = span_corruption(ids, sentinels, noise_density=0.15, generator=seed)
    mask = t5_random_spans_noise_mask(len(ids), 0.15, 3.0, _scatter_shuffle(torch.Generator().manual_seed(seed)))
    assert ours.input_ids == noise_span_to_unique_sentinel(np.array(ids), mask, sentinels)
    # T5's target ends with the last noise span (its layout always ends on noise);
    # ours closes it with one more sentinel, as the paper's example shows.
    assert ours.target_ids[:-1] == nonnoise_span_to_unique_sentinel(np.array(ids), mask, sentinels)
    assert ours.target_ids[-1] == sentinels[len(ours.spans)]


@pytest.mark.xfail(strict=True, reason="T5 multiplies in float32: 190 x 0.15 is 28.500001 there, 28.5 for us; "
                                       "rounding half to even, T5 hides 29 tokens and we hide 28")
def test_float32_rounding_differs_from_t5_at_a_few_lengths():
    for length, noise_density in sorted(FLOAT32_DIFFERENCES):
        reference = t5_random_spans_noise_mask(length, noise_density, 3.0, np.random.default_rng(0).permutation)
        assert int(random_spans_noise_mask(length, noise_density, generator=0).sum()) == int(reference.sum())
