"""Occurrences: the vectors one word gets where it occurs, one per use, layer by layer.

word2vec gives "record" one vector whether it is the verb or the noun. A pretrained
Transformer starts from such a static vector too (a row of its input embedding
matrix), but every layer mixes in the surrounding words, so each occurrence ends
with its own contextual vector. Works with any lecturekit model that has
``hidden_states`` (see ``lecturekit.hub``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import torch

from ..hub import load_model
from ..text import as_text
from .pooling import check_pooling, pool


def find_word(sentence: str, word: str) -> tuple[int, int]:
    """Character span of the first whole-word occurrence of ``word`` (any case)."""
    if not isinstance(word, str) or not word.strip():
        raise ValueError("Pick a word: it is empty.")
    # Whole words only: "record" must not match inside "recorder".
    match = re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", sentence, flags=re.IGNORECASE)
    if match is None:
        raise ValueError(f"{word.strip()!r} does not occur as a word in {sentence!r}.")
    return match.span()


def word_pieces(tokens: pd.DataFrame, start: int, end: int) -> list[int]:
    """Positions of the tokens that cover characters start..end (a word may be several pieces)."""
    covering = tokens[(~tokens.special) & (tokens.start < end) & (tokens.end > start)]
    return covering.index.tolist()


@dataclass
class Occurrences:
    """The vectors of one word, one row per sentence it occurs in."""

    sentences: list[str]
    word: str
    pieces: list[list[str]]  # the tokens the word became in each sentence
    static: torch.Tensor  # (sentences, dim): pooled rows of the input embedding matrix
    layers: torch.Tensor  # (layers + 1, sentences, dim): pooled hidden states

    @property
    def num_layers(self) -> int:
        return self.layers.shape[0] - 1


def occurrence_vectors(model, sentences, word: str, pooling: str = "mean") -> Occurrences:
    """Static and contextual vectors of ``word`` in each sentence, for any lecturekit model."""
    check_pooling(pooling)
    sentences = [s for s in sentences if isinstance(s, str) and s.strip()]
    if not sentences:
        raise ValueError("Give at least one sentence.")
    spans = [find_word(s, word) for s in sentences]
    states = model.hidden_states(sentences)
    embedding_matrix = model.input_embeddings
    pieces, static, layers = [], [], []
    for (start, end), state in zip(spans, states, strict=True):
        positions = word_pieces(state.tokens, start, end)
        pieces.append(state.tokens.token[positions].tolist())
        # The static vector is what the word was before any context: its pieces' embedding rows.
        ids = torch.tensor(state.tokens.id[positions].tolist(), device=embedding_matrix.device)
        static.append(pool(embedding_matrix[ids].float().cpu(), list(range(len(positions))), pooling))
        layers.append(pool(state.layers, positions, pooling))
    return Occurrences(sentences, word.strip(), pieces, torch.stack(static), torch.stack(layers, dim=1))


@lru_cache(maxsize=1)
def _minilm():
    # MiniLM (bert-base-uncased's WordPiece) on the CPU in float32, whatever the machine:
    # a few short sentences take milliseconds, and the notebook's rounded table comes out
    # the same on a laptop and on a GPU box.
    return load_model("minilm-l6", device="cpu", dtype="float32")


def word_pieces_and_vectors(sentence: str, word_index: int, model=None) -> tuple[list[str], torch.Tensor]:
    """The pieces of the ``word_index``-th word of ``sentence`` and their last-layer vectors.

    Words are what ``sentence.split()`` gives; ``model`` defaults to MiniLM.
    """
    sentence = as_text(sentence)
    spans = [match.span() for match in re.finditer(r"\S+", sentence)]  # the words of str.split()
    if not 0 <= word_index < len(spans):
        raise IndexError(
            f"the sentence has {len(spans)} words; word_index {word_index} is out of range"
        )
    states = (model or _minilm()).hidden_states(sentence)
    positions = word_pieces(states.tokens, *spans[word_index])
    if not positions:
        start, end = spans[word_index]
        raise ValueError(
            f"word {sentence[start:end]!r} has no tokens (only characters BERT removes?)"
        )
    return states.tokens.token[positions].tolist(), states.layers[-1, positions]


def word_vector(sentence: str, word_index: int, pooling: str = "mean", model=None) -> torch.Tensor:
    """One vector for the ``word_index``-th word: its pieces' last-layer vectors pooled."""
    check_pooling(pooling)
    _, vectors = word_pieces_and_vectors(sentence, word_index, model)
    return pool(vectors, list(range(len(vectors))), pooling)
