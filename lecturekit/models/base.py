"""What the three lecture models share around the Transformer: outputs, input checks, loss, saving.

The layers they are stacked from are in ``layers.py``; the models themselves
(``bert.py``, ``gpt.py``, ``t5.py``) only say how they embed, which mask they use
and which head sits on top.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn

from lecturekit.models.config import TransformerConfig

# The label meaning "no loss at this position": PyTorch's cross_entropy ignores -100 by
# default and Hugging Face uses it too. The objectives write it, cross_entropy skips it.
IGNORE_INDEX = -100
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
FORMAT_VERSION = 1


@dataclass
class LectureModelOutput:
    """What a forward pass returns; fields a model does not compute stay ``None``.

    ``hidden_states`` is (embedding output, layer 1 output, ..., last layer output),
    the last one after the final layer norm in pre-norm models, as in Hugging Face.
    For the encoder-decoder it is the decoder's; the encoder's are
    ``encoder_hidden_states``.
    """

    logits: torch.Tensor
    loss: torch.Tensor | None = None
    hidden_states: tuple[torch.Tensor, ...] | None = None
    attentions: tuple[torch.Tensor, ...] | None = None
    # BERT's two pretraining losses, kept apart so a notebook can plot each
    mlm_loss: torch.Tensor | None = None
    nsp_loss: torch.Tensor | None = None
    nsp_logits: torch.Tensor | None = None
    # encoder-decoder only
    encoder_last_hidden_state: torch.Tensor | None = None
    encoder_hidden_states: tuple[torch.Tensor, ...] | None = None
    encoder_attentions: tuple[torch.Tensor, ...] | None = None
    cross_attentions: tuple[torch.Tensor, ...] | None = None


def check_input_ids(input_ids: torch.Tensor, config: TransformerConfig, name: str = "input_ids") -> None:
    """Turn the usual obscure indexing errors into messages that say what is wrong."""
    if not isinstance(input_ids, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of token ids, got {type(input_ids).__name__}.")
    if input_ids.dim() != 2:
        raise ValueError(
            f"{name} must have shape (batch, sequence_length), got shape {tuple(input_ids.shape)}; "
            "for one sequence use ids[None]."
        )
    if input_ids.dtype not in (torch.long, torch.int32):
        raise TypeError(f"{name} must hold integer token ids (int64 or int32), got dtype {input_ids.dtype}.")
    if input_ids.shape[1] == 0:
        raise ValueError(f"{name} is empty: a sequence needs at least one token.")
    if input_ids.shape[1] > config.max_positions:
        raise ValueError(
            f"{name} has {input_ids.shape[1]} tokens but the model has position embeddings for "
            f"only max_positions={config.max_positions}; truncate the text."
        )
    low, high = int(input_ids.min()), int(input_ids.max())
    if low < 0 or high >= config.vocab_size:
        raise ValueError(
            f"{name} contains token id {low if low < 0 else high}, outside the vocabulary "
            f"0..{config.vocab_size - 1}: was the text encoded with another tokenizer?"
        )


def check_attention_mask(attention_mask: torch.Tensor | None, input_ids: torch.Tensor, name="attention_mask"):
    if attention_mask is not None and tuple(attention_mask.shape) != tuple(input_ids.shape):
        raise ValueError(
            f"{name} has shape {tuple(attention_mask.shape)} but the ids have shape "
            f"{tuple(input_ids.shape)}; it needs one value per token."
        )


def check_prefix_lengths(prefix_lengths, input_ids: torch.Tensor) -> torch.Tensor | None:
    """One prefix length per sequence, each in 0..n, as a tensor on the ids' device."""
    if prefix_lengths is None:
        return None
    batch, n = input_ids.shape
    prefix_lengths = torch.as_tensor(prefix_lengths, device=input_ids.device).reshape(-1)
    if prefix_lengths.shape[0] != batch:
        raise ValueError(f"prefix_lengths needs one length per sequence ({batch}).")
    if bool((prefix_lengths < 0).any() or (prefix_lengths > n).any()):
        raise ValueError(f"prefix_lengths must lie in 0..{n}, got {prefix_lengths.tolist()}.")
    return prefix_lengths


def cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over positions whose label is not -100.

    If no position carries a label (a short text where masking chose nothing), the
    loss is a zero that still has a gradient, instead of the NaN of a mean over
    nothing, so one unlucky batch cannot poison training.
    """
    labels = labels.to(logits.device)
    if not bool((labels != IGNORE_INDEX).any()):
        return logits.sum() * 0.0
    return F.cross_entropy(
        logits.reshape(-1, logits.shape[-1]).float(), labels.reshape(-1), ignore_index=IGNORE_INDEX
    )


class LectureModel(nn.Module):
    """Base class: weight initialisation, parameter access and saving."""

    architecture = "LectureModel"
    kind = "model"

    def __init__(self, config: TransformerConfig):
        super().__init__()
        if not isinstance(config, TransformerConfig):
            raise TypeError(f"{type(self).__name__} needs a TransformerConfig, got {type(config).__name__}.")
        self.config = config

    def init_weights(self) -> None:
        """BERT's and GPT-2's initialisation: N(0, 0.02) weights, zero biases, unit norms."""
        std = self.config.initializer_range
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, mean=0.0, std=std)
                if getattr(module, "bias", None) is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.LayerNorm):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    def save_pretrained(self, folder: str | Path) -> Path:
        """Write ``config.json`` and ``model.safetensors`` into ``folder`` (created if needed)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        config = self.config.to_dict()
        header = {"architecture": self.architecture, "format_version": FORMAT_VERSION}
        (folder / CONFIG_FILE).write_text(json.dumps({**header, **config}, indent=2) + "\n")
        weights = {name: tensor.detach().cpu().contiguous() for name, tensor in self.state_dict().items()}
        # The configuration also goes into the weights file's own header, so a
        # config.json edited or swapped later is caught when loading.
        metadata = {**{k: str(v) for k, v in header.items()}, "config": json.dumps(config, sort_keys=True)}
        save_file(weights, str(folder / WEIGHTS_FILE), metadata=metadata)
        return folder
