"""One model interface over the lecture's models, the bundled real models and any
Hugging Face model.

    >>> model = load_model("minilm-l6")
    >>> model.tokenize("Record the record.")

``load_model`` returns a ``LanguageModel`` whose methods (tokenize, fill_mask,
next_token, generate/stream, hidden_states, score, score_candidates) are the same
for every model; a method that does not fit the model's kind says why and what to
use instead.

Modules, from the entry point down:

- ``registry``: the names ``load_model`` knows, and ``load_model`` itself;
- ``lecture`` and ``huggingface``: the two ways a model is loaded; ``tiny``: tiny
  random models for tests and offline demos;
- ``factory``: the right class for a model's kind;
- ``masked_lm``, ``causal_lm``, ``encoder_decoder``, ``encoder``: one class per
  kind, each holding what that kind computes its own way;
- ``model``: ``LanguageModel``, what every kind shares (tokens, padding, the
  forward pass, hidden states, the front of each method);
- ``generation`` (the decoding loop), ``scoring`` (what every kind's scores
  share), ``sampling`` (temperature, top-k, greedy), ``results`` (the data the
  methods return);
- ``kinds`` (which kind answers which method), ``specials`` (special tokens by
  role), ``precision`` (device, dtype, out-of-memory), ``errors``.
"""

from __future__ import annotations

from .errors import (
    HubError,
    InputError,
    ModelNotShippedError,
    NotSupportedError,
    OfflineError,
    OutOfMemoryError,
    UnknownModelError,
)
from .kinds import KINDS
from .model import LanguageModel
from .registry import available_models, load_model, model_names
from .results import HiddenStates, Score

__all__ = [
    "KINDS",
    "HiddenStates",
    "HubError",
    "InputError",
    "LanguageModel",
    "ModelNotShippedError",
    "NotSupportedError",
    "OfflineError",
    "OutOfMemoryError",
    "Score",
    "UnknownModelError",
    "available_models",
    "load_model",
    "model_names",
]
