"""A classifier on top of a pretrained model: one vector per text, one linear layer.

The lecture's recipe (§4, §6): drop the language-model head and put a linear
classifier on one position's vector.

- An encoder reads the whole text at every position, so the first token's vector
  (BERT's [CLS]) can stand for it: ``pooling="first"``.
- A decoder's token t sees only tokens 0..t, so only the *last* real token has
  read the whole text: ``pooling="last"``. With right padding that is the last
  position the attention mask marks as real, not the last column.
- ``pooling="mean"`` averages the real tokens' vectors (the default for an
  encoder-decoder's encoder, which has no [CLS]).

``build_network`` copies the loaded model's network (the learner's model stays at
θ̂), prepares the copy for a fine-tuning method and puts the new head on top.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from ..hub.errors import NotSupportedError
from ..hub.kinds import not_supported_message
from ..runtime import device as default_device
from .backbone import Adaptation, family, last_hidden
from .methods import applies, check_options, prepare

POOLINGS = ("first", "last", "mean")
DEFAULT_POOLING = {"masked-lm": "first", "encoder": "first", "causal-lm": "last", "encoder-decoder": "mean"}


def pool(hidden: torch.Tensor, attention_mask: torch.Tensor | None, pooling: str) -> torch.Tensor:
    """(batch, positions, width) -> (batch, width): one vector per text."""
    if pooling == "first":
        return hidden[:, 0]
    if pooling == "last":
        if attention_mask is None:
            return hidden[:, -1]
        last = attention_mask.long().sum(dim=1) - 1  # right padding: the last real token
        return hidden[torch.arange(hidden.shape[0], device=hidden.device), last]
    if pooling == "mean":
        if attention_mask is None:
            return hidden.mean(dim=1)
        weights = attention_mask.to(hidden.dtype)[..., None]
        return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
    raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}; got {pooling!r}.")


class SequenceClassifier(nn.Module):
    """network -> last hidden states -> one vector per text -> class logits."""

    def __init__(self, network: nn.Module, adaptation: Adaptation, head: nn.Linear, kind: str,
                 pooling: str, name: str = "this model"):
        super().__init__()
        self.network, self.adaptation, self.head = network, adaptation, head
        self.kind, self.pooling, self.name = kind, pooling, name

    def features(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None) -> torch.Tensor:
        inputs = self.adaptation.inputs(input_ids, attention_mask)
        hidden = self.adaptation.strip(last_hidden(self.network, self.kind, inputs, self.name))
        return pool(hidden, attention_mask, self.pooling)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        return self.head(self.features(input_ids, attention_mask).to(self.head.weight.dtype))


def check_model(model) -> None:
    """A model from ``load_model`` whose kind gives hidden states."""
    if not all(hasattr(model, a) for a in ("module", "tokenizer", "kind", "max_length")):
        raise TypeError(f"Fine-tuning needs a model from lecturekit.load_model; got {type(model).__name__}.")
    message = not_supported_message("hidden_states", model.name, model.kind)
    if message is not None:
        raise NotSupportedError(message)


def build_network(model, method: str, n_classes: int, *, pooling: str | None = None, seed: int = 0,
                  device: torch.device | None = None, copy_model: bool = True,
                  **options) -> tuple[SequenceClassifier, dict]:
    """A trainable classifier for ``method`` over (a copy of) ``model``'s network; and its settings.

    ``device`` defaults to ``lecturekit.device()``. ``copy_model=False`` fine-tunes the loaded model's own network in place (saves
    memory on a GPU; the model no longer holds the pretrained θ̂ afterwards).
    """
    check_model(model)
    check_options(method, options)  # fail before copying anything
    reason = applies(method, model.kind, family(model.module))
    if reason is not None:
        raise NotSupportedError(f"{model.name}: {reason}")
    pooling = pooling or DEFAULT_POOLING[model.kind]
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}; got {pooling!r}.")
    device = torch.device(device) if device is not None else default_device()
    network = copy.deepcopy(model.module) if copy_model else model.module
    # Master weights in float32 (a GPU then computes in bfloat16 under autocast).
    network = network.to(device=device, dtype=torch.float32)
    adaptation, settings = prepare(network, method, model.kind, max_length=model.max_length, seed=seed,
                                   name=model.name, **options)
    adaptation.to(device)
    width = _width(network, adaptation, model, device)
    head = nn.Linear(width, n_classes, device=device)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():  # BERT's classifier start: small random weights, zero bias
        head.weight.copy_(torch.randn(head.weight.shape, generator=generator) * 0.02)
        head.bias.zero_()
    classifier = SequenceClassifier(network, adaptation, head, model.kind, pooling, model.name)
    return classifier, settings


@torch.no_grad()
def _width(network: nn.Module, adaptation: Adaptation, model, device) -> int:
    """The hidden-state width, read from one short forward pass (which also proves there are hidden states)."""
    ids = model.tokenizer.encode("a").ids or [model.specials.start_of_text() or 0]
    was_training = network.training
    network.eval()
    inputs = adaptation.inputs(torch.tensor([ids], device=device), None)
    hidden = last_hidden(network, model.kind, inputs, model.name)
    network.train(was_training)
    return int(hidden.shape[-1])
