"""The building blocks every lecture Transformer is stacked from.

- ``Embeddings``: a token's input vector is its token embedding plus the embedding
  of its position plus (BERT) the embedding of its segment, added elementwise, so
  every layer keeps one width, d_model.
- ``FeedForward``: the position-wise two-layer network with GELU in between.
- ``TransformerBlock``: attention and feed-forward, each wrapped in a residual
  connection and a layer norm. Where the norm goes is the difference between BERT
  ("post": normalise the sum after each residual) and GPT-2 ("pre": normalise the
  input of each sub-layer, and once more at the very end), which trains more
  stably in deep stacks. Both are written out in ``TransformerBlock.forward``.
- ``Stack``: the blocks one after the other, collecting what a notebook may want
  to look at (every layer's hidden states and attention weights).
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

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None = None,
        is_causal: bool = False,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        return_weights: bool = False,
    ):
        """(new x, self-attention weights, cross-attention weights); weights only if asked."""
        cross_weights = None
        if self.pre_norm:  # GPT-2: x = x + sublayer(norm(x)); the residual sum itself is not normalised
            attended, self_weights = self.attention(
                self.attention_norm(x), mask, is_causal, return_weights=return_weights
            )
            x = x + self.dropout(attended)
            if self.cross_attention is not None:
                read, cross_weights = self.cross_attention(
                    self.cross_attention_norm(x), memory_mask, memory=memory, return_weights=return_weights
                )
                x = x + self.dropout(read)
            x = x + self.dropout(self.feed_forward(self.feed_forward_norm(x)))
        else:  # BERT: x = norm(x + sublayer(x))
            attended, self_weights = self.attention(x, mask, is_causal, return_weights=return_weights)
            x = self.attention_norm(x + self.dropout(attended))
            if self.cross_attention is not None:
                read, cross_weights = self.cross_attention(
                    x, memory_mask, memory=memory, return_weights=return_weights
                )
                x = self.cross_attention_norm(x + self.dropout(read))
            x = self.feed_forward_norm(x + self.dropout(self.feed_forward(x)))
        return x, self_weights, cross_weights


class Stack(nn.Module):
    """n_layers Transformer blocks, plus the final layer norm of pre-norm models."""

    def __init__(self, config: TransformerConfig, n_layers: int, cross_attention: bool = False):
        super().__init__()
        self.blocks = nn.ModuleList(TransformerBlock(config, cross_attention) for _ in range(n_layers))
        # Pre-norm blocks leave the residual stream unnormalised, so it is normalised
        # once at the end (GPT-2's ln_f); post-norm blocks already end on a norm.
        self.final_norm = (
            nn.LayerNorm(config.d_model, eps=config.layer_norm_eps)
            if config.norm_placement == "pre"
            else None
        )

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None = None,
        is_causal: bool = False,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        output_hidden_states: bool = False,
        output_attentions: bool = False,
    ):
        """(last hidden state, hidden states, attentions, cross-attentions); the tuples only if asked."""
        hidden_states, attentions, cross_attentions = [x], [], []
        for block in self.blocks:
            x, self_weights, cross_weights = block(x, mask, is_causal, memory, memory_mask, output_attentions)
            if output_hidden_states:  # kept only when asked: every layer's output is a lot of memory
                hidden_states.append(x)
            attentions.append(self_weights)
            cross_attentions.append(cross_weights)
        if self.final_norm is not None:
            x = self.final_norm(x)
        if output_hidden_states:
            hidden_states[-1] = x  # as in Hugging Face: the last one after the final norm
        return (
            x,
            tuple(hidden_states) if output_hidden_states else None,
            tuple(attentions) if output_attentions else None,
            tuple(cross_attentions) if output_attentions and memory is not None else None,
        )
