"""Counting a training step's FLOPs with PyTorch's own counter, to see the 2 + 4.

``torch.utils.flop_counter.FlopCounterMode`` records every matrix product a model
runs. For one batch, the forward pass should cost about 2 FLOPs per parameter per
token and the backward pass twice that. (Whether the counter also sees attention's
own products, which grow with the context length, depends on the attention kernel
PyTorch picks; for lecture-gpt on the CPU it does not. ``compute.chinchilla_flops``
counts them.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MeasuredStep:
    forward: int  # FLOPs
    backward: int
    tokens: int
    parameters: int

    @property
    def forward_per_parameter_per_token(self) -> float:
        return self.forward / (self.parameters * self.tokens)

    @property
    def backward_per_parameter_per_token(self) -> float:
        return self.backward / (self.parameters * self.tokens)


def measure_training_step(model, input_ids) -> MeasuredStep:
    """FLOPs of one forward and one backward pass of a causal LM on ``input_ids``."""
    from torch.utils.flop_counter import FlopCounterMode

    from ..models import count_parameters

    model.train()
    model.zero_grad(set_to_none=True)
    input_ids = input_ids.to(next(model.parameters()).device)  # a count, the same on any device
    forward = FlopCounterMode(display=False)
    with forward:
        loss = model(input_ids=input_ids, labels=input_ids).loss
    backward = FlopCounterMode(display=False)
    with backward:
        loss.backward()
    model.zero_grad(set_to_none=True)
    return MeasuredStep(forward.get_total_flops(), backward.get_total_flops(), int(input_ids.numel()),
                        count_parameters(model))
