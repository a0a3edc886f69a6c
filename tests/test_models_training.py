"""Each model trains: forward, backward, and an optimiser step that lowers the loss."""

from __future__ import annotations

import pytest
import torch

from lecturekit.models import LectureBERT, LectureGPT, LectureT5, TransformerConfig
from lecturekit.objectives import (
    collate_causal_lm,
    collate_masked_lm,
    collate_span_corruption,
    span_corruption,
)

SMALL = dict(vocab_size=60, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_positions=24)
PAD, MASK = 0, 1
SENTINELS = list(range(50, 60))


def _batch(kind: str, seed: int = 0):
    generator = torch.Generator().manual_seed(seed)
    sequences = [torch.randint(2, 50, (n,), generator=generator).tolist() for n in (20, 14, 17, 9)]
    if kind == "bert":
        return collate_masked_lm(sequences, pad_id=PAD, mask_token_id=MASK, vocab_size=50,
                                 mask_rate=0.3, generator=generator)
    if kind == "gpt":
        return collate_causal_lm(sequences, pad_id=PAD)
    examples = [span_corruption(s, SENTINELS, generator=generator) for s in sequences]
    return collate_span_corruption(examples, pad_id=PAD)


def _build(kind: str, device: str):
    torch.manual_seed(0)
    if kind == "bert":
        return LectureBERT(TransformerConfig.bert_like(**SMALL)).to(device)
    if kind == "gpt":
        return LectureGPT(TransformerConfig.gpt_like(**SMALL)).to(device)
    return LectureT5(TransformerConfig.t5_like(**SMALL)).to(device)


def _train_steps(kind: str, device: str, steps: int = 8):
    model = _build(kind, device).train()
    batch = {k: v.to(device) for k, v in _batch(kind).items()}
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for step in range(steps):
        out = model(**batch)
        assert torch.isfinite(out.loss)
        optimiser.zero_grad()
        out.loss.backward()
        if step == 0:
            without_gradient = [n for n, p in model.named_parameters() if p.grad is None or not p.grad.abs().sum() > 0]
            assert without_gradient == []
        optimiser.step()
        losses.append(out.loss.item())
    # the same batch, seen again: the loss must fall (memorisation)
    assert losses[-1] < losses[0] - 0.1
    return model


@pytest.mark.parametrize("kind", ["bert", "gpt", "t5"])
def test_forward_backward_and_step_on_cpu(kind):
    _train_steps(kind, "cpu")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@pytest.mark.parametrize("kind", ["bert", "gpt", "t5"])
def test_forward_backward_and_step_on_cuda(kind):
    model = _train_steps(kind, "cuda")
    assert next(model.parameters()).is_cuda


def test_t5_decoder_inputs_are_labels_shifted_right_like_hugging_face():
    from transformers import T5Config, T5ForConditionalGeneration

    model = _build("t5", "cpu")
    labels = torch.tensor([[5, 6, 7, -100], [8, -100, -100, -100]])
    reference = T5ForConditionalGeneration(
        T5Config(vocab_size=60, d_model=8, d_kv=4, d_ff=8, num_layers=1, num_heads=2,
                 pad_token_id=PAD, decoder_start_token_id=PAD)
    )
    assert torch.equal(model.shift_right(labels), reference._shift_right(labels))


def test_no_labelled_position_gives_a_zero_loss_not_nan():
    model = _build("bert", "cpu")
    ids = torch.randint(2, 50, (2, 6))
    out = model(ids, labels=torch.full_like(ids, -100))
    assert out.loss.item() == 0.0
    out.loss.backward()  # still differentiable


def test_bad_inputs_get_clear_messages():
    bert, gpt, t5 = _build("bert", "cpu"), _build("gpt", "cpu"), _build("t5", "cpu")
    ids = torch.randint(2, 50, (2, 6))
    with pytest.raises(ValueError, match="outside the vocabulary 0..59"):
        bert(torch.tensor([[3, 60]]))
    with pytest.raises(ValueError, match="only max_positions=24; truncate"):
        gpt(torch.randint(2, 50, (1, 25)))
    with pytest.raises(ValueError, match=r"ids\[None\]"):
        gpt(torch.tensor([3, 4, 5]))
    with pytest.raises(ValueError, match="empty"):
        gpt(torch.zeros(1, 0, dtype=torch.long))
    with pytest.raises(TypeError, match="integer token ids"):
        bert(torch.rand(1, 4))
    with pytest.raises(ValueError, match="attention_mask has shape"):
        bert(ids, attention_mask=torch.ones(2, 5))
    with pytest.raises(ValueError, match="type_vocab_size=2"):
        bert(ids, token_type_ids=torch.full_like(ids, 2))
    with pytest.raises(ValueError, match="no next-sentence head"):
        bert(ids, next_sentence_label=torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="no segment embeddings"):
        gpt.embeddings(ids, torch.ones_like(ids))
    with pytest.raises(ValueError, match="labels has shape"):
        bert(ids, labels=ids[:, :3])
    with pytest.raises(ValueError, match="decoder_input_ids, or labels"):
        t5(ids)
