"""What the model methods hand back: plain data, the same for every kind of model.

``Tokens`` is one tokenised text as the methods work with it; ``HiddenStates`` and
``Score`` are what ``hidden_states`` and ``score`` return.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import torch


@dataclass
class Tokens:
    """One tokenised text: ids with the character span each token came from."""

    ids: list[int]
    tokens: list[str]
    spans: list[tuple[int, int]]
    special: list[bool]

    def table(self, text: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "token": self.tokens,
                "id": self.ids,
                "start": [s for s, _ in self.spans],
                "end": [e for _, e in self.spans],
                "text": [text[s:e] for s, e in self.spans],
                "special": self.special,
            }
        )


@dataclass
class HiddenStates:
    """Every layer's vector for every token of one text.

    ``layers[0]`` is what enters the first Transformer block (input embeddings,
    plus position embeddings in BERT-style models); ``layers[i]`` is block i's
    output. Shape: (number of layers + 1, number of tokens, model dimension).
    """

    tokens: pd.DataFrame
    layers: torch.Tensor


@dataclass
class Score:
    """How likely the model finds a text: per-token log-probabilities and perplexity.

    For a masked LM these are pseudo-log-likelihoods (each token predicted with
    only itself masked), so the perplexity is a pseudo-perplexity: comparable
    between texts for one model, not with a causal LM's perplexity.
    """

    tokens: pd.DataFrame
    log_prob: float
    perplexity: float
    pseudo: bool = False
