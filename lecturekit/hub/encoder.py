"""An encoder without a language-model head (all-MiniLM-L6-v2, BertModel) behind the interface.

It has no head to turn a vector into token probabilities, so it answers only
``tokenize`` and ``hidden_states`` (what every model shares); every other method
says so and names a model that can answer it. The lecture uses it for contextual
embeddings: the same word, a different vector in each sentence.
"""

from __future__ import annotations

from .model import LanguageModel


class Encoder(LanguageModel):
    kind = "encoder"
