"""Our LoRA, prompt tuning and prefix tuning give peft's numbers, on the same weights.

A fresh LoRA has B = 0 and a fresh prompt is random, which would prove nothing,
so every adapter's trainable numbers are randomised on one side and copied to the
other. Compared: the number of trainable parameters, and the logits in eval mode,
with and without padding. Two pairings:

- our adapters on the Hugging Face export against peft on the same export (the
  same network code on both sides): float32, atol 1e-5;
- our adapters on *our* lecture model against peft on its export. Here the two
  networks alone, without any adapter, already differ by up to 2e-5 in float32
  logits (different summation orders; ``test_models_parity`` allows 1e-4), so
  these run in float64 with atol 1e-5, and in float32 with the models' 1e-4.
"""

from __future__ import annotations

import copy

import pytest
import torch
from peft import (
    LoraConfig,
    PrefixTuningConfig,
    PromptTuningConfig,
    TaskType,
    get_peft_model,
    inject_adapter_in_model,
)

from lecturekit.finetune import add_prefix_tuning, add_prompt_tuning, apply_lora, merge_lora
from lecturekit.finetune.lora import LoRALinear
from lecturekit.hub.lecture import checkpoint_dir
from lecturekit.models import load_pretrained

ATOL = 1e-5
PRECISIONS = {"float64": (torch.float64, 1e-5), "float32": (torch.float32, 1e-4)}
# Our layer names and the Hugging Face names of the same layers (same order inside each block).
LORA_TARGETS = {
    "lecture-gpt": (("qkv", "out", "up", "down"), ["c_attn", "c_proj", "c_fc"]),
    "lecture-bert": (("out", "up", "down"), ["intermediate.dense", "output.dense"]),
}
KIND = {"lecture-gpt": "causal-lm", "lecture-bert": "masked-lm"}
TASK = {"lecture-gpt": TaskType.CAUSAL_LM, "lecture-bert": TaskType.FEATURE_EXTRACTION}


def lecture(name: str):
    return load_pretrained(checkpoint_dir(name), device="cpu").float().eval()


def lecture_and_export(name: str, dtype: torch.dtype):
    """Our model and its Hugging Face export, same weights, both in ``dtype``."""
    ours = lecture(name)
    export = ours.to_hf().eval()
    return ours.to(dtype), export.to(dtype)


def inputs(padded: bool):
    ids = torch.randint(40, 2900, (3, 11), generator=torch.Generator().manual_seed(1))
    mask = torch.ones_like(ids)
    if padded:
        mask[1, 7:] = 0
        mask[2, 4:] = 0
    return ids, mask


