"""Where things are inside a model: its hidden states, its blocks, its token table.

Fine-tuning needs four things from the network behind a ``LanguageModel``, and
the lecture's own models and Hugging Face models keep them in different places:

- the last layer's vector for every token (``last_hidden``): the lecture models
  return every layer's output when asked; a Hugging Face model's body
  (``base_model``, or the encoder of an encoder-decoder) returns the last one;
- the stack of Transformer blocks (``blocks``), for "train only the top layers";
- the token embedding table (``token_table``), where prompt tuning's virtual tokens go;
- the attention geometry (``attention_geometry``), for prefix tuning's keys and values.

``Adaptation`` is what a fine-tuning method may change about one forward pass:
extra inputs before the text (``inputs``) and positions to drop afterwards
(``strip``). Most methods change nothing.
"""

from __future__ import annotations

import inspect

import torch
from torch import nn

from ..hub.errors import NotSupportedError
from ..models.base import LectureModel


class Adaptation(nn.Module):
    """A method's changes to the forward pass; the default changes nothing."""

    virtual_tokens = 0  # positions the method adds in front of the text

    def inputs(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None) -> dict:
        return {"input_ids": input_ids, "attention_mask": attention_mask}

    def strip(self, hidden: torch.Tensor) -> torch.Tensor:
        return hidden


def is_lecture(module: nn.Module) -> bool:
    return isinstance(module, LectureModel)


def is_hugging_face(module: nn.Module) -> bool:
    return hasattr(module, "base_model_prefix") and hasattr(module, "get_input_embeddings")


def family(module: nn.Module) -> str:
    if is_lecture(module):
        return "lecture"
    return "huggingface" if is_hugging_face(module) else "other"


def body(module: nn.Module, kind: str) -> nn.Module:
    """The part of a Hugging Face model that produces the hidden states (no LM head)."""
    if kind == "encoder-decoder":
        return module.get_encoder()
    return module.base_model


def cache_argument(forward) -> str | None:
    """What this forward calls its key/value cache (transformers 5: ``cache``), or None."""
    parameters = inspect.signature(forward).parameters
    for name in ("cache", "past_key_values"):
        if name in parameters:
            return name
    return None


def last_hidden(module: nn.Module, kind: str, inputs: dict, name: str = "this model") -> torch.Tensor:
    """The last layer's vectors, (batch, positions, width), for the given forward inputs."""
    if is_lecture(module) and kind == "encoder-decoder":
        return module.encode(inputs["input_ids"], inputs.get("attention_mask"))[0]
    if is_hugging_face(module):
        output = body(module, kind)(**inputs)
        hidden = getattr(output, "last_hidden_state", None)
    else:
        output = module(**inputs, output_hidden_states=True)
        layers = getattr(output, "encoder_hidden_states", None) or getattr(output, "hidden_states", None)
        hidden = layers[-1] if layers else None
    if hidden is None:
        raise NotSupportedError(
            f"{name} gives no hidden states (its forward returned {type(output).__name__} without "
            "hidden_states), so there is no vector to put a classifier on."
        )
    return hidden


def blocks(module: nn.Module, kind: str) -> nn.ModuleList:
    """The Transformer blocks whose outputs the classifier reads, bottom to top."""
    if is_lecture(module):
        stack = module.encoder if hasattr(module, "encoder") else module.decoder
        return stack.blocks
    root = body(module, kind) if is_hugging_face(module) else module
    lists = [m for m in root.modules() if isinstance(m, nn.ModuleList) and len(m) > 0]
    if not lists:
        raise NotSupportedError("Cannot find this model's stack of Transformer blocks.")
    # The stack is the longest list of identical modules (BERT's encoder.layer, GPT-2's h, Llama's layers).
    return max(lists, key=lambda m: (len(m), sum(p.numel() for p in m.parameters())))


def reading_root(module: nn.Module, kind: str) -> nn.Module:
    """The smallest part of the network the hidden states come from (not the LM head, not
    an encoder-decoder's decoder): where LoRA looks for its layers."""
    if is_lecture(module):
        return blocks(module, kind)
    return body(module, kind) if is_hugging_face(module) else module


def reading_parameters(module: nn.Module, kind: str) -> list[nn.Parameter]:
    """The parameters the hidden states depend on: what full fine-tuning trains."""
    if is_lecture(module):
        if kind == "encoder-decoder":
            parts = [module.token, module.encoder_embeddings, module.encoder]
        else:
            parts = [module.embeddings, module.encoder if hasattr(module, "encoder") else module.decoder]
        return [p for part in parts for p in part.parameters()]
    return list(reading_root(module, kind).parameters())


def token_table(module: nn.Module) -> nn.Embedding:
    if is_lecture(module):
        return module.embeddings.token
    return module.get_input_embeddings()


def set_token_table(module: nn.Module, table: nn.Module) -> None:
    if is_lecture(module):
        module.embeddings.token = table
    else:
        module.set_input_embeddings(table)


def attention_geometry(module: nn.Module) -> tuple[int, int, int]:
    """(layers, key/value heads, head width) of the self-attention in every block."""
    config = module.config
    if is_lecture(module):
        return config.n_layers, config.n_heads, config.head_dim
    if hasattr(config, "get_text_config"):
        config = config.get_text_config()
    heads = config.num_attention_heads
    kv_heads = getattr(config, "num_key_value_heads", None) or heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    return config.num_hidden_layers, kv_heads, head_dim
