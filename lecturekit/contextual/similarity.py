"""Similarity: do a word's contextual vectors group its occurrences by sense?

The lecture's experiment: compare the vectors of "record" (verb) and "record" (noun)
across sentences with cosine similarity. The static input embedding is identical in
every sentence (similarity 1 everywhere); if a layer separates the senses,
occurrences of one sense are more alike than occurrences of different senses, and
clustering the occurrences recovers the senses without being told them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from .occurrences import Occurrences


def cosine_matrix(vectors: torch.Tensor) -> np.ndarray:
    """Cosine similarity of every pair of rows."""
    # In float64 and clamped, so that rounding never shows a similarity above 1.
    unit = torch.nn.functional.normalize(vectors.double(), dim=-1)
    return (unit @ unit.T).clamp(-1, 1).numpy()


def sense_separation(occurrences: Occurrences, senses: list[str]) -> pd.DataFrame:
    """Per layer: mean similarity within a sense, across senses, and the gap between them.

    A positive gap means the layer's vectors group the occurrences by sense.
    """
    senses = list(senses)
    if len(senses) != len(occurrences.sentences):
        raise ValueError(f"Give one sense label per sentence ({len(occurrences.sentences)}).")
    same = np.equal.outer(senses, senses)
    off_diagonal = ~np.eye(len(senses), dtype=bool)  # an occurrence is trivially like itself
    if not (same & off_diagonal).any() or not (~same).any():
        raise ValueError("Need at least two occurrences of one sense and one of another.")
    rows = []
    for label, vectors in [("static", occurrences.static)] + [
        (str(layer), occurrences.layers[layer]) for layer in range(occurrences.num_layers + 1)
    ]:
        similarity = cosine_matrix(vectors)
        within = similarity[same & off_diagonal].mean()
        across = similarity[~same].mean()
        rows.append({"layer": label, "within sense": within, "across senses": across, "gap": within - across})
    return pd.DataFrame(rows)


def cluster_occurrences(similarity: np.ndarray, n_clusters: int = 2) -> list[int]:
    """Group occurrences by average-linkage agglomerative clustering on cosine similarity.

    Start with each occurrence alone; repeatedly merge the two groups whose members
    are most similar on average (the same merges as scipy's ``linkage(method="average")``
    on cosine distances). Groups are numbered in order of first appearance.
    """
    count = len(similarity)
    if not 1 <= n_clusters <= count:
        raise ValueError(f"n_clusters must be between 1 and {count}; got {n_clusters}.")
    groups = [[i] for i in range(count)]
    while len(groups) > n_clusters:
        best, pair = -np.inf, (0, 1)
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                linkage = similarity[np.ix_(groups[a], groups[b])].mean()
                if linkage > best:
                    best, pair = linkage, (a, b)
        a, b = pair
        groups[a] = groups[a] + groups.pop(b)
    labels = [0] * count
    for number, group in enumerate(sorted(groups, key=min)):
        for member in group:
            labels[member] = number
    return labels
