"""Parameter counts and the FLOPs-per-token estimate, against real references."""

from __future__ import annotations

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from lecturekit.models import (
    LectureBERT,
    LectureGPT,
    LectureT5,
    TransformerConfig,
    count_parameters,
    flops_per_token,
)
from lecturekit.models.budget import model_on_meta


def test_gpt2_small_configuration_has_gpt2_small_parameter_count():
    # The released GPT-2 small ("gpt2" on the Hugging Face hub) has 124,439,808 parameters.
    config = TransformerConfig.gpt_like(50257, max_positions=1024, d_model=768, n_heads=12, n_layers=12, d_ff=3072)
    assert count_parameters(model_on_meta(LectureGPT, config)) == 124_439_808


def test_bert_counts_equal_hugging_face_counts():
    config = TransformerConfig.bert_like(1000, d_model=64, n_heads=4, n_layers=3, d_ff=256, max_positions=64,
                                         next_sentence_head=True)
    model = LectureBERT(config)
    assert count_parameters(model) == model.to_hf(with_next_sentence_head=True).num_parameters()
    gpt = LectureGPT(TransformerConfig.gpt_like(1000, d_model=64, n_heads=4, n_layers=3, d_ff=256))
    assert count_parameters(gpt) == gpt.to_hf().num_parameters()


def test_trainable_only_skips_frozen_parameters():
    model = LectureGPT(TransformerConfig.gpt_like(100, d_model=16, n_heads=2, n_layers=1, d_ff=32))
    model.embeddings.token.weight.requires_grad_(False)
    assert count_parameters(model, trainable_only=True) == count_parameters(model) - 100 * 16


@pytest.mark.parametrize("model_class", [LectureGPT, LectureBERT, LectureT5])
def test_flops_estimate_matches_measured_matrix_multiplies(model_class):
    """6·N + attention term against PyTorch's FLOP counter on a forward + backward pass.

    ``output_attentions=True`` runs attention as explicit matrix products, which the
    counter can see (the fused kernel is invisible to it on the CPU). Biases, norms
    and softmax are not matrix multiplies; they are what the small gap is made of.
    """
    config = TransformerConfig(vocab_size=500, d_model=64, n_heads=4, n_layers=2, d_ff=256, max_positions=64,
                               dropout=0.0, attention_dropout=0.0)
    model = model_class(config)
    batch, n = 2, 64
    ids = torch.randint(500, (batch, n))
    with FlopCounterMode(display=False) as counter:
        if model_class is LectureT5:
            out = model(ids, decoder_input_ids=ids, output_attentions=True)
        else:
            out = model(ids, output_attentions=True)
        out.logits.sum().backward()
    tokens = batch * n  # for T5: pairs of (encoder token, decoder token)
    measured = counter.get_total_flops() / tokens
    estimate = flops_per_token(model, n).total
    assert abs(estimate - measured) / measured < 0.03


def test_flops_terms_follow_the_formula():
    model = LectureGPT(TransformerConfig.gpt_like(100, d_model=32, n_heads=2, n_layers=3, d_ff=64))
    estimate = flops_per_token(model, 50)
    assert estimate.dense == 6 * estimate.n_params
    assert estimate.attention == 12 * 3 * 50 * 32
    assert flops_per_token(model, 50, training=False).total * 3 == estimate.total
    with pytest.raises(ValueError, match="context_length"):
        flops_per_token(model, 0)
