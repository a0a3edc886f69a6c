"""One model interface over the lecture's models, the bundled real models and any
Hugging Face model.

    >>> model = load_model("minilm-l6")
    >>> model.tokenize("Record the record.")

``load_model`` returns a ``LanguageModel`` whose methods (tokenize, fill_mask,
next_token, generate/stream, hidden_states, score, score_candidates) are the same
for every model; a method that does not fit the model's kind says why and what to
use instead. Modules: ``registry`` (names), ``model`` (the interface), ``kinds``,
``specials`` (special tokens by role), ``sampling``, ``precision`` (device, dtype,
out-of-memory), ``huggingface`` and ``lecture`` (the two ways a model is loaded),
``tiny`` (tiny random models for tests and offline demos), ``exercises``
(the checks of notebook 02).
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
from .model import HiddenStates, LanguageModel, Score
from .registry import available_models, load_model, model_names

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