def trainable(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def randomise_lora(ours: list[LoRALinear], peft_model, seed: int = 0) -> None:
    """Non-zero A and B (B = 0 would make every LoRA model equal to its base), copied to peft."""
    theirs = [m for m in peft_model.modules() if hasattr(m, "lora_A") and "default" in getattr(m, "lora_A", {})]
    assert len(theirs) == len(ours) > 0
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for mine, reference in zip(ours, theirs, strict=True):
            mine.lora_A.weight.copy_(torch.randn(mine.lora_A.weight.shape, generator=generator) * 0.05)
            mine.lora_B.weight.copy_(torch.randn(mine.lora_B.weight.shape, generator=generator) * 0.05)
            reference.lora_A["default"].weight.copy_(mine.lora_A.weight)
            reference.lora_B["default"].weight.copy_(mine.lora_B.weight)


def masked_close(a: torch.Tensor, b: torch.Tensor, mask: torch.Tensor, atol: float = ATOL) -> None:
    """Logits agree at every real (unpadded) position; padding positions may differ."""
    keep = mask.bool()
    assert a.shape == b.shape
    assert (a[keep] - b[keep]).abs().max() <= atol


# --------------------------------------------------------------------------- LoRA


def test_lora_on_a_plain_linear_layer_matches_peft():
    torch.manual_seed(0)

    class One(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(12, 7)

        def forward(self, x):
            return self.layer(x)

    base = One()
    theirs = inject_adapter_in_model(LoraConfig(r=3, lora_alpha=6, target_modules=["layer"]), copy.deepcopy(base))
    ours = LoRALinear(copy.deepcopy(base.layer), r=3, alpha=6)
    assert ours.scaling == theirs.layer.scaling["default"] == 2.0
    assert trainable(ours) == trainable(theirs) == 3 * (12 + 7)
    x = torch.randn(5, 12)
    assert torch.equal(ours(x), base(x))  # B = 0: exactly the pretrained layer
    randomise_lora([ours], theirs)
    assert (ours(x) - theirs(x)).abs().max() <= ATOL
    assert (ours(x) - base(x)).abs().max() > 1e-2  # the update is really there
    before = ours(x)
    ours.merge()
    theirs.layer.merge()
    assert (ours(x) - before).abs().max() <= ATOL
    assert (ours.base.weight - theirs.layer.base_layer.weight).abs().max() <= ATOL
    ours.unmerge()
    assert (ours.base.weight - base.layer.weight).abs().max() <= ATOL


@pytest.mark.parametrize("precision", list(PRECISIONS))
@pytest.mark.parametrize("name", ["lecture-gpt", "lecture-bert"])
@pytest.mark.parametrize("padded", [False, True])
def test_lora_on_our_model_matches_peft_on_the_export(name, padded, precision):
    dtype, atol = PRECISIONS[precision]
    ours, export = lecture_and_export(name, dtype)
    config = LoraConfig(r=4, lora_alpha=8, target_modules=LORA_TARGETS[name][1])
    reference = get_peft_model(export, config).to(dtype)
    layers = apply_lora(ours, LORA_TARGETS[name][0], r=4, alpha=8)
    assert trainable(ours) == reference.get_nb_trainable_parameters()[0] > 0
    randomise_lora(layers, reference)
    ids, mask = inputs(padded)
    with torch.no_grad():
        unmerged = ours(ids, mask).logits
        masked_close(unmerged, reference(input_ids=ids, attention_mask=mask).logits, mask, atol)
        merge_lora(ours)
        reference.merge_adapter()
        masked_close(ours(ids, mask).logits, reference(input_ids=ids, attention_mask=mask).logits, mask, atol)
        masked_close(ours(ids, mask).logits, unmerged, mask, 1e-4)  # merging changes only rounding


@pytest.mark.parametrize("name, targets", [("lecture-gpt", ["c_attn", "c_proj"]),
                                           ("lecture-bert", ["query", "key", "value"])])
def test_lora_on_the_export_itself_matches_peft(name, targets):
    """apply_lora on Hugging Face layers too (GPT-2's transposed Conv1D, BERT's three projections)."""
    export = lecture(name).to_hf().eval()
    reference = get_peft_model(copy.deepcopy(export), LoraConfig(r=4, lora_alpha=16, target_modules=targets))
    layers = apply_lora(export, targets, r=4, alpha=16)
    assert trainable(export) == reference.get_nb_trainable_parameters()[0]
    ids, mask = inputs(True)
    with torch.no_grad():
        base = export(input_ids=ids, attention_mask=mask).logits
        assert torch.equal(base, reference(input_ids=ids, attention_mask=mask).logits)  # B = 0: exactly θ̂
        randomise_lora(layers, reference, seed=3)
        unmerged = export(input_ids=ids, attention_mask=mask).logits
        masked_close(unmerged, reference(input_ids=ids, attention_mask=mask).logits, mask)
        assert (unmerged - base).abs().max() > 1e-2
        merge_lora(export)
        reference.merge_adapter()
        masked_close(export(input_ids=ids, attention_mask=mask).logits,
                     reference(input_ids=ids, attention_mask=mask).logits, mask)
        masked_close(export(input_ids=ids, attention_mask=mask).logits, unmerged, mask, 1e-4)


# ---------------------------------------------------------------- prompt tuning


def copy_prompt_to_peft(prompt, reference, seed: int = 2) -> None:
    with torch.no_grad():
        prompt.vectors.copy_(torch.randn(prompt.vectors.shape, generator=torch.Generator().manual_seed(seed)) * 0.5)
        reference.prompt_encoder["default"].embedding.weight.copy_(prompt.vectors)


@pytest.mark.parametrize("precision", list(PRECISIONS))
@pytest.mark.parametrize("name", ["lecture-gpt", "lecture-bert"])
@pytest.mark.parametrize("padded", [False, True])
def test_prompt_tuning_matches_peft(name, padded, precision):
    dtype, atol = PRECISIONS[precision]
    ours, export = lecture_and_export(name, dtype)
    reference = get_peft_model(export, PromptTuningConfig(task_type=TASK[name], num_virtual_tokens=5)).to(dtype)
    prompt = add_prompt_tuning(ours, n_virtual_tokens=5)
    assert trainable(ours) == reference.get_nb_trainable_parameters()[0] == 5 * ours.config.d_model
    copy_prompt_to_peft(prompt, reference)
    ids, mask = inputs(padded)
    with torch.no_grad():
        mine = ours(**prompt.inputs(ids, mask)).logits
        theirs = reference(input_ids=ids, attention_mask=mask).logits
    assert mine.shape == theirs.shape == (3, 5 + ids.shape[1], ours.config.vocab_size)
    masked_close(mine, theirs, torch.cat([torch.ones(3, 5, dtype=mask.dtype), mask], dim=1), atol)


@pytest.mark.parametrize("name", ["lecture-gpt", "lecture-bert"])
def test_prompt_tuning_on_the_export_itself_matches_peft(name):
    """The same token-table wrapper works on a Hugging Face model (its input embeddings)."""
    export = lecture(name).to_hf().eval()
    reference = get_peft_model(copy.deepcopy(export), PromptTuningConfig(task_type=TASK[name], num_virtual_tokens=4))
    prompt = add_prompt_tuning(export, n_virtual_tokens=4)
    assert trainable(export) == reference.get_nb_trainable_parameters()[0]
    copy_prompt_to_peft(prompt, reference)
    ids, mask = inputs(True)
    with torch.no_grad():
        mine = export(**prompt.inputs(ids, mask)).logits
        theirs = reference(input_ids=ids, attention_mask=mask).logits
    masked_close(mine, theirs, torch.cat([torch.ones(3, 4, dtype=mask.dtype), mask], dim=1))


# ---------------------------------------------------------------- prefix tuning


def copy_prefix_to_peft(prefix, reference) -> None:
    """Ours: (layers, 2, n, d). peft: one row per virtual token, (layer, key|value, d) flattened."""
    key_values = prefix.key_values()
    layers, _, n, d = key_values.shape
    with torch.no_grad():
        reference.prompt_encoder["default"].embedding.weight.copy_(key_values.permute(2, 0, 1, 3).reshape(n, -1))
    assert layers * 2 * d * n == reference.prompt_encoder["default"].embedding.weight.numel()


@pytest.mark.parametrize("precision", list(PRECISIONS))
@pytest.mark.parametrize("name", ["lecture-gpt", "lecture-bert"])
@pytest.mark.parametrize("padded", [False, True])
def test_prefix_tuning_on_our_model_matches_peft(name, padded, precision):
    dtype, atol = PRECISIONS[precision]
    ours, export = lecture_and_export(name, dtype)
    reference = get_peft_model(export, PrefixTuningConfig(task_type=TASK[name], num_virtual_tokens=4)).to(dtype)
    prefix = add_prefix_tuning(ours, KIND[name], n_virtual_tokens=4)
    assert trainable(ours) == reference.get_nb_trainable_parameters()[0] == 4 * 2 * ours.config.n_layers * ours.config.d_model
    with torch.no_grad():
        for layer in prefix.layers:
            layer.key_values.normal_(0, 1.0)
    copy_prefix_to_peft(prefix, reference)
    ids, mask = inputs(padded)
    with torch.no_grad():
        mine = ours(**prefix.inputs(ids, mask)).logits
        theirs = reference(input_ids=ids, attention_mask=mask).logits
        plain = lecture(name).to(dtype)(ids, mask).logits
    masked_close(mine, theirs, mask, atol)
    assert (mine - plain)[mask.bool()].abs().max() > 1e-2  # the prefix really changes the output


@pytest.mark.parametrize("name", ["lecture-gpt", "lecture-bert"])
def test_prefix_tuning_through_the_hugging_face_cache_matches_peft(name):
    """Our Hugging Face route (a DynamicCache holding the prefix) on the export, against peft."""
    export = lecture(name).to_hf().eval()
    reference = get_peft_model(copy.deepcopy(export), PrefixTuningConfig(task_type=TASK[name], num_virtual_tokens=3))
    prefix = add_prefix_tuning(export, KIND[name], n_virtual_tokens=3)
    with torch.no_grad():
        for layer in prefix.layers:
            layer.key_values.normal_(0, 1.0)
    copy_prefix_to_peft(prefix, reference)
    ids, mask = inputs(True)
    with torch.no_grad():
        mine = export.base_model(**prefix.inputs(ids, mask)).last_hidden_state
        theirs = reference(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states[-1]
    masked_close(mine, theirs, mask)


def test_prefix_starts_from_the_models_own_keys_and_values():
    """Li & Liang's start: the keys and values the frozen model computes for real tokens.
    Both routes (our attention hook, Hugging Face's cache) find the same numbers."""
    ours = lecture("lecture-gpt")
    from_hook = add_prefix_tuning(copy.deepcopy(ours), "causal-lm", n_virtual_tokens=3, seed=5).key_values()
    from_cache = add_prefix_tuning(ours.to_hf().eval(), "causal-lm", n_virtual_tokens=3, seed=5).key_values()
    assert (from_hook - from_cache).abs().max() <= ATOL
