"""The from-scratch models give the same numbers as Hugging Face's BERT and GPT-2.

Each test builds a random lecture model, exports it with ``to_hf()`` and compares
logits (and hidden states, attention probabilities, losses) on random inputs in
eval mode: max |difference| <= 1e-4.
"""

from __future__ import annotations

import pytest
import torch

from lecturekit.models import LectureBERT, LectureGPT, TransformerConfig

TOLERANCE = 1e-4

BERT_CONFIGS = {
    "tiny-2-segments": dict(vocab_size=97, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_positions=24),
    "wider-1-layer": dict(vocab_size=211, d_model=96, n_heads=3, n_layers=1, d_ff=160, max_positions=40),
    "no-segments-relu": dict(vocab_size=64, d_model=48, n_heads=6, n_layers=3, d_ff=96, max_positions=20,
                             type_vocab_size=0, activation="relu"),
}
GPT_CONFIGS = {
    "tiny": dict(vocab_size=97, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_positions=24),
    "wider-3-layers": dict(vocab_size=151, d_model=96, n_heads=8, n_layers=3, d_ff=256, max_positions=40),
    "exact-gelu": dict(vocab_size=50, d_model=40, n_heads=5, n_layers=1, d_ff=80, max_positions=16,
                       activation="gelu"),
}


def _random_batch(vocab_size: int, max_positions: int, seed: int, pad: str | None):
    generator = torch.Generator().manual_seed(seed)
    n = max_positions - 3
    ids = torch.randint(vocab_size, (3, n), generator=generator)
    attention_mask = torch.ones(3, n, dtype=torch.long)
    if pad == "right":
        attention_mask[1, n - 5:] = 0
        attention_mask[2, n - 2:] = 0
    elif pad == "left":
        attention_mask[1, :4] = 0
        attention_mask[2, :1] = 0
    return ids, attention_mask


