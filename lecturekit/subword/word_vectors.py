"""One vector for a word that the tokenizer cut into several pieces.

A transformer gives one contextual vector per *piece*. When we need one per
word (to compare words, or to label them), the usual choices are the average of
the pieces' vectors or the vector of one piece (the first or the last); which is
better depends on the use. Here with MiniLM (bert-base-uncased's WordPiece).
"""

from __future__ import annotations

from functools import lru_cache

import torch

from ._text import as_text

POOLINGS = ("mean", "first", "last")


@lru_cache(maxsize=1)
def _minilm():
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging

    from lecturekit.bundled import minilm_dir

    logging.disable_progress_bar()  # a progress bar in a notebook output is noise

    folder = str(minilm_dir())
    return AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder).eval()


def word_pieces_and_vectors(sentence: str, word_index: int) -> tuple[list[str], torch.Tensor]:
    """The pieces of the ``word_index``-th word of ``sentence`` and their contextual vectors."""
    tokenizer, model = _minilm()
    words = as_text(sentence).split()
    if not 0 <= word_index < len(words):
        raise IndexError(
            f"the sentence has {len(words)} words; word_index {word_index} is out of range"
        )
    encoding = tokenizer(words, is_split_into_words=True, return_tensors="pt", truncation=True)
    with torch.no_grad():
        hidden = model(**encoding).last_hidden_state[0]
    positions = [i for i, w in enumerate(encoding.word_ids()) if w == word_index]
    if not positions:
        raise ValueError(
            f"word {words[word_index]!r} has no tokens (only characters BERT removes?)"
        )
    pieces = tokenizer.convert_ids_to_tokens(encoding["input_ids"][0, positions].tolist())
    return pieces, hidden[positions]


def word_vector(sentence: str, word_index: int, pooling: str = "mean") -> torch.Tensor:
    """One vector for a word: the mean of its pieces' vectors, or its first or last piece's."""
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}, not {pooling!r}")
    _, vectors = word_pieces_and_vectors(sentence, word_index)
    return {"mean": vectors.mean(0), "first": vectors[0], "last": vectors[-1]}[pooling]
