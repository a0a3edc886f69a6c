"""LoRA: fine-tune a frozen weight matrix through a low-rank update (Hu et al., 2021).

A pretrained layer computes W x. LoRA keeps W frozen at its pretrained value and
learns a correction of rank r: W' = W + (alpha / r) B A, with A (r x in) and B
(out x r). Only A and B train, r (in + out) numbers instead of in x out.

- B starts at zero, so the wrapped model starts exactly at the pretrained θ̂ and
  fine-tuning moves away from it gradually (the lecture: stay close to θ̂).
- A starts like an ordinary linear layer (Kaiming-uniform with a = √5, PyTorch's
  and peft's default), so the gradient B receives is not zero.
- ``alpha / r`` (the ``scaling``) keeps the size of the update comparable when r
  changes, so the learning rate need not be retuned.
- After training, ``merge()`` adds (alpha / r) B A into W: the model is again a
  plain network of the original shape, with no extra cost per token.

``apply_lora`` wraps chosen layers of a model (by name suffix, like peft's
``target_modules``) and freezes everything else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn


def _is_conv1d(layer: nn.Module) -> bool:
    """GPT-2's ``Conv1D``: a linear layer whose weight is stored transposed (in x out)."""
    return type(layer).__name__ == "Conv1D" and hasattr(layer, "nf")


def is_linear(layer: nn.Module) -> bool:
    return isinstance(layer, nn.Linear) or _is_conv1d(layer)


def layer_shape(layer: nn.Module) -> tuple[int, int]:
    """(in_features, out_features) of an ``nn.Linear`` or a transformers ``Conv1D``."""
    if _is_conv1d(layer):
        return layer.weight.shape[0], layer.weight.shape[1]
    return layer.in_features, layer.out_features


def check_rank(r, in_features: int, out_features: int, name: str = "the layer") -> int:
    if not isinstance(r, int) or isinstance(r, bool) or r < 1:
        raise ValueError(f"LoRA rank r must be a positive integer, got {r!r}.")
    if r > min(in_features, out_features):
        raise ValueError(
            f"LoRA rank r={r} is larger than {name} ({in_features} -> {out_features}): the update B A "
            f"can have rank at most {min(in_features, out_features)}, so choose r <= "
            f"{min(in_features, out_features)} (LoRA is meant to be much smaller still, e.g. 4-16)."
        )
    return r


class LoRALinear(nn.Module):
    """``base(x) + (alpha / r) * lora_B(lora_A(dropout(x)))``, with ``base`` frozen.

    ``base`` is an ``nn.Linear`` (or GPT-2's transposed ``Conv1D``). Dropout acts
    on the LoRA path only, as in peft. ``merge()`` folds the update into the base
    weight; ``unmerge()`` takes it out again.
    """

    def __init__(self, base: nn.Module, r: int, alpha: float, dropout: float = 0.0):
        super().__init__()
        if not is_linear(base):
            raise TypeError(f"LoRALinear wraps an nn.Linear, got {type(base).__name__}.")
        in_features, out_features = layer_shape(base)
        self.r = check_rank(r, in_features, out_features)
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"LoRA dropout must be in [0, 1), got {dropout!r}.")
        self.base = base
        self.alpha = float(alpha)
        self.scaling = self.alpha / self.r
        weight = base.weight
        self.lora_A = nn.Linear(in_features, self.r, bias=False, device=weight.device, dtype=weight.dtype)
        self.lora_B = nn.Linear(self.r, out_features, bias=False, device=weight.device, dtype=weight.dtype)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)
        for parameter in base.parameters():
            parameter.requires_grad_(False)
        self.merged = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        result = self.base(x)
        if self.merged:  # the update already lives inside base.weight
            return result
        return result + self.lora_B(self.lora_A(self.dropout(x))) * self.scaling

    def delta_weight(self) -> torch.Tensor:
        """(alpha / r) B A, laid out like the base weight."""
        delta = (self.lora_B.weight @ self.lora_A.weight) * self.scaling  # (out, in)
        return delta.t() if _is_conv1d(self.base) else delta

    @torch.no_grad()
    def merge(self) -> None:
        if not self.merged:
            self.base.weight += self.delta_weight()
            self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        if self.merged:
            self.base.weight -= self.delta_weight()
            self.merged = False

    def extra_repr(self) -> str:
        return f"r={self.r}, alpha={self.alpha:g}, scaling={self.scaling:g}, merged={self.merged}"


def linear_layer_names(module: nn.Module) -> list[str]:
    """Full names of every linear layer in ``module`` (LoRA's possible targets)."""
    return [name for name, layer in module.named_modules() if name and is_linear(layer)]


def matches(name: str, target: str) -> bool:
    """peft's rule: a target names a layer by its full name or by a dotted suffix of it."""
    return name == target or name.endswith("." + target)


def find_targets(module: nn.Module, targets: Sequence[str]) -> list[str]:
    """The linear layers whose names end in one of ``targets``; unknown targets are an error."""
    if isinstance(targets, str):
        targets = [targets]
    targets = list(targets)
    if not targets:
        raise ValueError("Give LoRA at least one target layer name (targets=['qkv'] or similar).")
    names = linear_layer_names(module)
    unknown = [t for t in targets if not any(matches(n, t) for n in names)]
    if unknown:
        suffixes = sorted({n.rsplit(".", 1)[-1] for n in names})
        two_part = sorted({".".join(n.split(".")[-2:]) for n in names})
        raise ValueError(
            f"No linear layer of this model is called {', '.join(map(repr, unknown))}. "
            f"Valid target names: {', '.join(suffixes)} (or dotted suffixes such as {', '.join(two_part[:6])})."
        )
    return [n for n in names if any(matches(n, t) for t in targets)]


def apply_lora(
    module: nn.Module, targets: Sequence[str], r: int = 8, alpha: float = 16.0, dropout: float = 0.0
) -> list[LoRALinear]:
    """Freeze ``module`` and wrap each target linear layer in a ``LoRALinear`` (in place).

    Returns the new LoRA layers; their ``lora_A`` and ``lora_B`` are the only
    trainable parameters left in ``module``.
    """
    names = find_targets(module, targets)
    for name in names:  # check every rank before changing anything
        check_rank(r, *layer_shape(module.get_submodule(name)), name=name)
    for parameter in module.parameters():
        parameter.requires_grad_(False)
    wrapped = []
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = module.get_submodule(parent_name) if parent_name else module
        layer = LoRALinear(getattr(parent, child), r, alpha, dropout)
        setattr(parent, child, layer)
        wrapped.append(layer)
    return wrapped


def merge_lora(module: nn.Module) -> None:
    for layer in module.modules():
        if isinstance(layer, LoRALinear):
            layer.merge()


def unmerge_lora(module: nn.Module) -> None:
    for layer in module.modules():
        if isinstance(layer, LoRALinear):
            layer.unmerge()
