"""Prompt and prefix tuning inside the lecture models: the attention hook, order, causality.

The hook is ``MultiHeadAttention.prefix`` (``lecturekit/models/attention.py``): None
by default, which leaves every model exactly as before (``test_models_parity``).
"""

from __future__ import annotations

import copy

import torch

from lecturekit.finetune import add_prefix_tuning, add_prompt_tuning
from lecturekit.finetune.prompt import PromptedTokenTable
from lecturekit.models import LectureBERT, LectureGPT, TransformerConfig
from lecturekit.models.attention import MultiHeadAttention

SIZES = dict(vocab_size=60, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_positions=24, dropout=0.0,
             attention_dropout=0.0)


def gpt():
    torch.manual_seed(0)
    return LectureGPT(TransformerConfig.gpt_like(**SIZES)).eval()


def bert():
    torch.manual_seed(0)
    return LectureBERT(TransformerConfig.bert_like(**SIZES)).eval()


def test_the_hook_is_off_by_default_and_keys_and_values_are_prepended_when_on():
    attention = MultiHeadAttention(TransformerConfig.gpt_like(**SIZES)).eval()
    assert attention.prefix is None
    x = torch.randn(2, 5, 32)
    prefix_keys_values = torch.randn(2, 3, 32)  # (keys | values, 3 virtual tokens, d_model)
    model = gpt()
    add_prefix_tuning(model, "causal-lm", n_virtual_tokens=3)
    hook = model.decoder.blocks[0].attention.prefix
    with torch.no_grad():
        hook.key_values.copy_(prefix_keys_values)
    attention.prefix = hook
    # The same attention written out: 3 extra keys and values that every query reads.
    q, k, v = attention.qkv(x).chunk(3, dim=-1)
    k = torch.cat([prefix_keys_values[0].expand(2, -1, -1), k], dim=1)
    v = torch.cat([prefix_keys_values[1].expand(2, -1, -1), v], dim=1)
    heads = [t.view(2, -1, 4, 8).transpose(1, 2) for t in (q, k, v)]
    causal = torch.ones(5, 5, dtype=torch.bool).tril()
    allowed = torch.cat([torch.ones(5, 3, dtype=torch.bool), causal], dim=1)
    scores = (heads[0] @ heads[1].transpose(-2, -1) / 8**0.5).masked_fill(~allowed, float("-inf"))
    expected = attention.out((scores.softmax(-1) @ heads[2]).transpose(1, 2).reshape(2, 5, 32))
    with torch.no_grad():
        fast, _ = attention(x, None, is_causal=True)
        written_out, weights = attention(x, None, is_causal=True, return_weights=True)
    assert (fast - expected).abs().max() <= 1e-5
    assert (written_out - expected).abs().max() <= 1e-5
    assert weights.shape == (2, 4, 5, 8) and torch.allclose(weights.sum(-1), torch.ones(2, 4, 5))


def test_a_decoder_with_a_prefix_stays_causal():
    model = gpt()
    prefix = add_prefix_tuning(model, "causal-lm", n_virtual_tokens=4)
    with torch.no_grad():
        for layer in prefix.layers:
            layer.key_values.normal_()
    ids = torch.randint(60, (1, 10))
    changed = ids.clone()
    changed[0, 6] = (ids[0, 6] + 1) % 60
    with torch.no_grad():
        before, after = model(ids).logits, model(changed).logits
    assert torch.equal(before[0, :6], after[0, :6])  # positions before 6 never see it
    assert not torch.equal(before[0, 6:], after[0, 6:])


def test_prefix_tuning_moves_the_text_n_positions_on():
    """The text starts at position n, as if the virtual tokens came first."""
    model = gpt()
    add_prefix_tuning(model, "causal-lm", n_virtual_tokens=3)
    table = model.embeddings.position
    assert torch.equal(table(torch.arange(2)), table.table.weight[3:5])
    for block in model.decoder.blocks:
        block.attention.prefix = None  # without the keys and values: only the shift is left
    plain = gpt()
    ids = torch.randint(60, (1, 6))
    with torch.no_grad():
        with_shift = model(ids).logits
        ids_after_three = torch.cat([torch.zeros(1, 3, dtype=torch.long), ids], dim=1)
        reference = plain(ids_after_three, attention_mask=torch.tensor([[0, 0, 0] + [1] * 6])).logits[:, 3:]
    assert (with_shift - reference).abs().max() <= 1e-5


def test_prompt_vectors_come_first_and_every_decoder_position_reads_them():
    model = gpt()
    prompt = add_prompt_tuning(model, n_virtual_tokens=2)
    assert isinstance(model.embeddings.token, PromptedTokenTable)
    ids = torch.randint(60, (2, 5))
    inputs = prompt.inputs(ids, None)
    assert inputs["input_ids"].shape == (2, 7) and torch.equal(inputs["input_ids"][:, 2:], ids)
    hidden = model(**inputs, output_hidden_states=True).hidden_states[-1]
    text = prompt.strip(hidden)
    assert text.shape == (2, 5, 32)
    (text[:, 0] * torch.randn(32)).sum().backward()  # even the first real token has read the prompt
    assert prompt.vectors.grad.abs().sum() > 0
    assert all(p.grad is None for n, p in model.named_parameters() if "vectors" not in n)


def test_prompt_tuning_starts_from_real_token_embeddings():
    model = bert()
    table = copy.deepcopy(model.embeddings.token.weight.detach())
    prompt = add_prompt_tuning(model, n_virtual_tokens=4, seed=1)
    rows = [(table == v).all(dim=1).nonzero().flatten().tolist() for v in prompt.vectors.detach()]
    assert all(len(r) == 1 for r in rows)  # each virtual token starts as one vocabulary entry
    # the tied MLM head still reads the (frozen) token table
    assert model.embeddings.token.weight is model.embeddings.token.table.weight


def test_padding_and_a_prefix_in_an_encoder():
    model = bert()
    prefix = add_prefix_tuning(model, "masked-lm", n_virtual_tokens=3)
    with torch.no_grad():
        for layer in prefix.layers:
            layer.key_values.normal_()
    ids = torch.randint(5, 60, (2, 8))
    mask = torch.ones_like(ids)
    mask[1, 5:] = 0
    with torch.no_grad():
        together = model(ids, mask).logits
        alone = model(ids[1:, :5]).logits
    assert (together[1, :5] - alone[0]).abs().max() <= 1e-5
