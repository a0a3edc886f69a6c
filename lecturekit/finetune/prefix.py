"""Prefix tuning: trained keys and values in front of every layer's attention (Li & Liang, 2021).

Prompt tuning changes only what the first layer reads. Prefix tuning goes
further with the same idea: at *every* layer, each attention head gets n extra
key/value pairs that every query may attend to, as if n virtual tokens stood
before the text and had produced exactly those keys and values. Those vectors,
n x 2 x d_model numbers per layer, are all that trains; the network is frozen.

- The prefix comes first, so in a decoder every token sees all of it.
- The text's positions start at n, as if the virtual tokens occupied the first
  n (what Hugging Face does with a key/value cache of length n, and so peft).
- Start: the keys and values the frozen model itself computes for n random
  vocabulary tokens (Li & Liang found that real words' activations train more
  stably than random vectors).

Two ways in: the lecture models call a hook in each attention layer
(``MultiHeadAttention.prefix``); Hugging Face models take the prefix as a
key/value cache (``DynamicCache``), the mechanism they use for generation.
"""

from __future__ import annotations

import torch
from torch import nn

from ..hub.errors import NotSupportedError
from ..models.attention import causal_mask
from .backbone import Adaptation, attention_geometry, blocks, body, cache_argument, is_lecture


def _compute_dtype(reference: torch.Tensor) -> torch.dtype:
    """The dtype attention computes in: bfloat16 under CUDA autocast, else the weights' dtype."""
    if reference.device.type != "cuda":
        return reference.dtype
    if hasattr(torch, "get_autocast_dtype"):  # torch >= 2.4
        return torch.get_autocast_dtype("cuda") if torch.is_autocast_enabled("cuda") else reference.dtype
    return torch.get_autocast_gpu_dtype() if torch.is_autocast_enabled() else reference.dtype


class AttentionPrefix(nn.Module):
    """One layer's prefix: put the keys and values in front, let every query read them."""

    def __init__(self, key_values: torch.Tensor):
        super().__init__()
        self.key_values = nn.Parameter(key_values)  # (2, n, d_model): keys, then values

    def forward(self, k, v, mask, is_causal):
        batch, heads, n_query, head_dim = k.shape
        n = self.key_values.shape[1]
        keys, values = (
            t.view(n, heads, head_dim).transpose(0, 1).to(k.dtype).expand(batch, -1, -1, -1)
            for t in self.key_values
        )
        k, v = torch.cat([keys, k], dim=2), torch.cat([values, v], dim=2)
        if mask is None and not is_causal:
            return k, v, None, False  # bidirectional without padding: everyone reads everything
        if mask is None:  # causal: query t reads the prefix and keys 0..t
            mask = causal_mask(n_query).to(k.device)[None, None]
        prefix_columns = torch.ones((*mask.shape[:-1], n), dtype=torch.bool, device=mask.device)
        return k, v, torch.cat([prefix_columns, mask], dim=-1), False


class ShiftedPositions(nn.Module):
    """A position table read n places further on: the text starts at position n."""

    def __init__(self, table: nn.Embedding, offset: int):
        super().__init__()
        self.table, self.offset = table, offset

    @property
    def weight(self) -> torch.Tensor:
        return self.table.weight

    def forward(self, positions: torch.Tensor) -> torch.Tensor:
        return self.table(positions + self.offset)


class PrefixTuning(Adaptation):
    """n trained key/value pairs per layer; ``key_values()`` is (layers, 2, n, width)."""

    def __init__(self, module: nn.Module, kind: str, n_virtual_tokens: int, seed: int = 0):
        super().__init__()
        if kind == "encoder-decoder":
            raise NotSupportedError("Prefix tuning here covers encoders and decoders, not encoder-decoders.")
        self.lecture, self.kind, self.virtual_tokens = is_lecture(module), kind, n_virtual_tokens
        self._module = [module]  # not a submodule: the model is trained elsewhere
        if not self.lecture and cache_argument(body(module, kind).forward) is None:
            raise NotSupportedError(
                f"{type(module).__name__} takes no key/value cache, which is how prefix tuning "
                "reaches a Hugging Face model's attention."
            )
        generator = torch.Generator().manual_seed(seed)
        vocabulary = module.get_input_embeddings().num_embeddings if not self.lecture else module.config.vocab_size
        start_ids = torch.randint(vocabulary, (1, n_virtual_tokens), generator=generator)
        was_training = module.training
        start = self._own_keys_values(start_ids.to(next(module.parameters()).device))
        module.train(was_training)
        self.layers = nn.ModuleList(AttentionPrefix(kv) for kv in start)
        if self.lecture:
            for block, prefix in zip(blocks(module, kind), self.layers, strict=True):
                block.attention.prefix = prefix
            module.embeddings.position = ShiftedPositions(module.embeddings.position, n_virtual_tokens)

    @torch.no_grad()
    def _own_keys_values(self, ids: torch.Tensor) -> list[torch.Tensor]:
        """Each layer's (keys, values) for ``ids``, as the frozen model computes them: (2, n, width)."""
        module = self._module[0].eval()  # no dropout in the starting values
        if self.lecture:
            found = []
            hooks = [
                block.attention.qkv.register_forward_hook(lambda _m, _i, out: found.append(out[0]))
                for block in blocks(module, self.kind)
            ]
            try:
                module(input_ids=ids)
            finally:
                for hook in hooks:
                    hook.remove()
            return [torch.stack(qkv.chunk(3, dim=-1)[1:]).float() for qkv in found]
        from transformers import DynamicCache

        cache = DynamicCache()
        part = body(module, self.kind)
        part(input_ids=ids, **{cache_argument(part.forward): cache})
        _, heads, head_dim = attention_geometry(module)
        return [
            torch.stack([layer.keys[0], layer.values[0]]).transpose(1, 2).reshape(2, ids.shape[1], heads * head_dim).float()
            for layer in cache.layers
        ]

    def key_values(self) -> torch.Tensor:
        return torch.stack([layer.key_values for layer in self.layers])

    def inputs(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None) -> dict:
        if self.lecture:  # the hooks inside the attention layers do the work
            return {"input_ids": input_ids, "attention_mask": attention_mask}
        from transformers import DynamicCache

        module = self._module[0]
        _, heads, head_dim = attention_geometry(module)
        batch, n = input_ids.shape[0], self.virtual_tokens
        dtype = _compute_dtype(next(module.parameters()))
        cache = DynamicCache([
            tuple(t.view(n, heads, head_dim).transpose(0, 1).to(dtype).expand(batch, -1, -1, -1)
                  for t in layer.key_values)
            for layer in self.layers
        ])
        if attention_mask is not None:  # the prefix is never padding
            ones = torch.ones((batch, n), dtype=attention_mask.dtype, device=attention_mask.device)
            attention_mask = torch.cat([ones, attention_mask], dim=1)
        argument = cache_argument(body(module, self.kind).forward)
        return {"input_ids": input_ids, "attention_mask": attention_mask, argument: cache}


def add_prefix_tuning(module: nn.Module, kind: str, n_virtual_tokens: int = 8, seed: int = 0) -> PrefixTuning:
    """Freeze ``module`` and give every attention layer ``n_virtual_tokens`` trained keys and values.

    A lecture model then runs as usual; a Hugging Face model's body must be
    called with ``**prefix.inputs(input_ids, attention_mask)`` (which adds the cache).
    """
    for parameter in module.parameters():
        parameter.requires_grad_(False)
    return PrefixTuning(module, kind, n_virtual_tokens, seed)
