"""How big is a model, and how much compute does training it cost per token?

The lecture's rule of thumb: training costs about 6 x N floating-point operations
per token, N being the number of parameters. Why 6: the forward pass multiplies
every weight once and adds once (2 FLOPs per weight), and the backward pass costs
about twice the forward (gradients for the activations and for the weights).

Attention adds a term that grows with the context length n_ctx: per layer, each
token compares its query with n_ctx keys and mixes n_ctx values, 2 x n_ctx x
d_model FLOPs each in the forward pass, so 3 x 4 x n_layers x n_ctx x d_model for
training. (Kaplan et al. 2020, Table 1, count only the first of the two products;
Hoffmann et al. 2022, Appendix F, count both, as here.) For small models and
long contexts this term is not negligible.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    """Number of distinct parameters (a tied matrix counts once)."""
    seen, total = set(), 0
    for parameter in model.parameters():  # .parameters() already skips repeated tensors
        if trainable_only and not parameter.requires_grad:
            continue
        if id(parameter) not in seen:
            seen.add(id(parameter))
            total += parameter.numel()
    return total


def _embedding_parameters(model: nn.Module) -> int:
    """Parameters that are looked up, not multiplied: token, position, segment tables."""
    return sum(m.weight.numel() for m in model.modules() if isinstance(m, nn.Embedding))


@dataclass(frozen=True)
class FlopsPerToken:
    """Training FLOPs per token: the 6·N term, the attention term, and their sum."""

    n_params: int  # N: parameters used in matrix multiplies (see flops_per_token)
    dense: int  # 6 · N
    attention: int  # 12 · n_layers · n_ctx · d_model (training)
    total: int


def flops_per_token(model: nn.Module, context_length: int, training: bool = True) -> FlopsPerToken:
    """Estimate FLOPs per token for a lecture model (or any model with a ``config``).

    N counts every parameter that is multiplied with an activation: all layers,
    plus the output projection onto the vocabulary (tied to the token embedding,
    so it costs a matrix multiply even though its weights are an embedding table).
    Embedding look-ups are free, and biases and norms are negligible and included.
    ``training=False`` gives the forward pass only (a third of the cost).

    For an encoder-decoder a "token" is one encoder token plus one decoder token
    (inputs and targets of equal length, as in the T5 paper's accounting), and
    each decoder layer attends twice: to itself and, across, to the encoder.
    """
    if context_length < 1:
        raise ValueError(f"context_length must be positive, got {context_length}.")
    config = model.config
    attention_layers = config.n_layers
    if getattr(model, "kind", "") == "encoder-decoder":
        attention_layers += 2 * (config.n_decoder_layers or config.n_layers)
    n_params = count_parameters(model) - _embedding_parameters(model) + config.vocab_size * config.d_model
    factor = 6 if training else 2
    dense = factor * n_params
    attention = factor * 2 * attention_layers * context_length * config.d_model
    return FlopsPerToken(n_params=n_params, dense=dense, attention=attention, total=dense + attention)


def model_on_meta(model_class, config) -> nn.Module:
    """Build a model without allocating its weights (for counting huge configurations)."""
    with torch.device("meta"):
        return model_class(config)