def _randomise_norms(model: torch.nn.Module, seed: int) -> None:
    """Fresh models have unit norms and zero biases; random ones test the mapping harder."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "norm" in name or name.endswith("bias"):
                parameter.copy_(1.0 * (name.endswith("weight")) + 0.1 * torch.randn(parameter.shape, generator=generator))


@pytest.mark.parametrize("name", list(BERT_CONFIGS))
@pytest.mark.parametrize("pad", [None, "right"])
def test_bert_logits_match_hugging_face(name, pad):
    torch.manual_seed(0)
    config = TransformerConfig.bert_like(**BERT_CONFIGS[name])
    model = LectureBERT(config).eval()
    _randomise_norms(model, 1)
    hf_model = model.to_hf().eval()
    ids, attention_mask = _random_batch(config.vocab_size, config.max_positions, 2, pad)
    token_type_ids = None  # without padding: the default "all segment A" path
    if config.type_vocab_size and pad:
        token_type_ids = torch.zeros_like(ids)
        token_type_ids[:, ids.shape[1] // 2:] = 1  # sentence B
    with torch.no_grad():
        ours = model(ids, attention_mask, token_type_ids, output_hidden_states=True)
        theirs = hf_model(input_ids=ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                          output_hidden_states=True)
    assert (ours.logits - theirs.logits).abs().max() <= TOLERANCE
    assert len(ours.hidden_states) == len(theirs.hidden_states) == config.n_layers + 1
    for mine, reference in zip(ours.hidden_states, theirs.hidden_states, strict=True):
        assert (mine - reference).abs().max() <= TOLERANCE


def test_bert_next_sentence_head_matches_bert_for_pretraining():
    torch.manual_seed(3)
    config = TransformerConfig.bert_like(**BERT_CONFIGS["tiny-2-segments"], next_sentence_head=True)
    model = LectureBERT(config).eval()
    _randomise_norms(model, 4)
    hf_model = model.to_hf(with_next_sentence_head=True).eval()
    ids, attention_mask = _random_batch(config.vocab_size, config.max_positions, 5, "right")
    token_type_ids = (torch.arange(ids.shape[1]) >= 8).long().expand_as(ids)
    masked_labels = torch.full_like(ids, -100)
    masked_labels[:, 3] = ids[:, 3]
    nsp_labels = torch.tensor([0, 1, 0])
    with torch.no_grad():
        ours = model(ids, attention_mask, token_type_ids, labels=masked_labels, next_sentence_label=nsp_labels)
        theirs = hf_model(input_ids=ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                          labels=masked_labels, next_sentence_label=nsp_labels)
    assert (ours.logits - theirs.prediction_logits).abs().max() <= TOLERANCE
    assert (ours.nsp_logits - theirs.seq_relationship_logits).abs().max() <= TOLERANCE
    assert abs(ours.loss.item() - theirs.loss.item()) <= TOLERANCE  # MLM + NSP, same sum


@pytest.mark.parametrize("name", list(GPT_CONFIGS))
@pytest.mark.parametrize("pad", [None, "right", "left"])
def test_gpt_logits_match_hugging_face(name, pad):
    torch.manual_seed(0)
    config = TransformerConfig.gpt_like(**GPT_CONFIGS[name])
    model = LectureGPT(config).eval()
    _randomise_norms(model, 1)
    hf_model = model.to_hf().eval()
    ids, attention_mask = _random_batch(config.vocab_size, config.max_positions, 2, pad)
    with torch.no_grad():
        ours = model(ids, attention_mask, output_hidden_states=True)
        theirs = hf_model(input_ids=ids, attention_mask=attention_mask, output_hidden_states=True)
    real = attention_mask.bool()  # what a padding position outputs is meaningless in both
    assert (ours.logits - theirs.logits)[real].abs().max() <= TOLERANCE
    assert len(ours.hidden_states) == len(theirs.hidden_states) == config.n_layers + 1
    for mine, reference in zip(ours.hidden_states, theirs.hidden_states, strict=True):
        assert (mine - reference)[real].abs().max() <= TOLERANCE
    assert torch.isfinite(ours.logits).all()  # left padding must not produce NaN


@pytest.mark.parametrize("kind,pad", [("bert", "right"), ("gpt", "left"), ("gpt", None)])
def test_attention_probabilities_match_hugging_face(kind, pad):
    # output_attentions=True takes the written-out softmax(QK^T / sqrt(d)) path the
    # notebooks show; Hugging Face's "eager" attention is the same computation.
    torch.manual_seed(9)
    if kind == "bert":
        config = TransformerConfig.bert_like(**BERT_CONFIGS["tiny-2-segments"])
        model = LectureBERT(config).eval()
    else:
        config = TransformerConfig.gpt_like(**GPT_CONFIGS["wider-3-layers"])
        model = LectureGPT(config).eval()
    _randomise_norms(model, 10)
    hf_model = model.to_hf().eval()
    hf_model.set_attn_implementation("eager")
    ids, attention_mask = _random_batch(config.vocab_size, config.max_positions, 11, pad)
    with torch.no_grad():
        ours = model(ids, attention_mask, output_attentions=True)
        theirs = hf_model(input_ids=ids, attention_mask=attention_mask, output_attentions=True)
    real_queries = attention_mask.bool()[:, None, :, None]  # what a padding position reads is meaningless
    assert len(ours.attentions) == len(theirs.attentions) == config.n_layers
    for mine, reference in zip(ours.attentions, theirs.attentions, strict=True):
        assert mine.shape == reference.shape == (3, config.n_heads, ids.shape[1], ids.shape[1])
        assert (mine - reference)[real_queries.expand_as(mine)].abs().max() <= TOLERANCE
    assert (ours.logits - theirs.logits)[attention_mask.bool()].abs().max() <= TOLERANCE


def test_gpt_loss_matches_hugging_face_with_ignored_labels():
    torch.manual_seed(7)
    config = TransformerConfig.gpt_like(**GPT_CONFIGS["tiny"])
    model = LectureGPT(config).eval()
    hf_model = model.to_hf().eval()
    ids, attention_mask = _random_batch(config.vocab_size, config.max_positions, 8, "right")
    labels = ids.masked_fill(attention_mask == 0, -100)
    with torch.no_grad():
        ours = model(ids, attention_mask, labels=labels).loss
        theirs = hf_model(input_ids=ids, attention_mask=attention_mask, labels=labels).loss
    assert abs(ours.item() - theirs.item()) <= TOLERANCE


def test_export_keeps_device_mode_and_refuses_wrong_layouts():
    model = LectureGPT(TransformerConfig.gpt_like(**GPT_CONFIGS["tiny"])).train()
    assert model.to_hf().training
    pre_norm_bert = LectureBERT(TransformerConfig(**BERT_CONFIGS["tiny-2-segments"], norm_placement="pre"))
    with pytest.raises(ValueError, match="post-norm"):
        pre_norm_bert.to_hf()
    with pytest.raises(ValueError, match="no next-sentence head"):
        LectureBERT(TransformerConfig.bert_like(**BERT_CONFIGS["tiny-2-segments"])).to_hf(True)
    post_norm_gpt = LectureGPT(TransformerConfig(**GPT_CONFIGS["tiny"], norm_placement="post"))
    with pytest.raises(ValueError, match="pre-norm"):
        post_norm_gpt.to_hf()
