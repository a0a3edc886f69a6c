"""Lecture §2, from static to contextual representations: the mathematics behind the explorer.

- ``pool``, ``POOLINGS``: one vector for a word cut into pieces (mean, first or last piece).
- ``occurrence_vectors`` -> ``Occurrences``: a word's static and per-layer contextual
  vectors in several sentences (``find_word``, ``word_pieces`` locate it).
- ``word_vector``, ``word_pieces_and_vectors``: the vector of the i-th word of one sentence.
- ``cosine_matrix``, ``sense_separation``, ``cluster_occurrences``: do the vectors group
  the occurrences by sense?

``lecturekit.widgets.contextual_embeddings`` draws these; notebook 02 runs them.
"""

from .occurrences import (
    Occurrences,
    find_word,
    occurrence_vectors,
    word_pieces,
    word_pieces_and_vectors,
    word_vector,
)
from .pooling import POOLINGS, check_pooling, pool
from .similarity import cluster_occurrences, cosine_matrix, sense_separation

__all__ = [
    "POOLINGS",
    "Occurrences",
    "check_pooling",
    "cluster_occurrences",
    "cosine_matrix",
    "find_word",
    "occurrence_vectors",
    "pool",
    "sense_separation",
    "word_pieces",
    "word_pieces_and_vectors",
    "word_vector",
]
