"""LoRALinear and apply_lora: the formula, peft's initialisation, merging, freezing."""

from __future__ import annotations

import copy
import math

import pytest
import torch
import torch.nn.functional as F
from peft import LoraConfig, inject_adapter_in_model
from transformers.pytorch_utils import Conv1D

from lecturekit.finetune import LoRALinear, apply_lora, merge_lora, unmerge_lora
from lecturekit.models import LectureGPT, TransformerConfig


class One(torch.nn.Module):
    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        return self.layer(x)


def randomise(layer: LoRALinear, seed: int = 0) -> None:
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        layer.lora_A.weight.copy_(torch.randn(layer.lora_A.weight.shape, generator=generator))
        layer.lora_B.weight.copy_(torch.randn(layer.lora_B.weight.shape, generator=generator))


def test_a_fresh_lora_layer_is_exactly_the_pretrained_layer():
    base = torch.nn.Linear(10, 6)
    layer = LoRALinear(copy.deepcopy(base), r=2, alpha=4)
    x = torch.randn(3, 10)
    assert torch.equal(layer.lora_B.weight, torch.zeros(6, 2))
    assert torch.equal(layer(x), base(x))
    assert layer.scaling == 2.0
    assert isinstance(layer.lora_A, torch.nn.Linear) and isinstance(layer.lora_B, torch.nn.Linear)
    assert layer.lora_A.bias is None and layer.lora_B.bias is None


def test_initialisation_is_peft_default():
    """Same seed, same A: Kaiming-uniform with a = sqrt(5), as peft (and nn.Linear) draw it."""
    base = torch.nn.Linear(16, 9)
    torch.manual_seed(7)
    ours = LoRALinear(copy.deepcopy(base), r=4, alpha=8)
    torch.manual_seed(7)
    theirs = inject_adapter_in_model(LoraConfig(r=4, lora_alpha=8, target_modules=["layer"]), One(copy.deepcopy(base)))
    assert torch.equal(ours.lora_A.weight, theirs.layer.lora_A["default"].weight)
    bound = 1 / math.sqrt(16)  # Kaiming-uniform with a = sqrt(5) gives U(-1/sqrt(in), 1/sqrt(in))
    assert ours.lora_A.weight.abs().max() <= bound


def test_forward_is_w_x_plus_scaled_b_a_x():
    base = torch.nn.Linear(8, 5)
    layer = LoRALinear(base, r=3, alpha=6)
    randomise(layer)
    x = torch.randn(4, 8)
    expected = x @ base.weight.T + base.bias + (6 / 3) * x @ layer.lora_A.weight.T @ layer.lora_B.weight.T
    assert (layer(x) - expected).abs().max() <= 1e-5


def test_dropout_acts_on_the_lora_path_only():
    base = torch.nn.Linear(8, 5)
    layer = LoRALinear(base, r=2, alpha=2, dropout=0.5).train()
    x = torch.randn(4, 8)
    assert torch.equal(layer(x), base(x))  # B = 0: dropout cannot touch the base path
    randomise(layer)
    torch.manual_seed(3)
    out = layer(x)
    torch.manual_seed(3)
    dropped = F.dropout(x, 0.5, training=True)
    assert (out - (base(x) + layer.lora_B(layer.lora_A(dropped)))).abs().max() <= 1e-6
    layer.eval()
    assert (layer(x) - (base(x) + layer.lora_B(layer.lora_A(x)))).abs().max() <= 1e-6


@pytest.mark.parametrize("make", [lambda: torch.nn.Linear(7, 4), lambda: Conv1D(4, 7)], ids=["Linear", "Conv1D"])
def test_merge_and_unmerge(make):
    base = make()
    original = base.weight.detach().clone()
    layer = LoRALinear(base, r=2, alpha=3)
    randomise(layer, 1)
    x = torch.randn(5, 7)
    before = layer(x)
    layer.merge()
    layer.merge()  # twice is once
    assert layer.merged and (layer(x) - before).abs().max() <= 1e-5
    assert (layer.base(x) - before).abs().max() <= 1e-5  # the update now lives in the weight
    layer.unmerge()
    assert not layer.merged and (layer.base.weight - original).abs().max() <= 1e-6


def tiny_gpt():
    torch.manual_seed(0)
    config = TransformerConfig.gpt_like(vocab_size=50, d_model=32, n_heads=4, n_layers=2, d_ff=64, max_positions=16)
    return LectureGPT(config).eval()


def test_apply_lora_wraps_the_targets_and_freezes_the_rest():
    model = tiny_gpt()
    layers = apply_lora(model, ["qkv", "feed_forward.down"], r=4, alpha=8)
    assert len(layers) == 4  # two blocks x two targets
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all(".lora_A." in n or ".lora_B." in n for n in trainable)
    assert sum(p.numel() for p in model.parameters() if p.requires_grad) == 2 * 4 * ((32 + 96) + (64 + 32))
    ids = torch.randint(50, (2, 9))
    reference = tiny_gpt()
    assert torch.equal(model(ids).logits, reference(ids).logits)  # starts at θ̂
    for layer in layers:
        randomise(layer)
    changed = model(ids).logits
    merge_lora(model)
    assert (model(ids).logits - changed).abs().max() <= 1e-4
    unmerge_lora(model)
    assert (model(ids).logits - changed).abs().max() <= 1e-4


def test_targets_match_by_dotted_suffix_only():
    model = tiny_gpt()
    names = [n for n, m in model.named_modules() if isinstance(m, LoRALinear)]
    assert names == []
    apply_lora(model, ["attention.out"], r=2)
    wrapped = [n for n, m in model.named_modules() if isinstance(m, LoRALinear)]
    assert wrapped == ["decoder.blocks.0.attention.out", "decoder.blocks.1.attention.out"]
