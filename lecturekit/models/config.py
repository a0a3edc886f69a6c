"""One configuration object for all three lecture architectures.

The same handful of numbers describes BERT, GPT-2 and T5: how many token types
(vocabulary), how long a sequence may be, how wide the vectors are, how many
attention heads and layers. Two switches carry the real differences the lecture
points at: where the layer norm sits (after the residual sum, like the original
Transformer and BERT, or before each sub-layer, like GPT-2) and which GELU the
feed-forward uses.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

NORM_PLACEMENTS = ("post", "pre")
# "gelu" is the exact erf form BERT uses; "gelu_tanh" is the tanh approximation
# GPT-2 uses (Hugging Face calls it "gelu_new").
ACTIVATIONS = ("gelu", "gelu_tanh", "relu")


@dataclass
class TransformerConfig:
    """Sizes and switches of a lecture Transformer.

    ``type_vocab_size`` is the number of segment embeddings (BERT's sentence A/B);
    0 means none. ``n_decoder_layers`` and ``decoder_start_token_id`` are only read
    by the encoder-decoder (``None``: as many decoder layers as encoder layers, and
    the pad token starts every target, as in T5). ``next_sentence_head`` adds BERT's
    next-sentence classifier on [CLS].
    """

    vocab_size: int
    max_positions: int = 128
    d_model: int = 256
    n_heads: int = 4
    n_layers: int = 4
    d_ff: int = 1024
    dropout: float = 0.1
    attention_dropout: float = 0.1
    type_vocab_size: int = 0
    norm_placement: str = "post"
    activation: str = "gelu"
    layer_norm_eps: float = 1e-12
    pad_token_id: int = 0
    initializer_range: float = 0.02
    n_decoder_layers: int | None = None
    decoder_start_token_id: int | None = None
    next_sentence_head: bool = False

    def __post_init__(self) -> None:
        for name in ("vocab_size", "max_positions", "d_model", "n_heads", "n_layers", "d_ff"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"TransformerConfig.{name} must be a positive integer, got {value!r}.")
        if self.d_model % self.n_heads:
            raise ValueError(
                f"d_model={self.d_model} must split evenly into n_heads={self.n_heads} heads "
                f"(each head gets d_model / n_heads dimensions)."
            )
        if self.norm_placement not in NORM_PLACEMENTS:
            raise ValueError(
                f"norm_placement={self.norm_placement!r} is not one of {NORM_PLACEMENTS}: "
                "'post' normalises after each residual sum (BERT), 'pre' before each sub-layer (GPT-2)."
            )
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation={self.activation!r} is not one of {ACTIVATIONS}.")
        for name in ("dropout", "attention_dropout"):
            value = getattr(self, name)
            if not 0.0 <= value < 1.0:
                raise ValueError(f"TransformerConfig.{name} must be in [0, 1), got {value!r}.")
        if self.type_vocab_size < 0:
            raise ValueError(f"type_vocab_size must be >= 0 (0 = no segment embeddings), got {self.type_vocab_size}.")
        for name in ("pad_token_id", "decoder_start_token_id"):
            value = getattr(self, name)
            if value is not None and not 0 <= value < self.vocab_size:
                raise ValueError(f"{name}={value} is not a token id of a {self.vocab_size}-token vocabulary.")
        if self.n_decoder_layers is not None and self.n_decoder_layers < 1:
            raise ValueError(f"n_decoder_layers must be positive (or None), got {self.n_decoder_layers}.")

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads

    # -- presets that copy the real models' choices -------------------------------

    @classmethod
    def bert_like(cls, vocab_size: int, **overrides: Any) -> TransformerConfig:
        """BERT's choices: post-norm, exact GELU, eps 1e-12, two segment types."""
        settings = dict(norm_placement="post", activation="gelu", layer_norm_eps=1e-12, type_vocab_size=2)
        return cls(vocab_size=vocab_size, **{**settings, **overrides})

    @classmethod
    def gpt_like(cls, vocab_size: int, **overrides: Any) -> TransformerConfig:
        """GPT-2's choices: pre-norm, tanh GELU, eps 1e-5, no segments."""
        settings = dict(norm_placement="pre", activation="gelu_tanh", layer_norm_eps=1e-5, type_vocab_size=0)
        return cls(vocab_size=vocab_size, **{**settings, **overrides})

    @classmethod
    def t5_like(cls, vocab_size: int, **overrides: Any) -> TransformerConfig:
        """Encoder-decoder choices close to T5's: pre-norm, no segments (ReLU like T5 v1.0)."""
        settings = dict(norm_placement="pre", activation="relu", layer_norm_eps=1e-6, type_vocab_size=0)
        return cls(vocab_size=vocab_size, **{**settings, **overrides})

    # -- plain dictionaries for config.json ---------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TransformerConfig:
        """Build a config from ``to_dict()`` output; unknown keys are an error, not ignored."""
        if not isinstance(values, dict):
            raise TypeError(f"A TransformerConfig is built from a dict, got {type(values).__name__}.")
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"Unknown TransformerConfig fields: {', '.join(unknown)}. Known fields: {', '.join(sorted(known))}."
            )
        if "vocab_size" not in values:
            raise ValueError("A TransformerConfig needs at least vocab_size.")
        return cls(**values)
