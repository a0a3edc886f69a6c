"""The building blocks every lecture Transformer is stacked from.

- ``Embeddings``: a token's input vector is its token embedding plus the embedding
  of its position plus (BERT) the embedding of its segment, added elementwise, so
  every layer keeps one width, d_model.
- ``FeedForward``: the position-wise two-layer network with GELU in between.
- ``TransformerBlock``: attention and feed-forward, each wrapped in a residual
  connection and a layer norm. Where the norm goes is the difference between BERT
  ("post": normalise the sum after each residual) and GPT-2 ("pre": normalise the
  input of each sub-layer, and once more at the very end), which trains more
  stably in deep stacks.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from lecturekit.models.attention import MultiHeadAttention
from lecturekit.models.config import TransformerConfig


def activation_function(name: str):
    if name == "gelu":
        return F.gelu  # exact: x * Φ(x), with the Gaussian CDF via erf (BERT)
    if name == "gelu_tanh":
        return lambda x: F.gelu(x, approximate="tanh")  # GPT-2's tanh approximation
    if name == "relu":
        return F.relu
    raise ValueError(f"Unknown activation {name!r}.")


def sinusoidal_positions(n_positions: int, d_model: int) -> torch.Tensor:
    """The original Transformer's position vectors: sines and cosines of falling frequency.

    Row p holds sin(p / 10000^(2i/d)) in even columns and the matching cosine in
    odd ones. A fixed offset k is then a rotation of each (sin, cos) pair, so
    "the word just before me" is a simple, position-independent pattern.
    """
    if d_model % 2:
        raise ValueError(f"sinusoidal positions need an even d_model, got {d_model}")
    position = torch.arange(n_positions, dtype=torch.float32)[:, None]
    frequency = 10000.0 ** (-torch.arange(0, d_model, 2, dtype=torch.float32) / d_model)
    table = torch.zeros(n_positions, d_model)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


def start_positions_as_sinusoids(model: nn.Module, scale: float = 0.1) -> nn.Module:
    """Set every learned position table in ``model`` to ``scale`` x ``sinusoidal_positions``.

    Only the starting point changes; the tables stay ordinary trained parameters.
    """
    for module in model.modules():
        if isinstance(module, Embeddings):
            with torch.no_grad():
                module.position.weight.copy_(scale * sinusoidal_positions(*module.position.weight.shape))
    return model


class Embeddings(nn.Module):
    """token + position (+ segment) embeddings, then (post-norm models) a layer norm."""

    def __init__(self, config: TransformerConfig, own_token_table: bool = True):
        super().__init__()
        # An encoder-decoder keeps one token table for both halves and passes it in
        # at forward time (``token_table``), so the weights are stored only once.
        self.token = nn.Embedding(config.vocab_size, config.d_model) if own_token_table else None
        self.position = nn.Embedding(config.max_positions, config.d_model)
        self.segment = (
            nn.Embedding(config.type_vocab_size, config.d_model) if config.type_vocab_size else None
        )
        # BERT normalises the embedding sum because its blocks expect normalised
        # input; a pre-norm model normalises inside each block instead.
        self.norm = (
            nn.LayerNorm(config.d_model, eps=config.layer_norm_eps)
            if config.norm_placement == "post"
            else None
        )
        self.dropout = nn.Dropout(config.dropout)

    def forward(
        self,
        input_ids: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
        token_table: nn.Embedding | None = None,
    ) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        token = token_table if token_table is not None else self.token
        x = token(input_ids) + self.position(positions)[None]
        if self.segment is not None:
            if token_type_ids is None:
                x = x + self.segment.weight[0]  # everything is segment A: no lookup needed
            else:
                x = x + self.segment(token_type_ids)
        elif token_type_ids is not None and bool((token_type_ids != 0).any()):
            raise ValueError(
                "token_type_ids were given, but this model has no segment embeddings "
                "(type_vocab_size=0)."
            )
        if self.norm is not None:
            x = self.norm(x)
        return self.dropout(x)


class FeedForward(nn.Module):
    """Per position: widen to d_ff, apply the nonlinearity, project back to d_model."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.up = nn.Linear(config.d_model, config.d_ff)
        self.down = nn.Linear(config.d_ff, config.d_model)
        self.activation = activation_function(config.activation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(self.activation(self.up(x)))


class TransformerBlock(nn.Module):
    """Self-attention, optional cross-attention (decoder of an encoder-decoder), feed-forward."""

    def __init__(self, config: TransformerConfig, cross_attention: bool = False):
        super().__init__()
        self.pre_norm = config.norm_placement == "pre"
        eps = config.layer_norm_eps
        self.attention = MultiHeadAttention(config)
        self.attention_norm = nn.LayerNorm(config.d_model, eps=eps)
        if cross_attention:
            self.cross_attention = MultiHeadAttention(config, cross=True)
            self.cross_attention_norm = nn.LayerNorm(config.d_model, eps=eps)
        else:
            self.cross_attention = None
        self.feed_forward = FeedForward(config)
        self.feed_forward_norm = nn.LayerNorm(config.d_model, eps=eps)
        self.dropout = nn.Dropout(config.dropout)

    def _residual(self, x, norm, sublayer):
        """x + sublayer(x), with the layer norm before (pre) or after (post)."""
        if self.pre_norm:
            output, weights = sublayer(norm(x))
            return x + self.dropout(output), weights
        output, weights = sublayer(x)
        return norm(x + self.dropout(output)), weights

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None = None,
        is_causal: bool = False,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        return_weights: bool = False,
    ):
        x, self_weights = self._residual(
            x, self.attention_norm, lambda h: self.attention(h, mask, is_causal, None, return_weights)
        )
        cross_weights = None
        if self.cross_attention is not None:
            x, cross_weights = self._residual(
                x,
                self.cross_attention_norm,
                lambda h: self.cross_attention(h, memory_mask, False, memory, return_weights),
            )
        x, _ = self._residual(x, self.feed_forward_norm, lambda h: (self.feed_forward(h), None))
        return x, self_weights, cross_weights
