"""MaskingLab and AttentionMaskView: properties every objective and mask must have."""

from __future__ import annotations

import pytest
import torch

from lecturekit.widgets.attention_mask_view import (
    AttentionMaskView,
    attention_mask_html,
    attention_masks,
    sentence_tokens,
)
from lecturekit.widgets.masking_lab import (
    LabTokenizer,
    MaskingLab,
    masking_lab_examples,
    masking_lab_update,
)

SENTENCE = "Thank you for inviting me to your unbelievably noisy party last week."


@pytest.fixture(scope="module")
def lab():
    return LabTokenizer()


@pytest.fixture(scope="module")
def examples(lab):
    return masking_lab_examples(lab, SENTENCE, mask_rate=0.4, mean_span_length=2.0, seed=1)[0]


def test_the_sentence_is_tokenized_like_bert(lab):
    from transformers import BertTokenizerFast

    from lecturekit.bundled import minilm_dir

    reference = BertTokenizerFast.from_pretrained(str(minilm_dir()))
    ids = lab.tokenizer.encode(SENTENCE).ids
    assert ids == reference(SENTENCE)["input_ids"]  # no padding to 128, [CLS] ... [SEP]


def test_every_scheme_is_shown(examples):
    assert list(examples) == ["token masking", "whole-word masking", "span masking", "span corruption", "causal LM"]


@pytest.mark.parametrize("scheme", ["token masking", "whole-word masking", "span masking"])
def test_masked_schemes_change_only_positions_that_carry_loss(examples, scheme):
    example = examples[scheme]
    original = [t if t else i for i, t in zip(example.input, example.target, strict=True)]  # undo the masking
    assert original[0] == "[CLS]" and original[-1] == "[SEP]"
    assert not example.loss[0] and not example.loss[-1]
    assert any(example.loss)
    for seen, target, loss in zip(example.input, example.target, example.loss, strict=True):
        if not loss:
            assert target == "" and seen != "[MASK]"
    assert "[MASK]" in example.input


def test_whole_word_masking_keeps_pieces_of_a_word_together(lab):
    pieces = lab.tokenizer.encode(SENTENCE)
    words = pieces.word_ids
    for seed in range(8):
        example = masking_lab_examples(lab, SENTENCE, 0.4, 2.0, seed)[0]["whole-word masking"]
        for word in {w for w in words if w is not None}:
            flags = {example.loss[i] for i, w in enumerate(words) if w == word}
            assert len(flags) == 1, f"seed {seed}: word {word} partly masked"


def test_span_corruption_can_be_undone(examples):
    example = examples["span corruption"]
    assert not example.aligned and all(example.loss)
    # Put each sentinel's span back: the encoder input plus the target gives the sentence.
    spans, current = {}, None
    for token in example.target:
        if token.startswith("<") and token.endswith(">") and len(token) <= 4:
            current = token
            spans[current] = []
        else:
            spans[current].append(token)
    rebuilt = [piece for token in example.input for piece in spans.get(token, [token])]
    assert rebuilt == examples["causal LM"].input + examples["causal LM"].target[-1:]
    assert example.target[0] == "<X>"


def test_causal_lm_target_is_the_input_shifted_by_one(examples):
    example = examples["causal LM"]
    assert example.target[:-1] == example.input[1:] and all(example.loss)


def test_rate_zero_masks_nothing(lab):
    found = masking_lab_examples(lab, SENTENCE, 0.0, 3.0, 0)[0]
    for scheme in ("token masking", "whole-word masking", "span masking"):
        assert not any(found[scheme].loss)


def test_bad_input_gives_hints_and_messages(lab):
    assert "Type a sentence" in masking_lab_update(lab, "   ", 0.15, 3.0, 0)
    html = masking_lab_update(lab, "<script>alert(1)</script> <b>x</b>", 0.15, 3.0, 0)
    assert "<script" not in html and "<b>x" not in html and "&lt;" in html
    long = masking_lab_update(lab, "word " * 5_000, 0.15, 3.0, 0)
    assert "only the first 48 are shown" in long
    assert "mask_rate" in masking_lab_update(lab, SENTENCE, 1.5, 3.0, 0)
    one = masking_lab_examples(lab, "hi", 0.15, 3.0, 0)[0]  # one token: no T5 or GPT example
    assert "span corruption" not in one and "token masking" in one
    for text in ("🙂 emoji", "日本語", "tab\tand\x00null"):
        assert "lk-scheme" in masking_lab_update(lab, text, 0.15, 3.0, 0)


def test_lab_view_follows_its_sliders():
    view = MaskingLab(text=SENTENCE, mask_rate=0.0)
    assert "(0 positions carry loss)" in view.static_html()
    view.rate.value = 0.5
    assert "(0 positions carry loss)" not in view.static_html().split("span corruption")[0]


# ------------------------------------------------------- AttentionMaskView


def test_masks_have_the_lecture_shapes():
    masks = attention_masks(6, prefix_length=2)
    bidirectional, causal, prefix, cross = (m for m, _, _ in masks.values())
    assert bidirectional.all()
    assert torch.equal(causal, torch.tril(torch.ones(6, 6, dtype=torch.bool)))
    # The causal mask is the one PyTorch's attention applies with is_causal=True.
    q = k = torch.randn(1, 1, 6, 4)
    v = torch.eye(6)[None, None]
    weights_causal = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    weights_masked = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=causal)
    assert torch.allclose(weights_causal, weights_masked)
    assert prefix[:2, :2].all() and not prefix[:2, 2:].any() and prefix[2:, :2].all()
    assert cross.shape == (4, 2) and cross.all()


def test_mask_html_draws_one_blue_cell_per_allowed_pair():
    tokens = ["a", "<script>", "c", "d"]
    html = attention_mask_html(tokens, 2)
    total = sum(int(m.sum()) for m, _, _ in attention_masks(4, 2).values())
    assert html.count("#4c78a8") == total
    assert "<script" not in html and "&lt;script&gt;" in html


def test_attention_view_hint_truncation_and_prefix():
    view = AttentionMaskView(text="  ")
    assert "Type a sentence" in view.static_html()
    view.text.value = "word " * 100
    assert "the first 24 are shown" in view.static_html()
    view.text.value = "one two three"
    assert view.prefix.max == 3
    view.prefix.value = 1
    assert "prefix LM (prefix = 1)" in view.static_html()
    tokens, _ = sentence_tokens(view.lab.tokenizer, "Hello, world!")
    assert tokens == ["hello", ",", "world", "!"]


@pytest.mark.parametrize("seed", [99999999999999999999, -1])
def test_a_seed_torch_cannot_hold_gets_a_message_not_a_traceback(lab, seed):
    html = masking_lab_update(lab, SENTENCE, 0.15, 3.0, seed)
    assert "lk-message" in html and "a seed must be a whole number from 0" in html
    assert "Overflow" not in html
