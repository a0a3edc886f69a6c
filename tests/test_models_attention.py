"""Attention masks: what they allow, and that the models obey them."""

from __future__ import annotations

import pytest
import torch

from lecturekit.models import (
    LectureBERT,
    LectureGPT,
    LectureT5,
    TransformerConfig,
    bidirectional_mask,
    causal_mask,
    cross_attention_mask,
    prefix_lm_mask,
)
from lecturekit.models.attention import (
    MultiHeadAttention,
    choose_mask,
    combine_with_padding,
    prefix_lm_masks,
)

SMALL = dict(vocab_size=50, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_positions=16, dropout=0.0,
             attention_dropout=0.0)


def test_masks_have_the_textbook_shapes():
    assert bidirectional_mask(3).all() and bidirectional_mask(3).shape == (3, 3)
    assert causal_mask(3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    # prefix of 2: positions 0 and 1 see each other; 2 and 3 see the prefix and their past
    assert prefix_lm_mask(4, 2).int().tolist() == [[1, 1, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]
    assert torch.equal(prefix_lm_mask(5, 0), causal_mask(5))
    assert torch.equal(prefix_lm_mask(5, 5), bidirectional_mask(5))
    assert cross_attention_mask(2, 5).shape == (2, 5) and cross_attention_mask(2, 5).all()
    assert all(m.dtype == torch.bool for m in (bidirectional_mask(2), causal_mask(2), prefix_lm_mask(2, 1)))


def test_mask_functions_reject_bad_sizes():
    with pytest.raises(ValueError, match="longer than the sequence"):
        prefix_lm_mask(3, 4)
    with pytest.raises(ValueError, match="non-negative"):
        causal_mask(-1)
    with pytest.raises(ValueError, match="non-negative"):
        cross_attention_mask(2, 1.5)


def test_batched_prefix_masks_equal_the_single_ones():
    lengths = torch.tensor([0, 2, 5])
    batch = prefix_lm_masks(lengths, 5)
    for row, length in enumerate(lengths.tolist()):
        assert torch.equal(batch[row], prefix_lm_mask(5, length))


def test_padding_hides_keys_and_never_leaves_a_row_empty():
    padding = torch.tensor([[0, 1, 1]])  # left padding
    full = combine_with_padding(causal_mask(3), padding, 3)[0, 0]
    assert full.tolist() == [[True, False, False], [False, True, False], [False, True, True]]


def test_choose_mask_builds_the_textbook_masks_plus_padding():
    # No padding: no mask at all, so the fused kernels take their fast path.
    no_padding = torch.ones(2, 4, dtype=torch.long)
    for attention_mask in (None, no_padding):
        assert choose_mask(4, attention_mask) == (None, False)
        assert choose_mask(4, attention_mask, causal=True) == (None, True)
    padding = torch.tensor([[1, 1, 1, 0], [0, 1, 1, 1]])
    keys = padding.bool()[:, None, :]  # (batch, 1, n_k): nobody reads padding
    mask, is_causal = choose_mask(4, padding)
    assert not is_causal and torch.equal(mask[:, 0], keys.expand(2, 4, 4))
    mask, is_causal = choose_mask(4, padding, causal=True)
    assert not is_causal and torch.equal(mask[:, 0], combine_with_padding(causal_mask(4), padding, 4)[:, 0])
    assert torch.equal(mask[0, 0], causal_mask(4) & keys[0])  # right padding: a row never reads padding
    # Prefix LM: each row gets its own prefix, with or without padding.
    lengths = torch.tensor([1, 3])
    mask, is_causal = choose_mask(4, None, causal=True, prefix_lengths=lengths)
    assert not is_causal and all(torch.equal(mask[i, 0], prefix_lm_mask(4, int(n))) for i, n in enumerate(lengths))
    mask, _ = choose_mask(4, padding, causal=True, prefix_lengths=lengths)
    assert torch.equal(mask[0, 0], prefix_lm_mask(4, 1) & keys[0])
    # Cross-attention: 3 decoder queries read every real encoder key.
    mask, is_causal = choose_mask(3, padding)
    assert not is_causal and mask.shape == (2, 1, 3, 4) and torch.equal(mask[:, 0], keys.expand(2, 3, 4))


def test_fast_paths_equal_the_explicit_computation():
    torch.manual_seed(0)
    attention = MultiHeadAttention(TransformerConfig(**SMALL)).eval()
    x = torch.randn(2, 7, 32)
    fused_causal, _ = attention(x, is_causal=True)
    explicit, weights = attention(x, mask=causal_mask(7), return_weights=True)
    assert torch.allclose(fused_causal, explicit, atol=1e-5)
    assert torch.allclose(attention(x, mask=causal_mask(7))[0], explicit, atol=1e-5)
    # the probabilities shown in a notebook: rows sum to one, nothing above the diagonal
    assert torch.allclose(weights.sum(-1), torch.ones(2, 4, 7), atol=1e-5)
    assert (weights[..., ~causal_mask(7)] == 0).all()


def test_gpt_is_causal_future_tokens_change_nothing_before_them():
    torch.manual_seed(1)
    model = LectureGPT(TransformerConfig.gpt_like(**SMALL)).eval()
    ids = torch.randint(50, (1, 10))
    changed = ids.clone()
    changed[0, 6:] = (changed[0, 6:] + 1) % 50
    with torch.no_grad():
        a, b = model(ids).logits, model(changed).logits
    assert torch.allclose(a[0, :6], b[0, :6], atol=1e-6)
    assert not torch.allclose(a[0, 6:], b[0, 6:], atol=1e-3)


def test_bert_is_bidirectional_a_late_token_changes_early_positions():
    torch.manual_seed(2)
    model = LectureBERT(TransformerConfig.bert_like(**SMALL)).eval()
    ids = torch.randint(50, (1, 10))
    changed = ids.clone()
    changed[0, 9] = (changed[0, 9] + 1) % 50
    with torch.no_grad():
        assert not torch.allclose(model(ids).logits[0, 0], model(changed).logits[0, 0], atol=1e-4)


def test_padding_does_not_change_real_positions():
    torch.manual_seed(3)
    model = LectureBERT(TransformerConfig.bert_like(**SMALL)).eval()
    ids = torch.randint(1, 50, (1, 6))
    padded = torch.cat([ids, torch.zeros(1, 4, dtype=torch.long)], dim=1)
    mask = torch.cat([torch.ones(1, 6), torch.zeros(1, 4)], dim=1).long()
    with torch.no_grad():
        assert torch.allclose(model(ids).logits, model(padded, mask).logits[:, :6], atol=1e-5)


def test_gpt_prefix_lm_mask_is_bidirectional_inside_the_prefix_only():
    torch.manual_seed(4)
    model = LectureGPT(TransformerConfig.gpt_like(**SMALL)).eval()
    ids = torch.randint(50, (1, 8))
    change_in_prefix, change_after = ids.clone(), ids.clone()
    change_in_prefix[0, 3] = (ids[0, 3] + 1) % 50
    change_after[0, 5] = (ids[0, 5] + 1) % 50
    prefix = torch.tensor([4])
    with torch.no_grad():
        base = model(ids, prefix_lengths=prefix).logits
        in_prefix = model(change_in_prefix, prefix_lengths=prefix).logits
        after = model(change_after, prefix_lengths=prefix).logits
    assert not torch.allclose(base[0, 0], in_prefix[0, 0], atol=1e-4)  # position 0 reads position 3
    assert torch.allclose(base[0, :5], after[0, :5], atol=1e-6)  # nobody before 5 reads 5
    with pytest.raises(ValueError, match="prefix_lengths must lie"):
        model(ids, prefix_lengths=torch.tensor([9]))


def test_attention_weights_are_returned_per_layer_and_obey_the_masks():
    torch.manual_seed(5)
    t5 = LectureT5(TransformerConfig.t5_like(**SMALL)).eval()
    source = torch.randint(50, (2, 6))
    source_mask = torch.tensor([[1] * 6, [1] * 4 + [0] * 2])
    target = torch.randint(50, (2, 5))
    out = t5(source, source_mask, decoder_input_ids=target, output_attentions=True, output_hidden_states=True)
    assert len(out.attentions) == len(out.cross_attentions) == len(out.encoder_attentions) == 2
    assert (out.attentions[0][..., ~causal_mask(5)] == 0).all()
    assert (out.cross_attentions[1][1, :, :, 4:] == 0).all()  # padding in the encoder is never read
    assert out.cross_attentions[0].shape == (2, 4, 5, 6)
    assert len(out.encoder_hidden_states) == len(out.hidden_states) == 3
