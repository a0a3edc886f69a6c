"""A labelled training set, checked and turned into token ids the model can read.

Labels can be any hashable values ("positive", 0, True, ...): they are mapped to
class numbers 0..k-1 in sorted order (first-seen order when they do not sort).
A text longer than the model's context is cut to fit, keeping its beginning
(where BERT's [CLS] stands), and the result says so once.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence

import torch

from ..hub.batching import pad_rows
from ..hub.errors import InputError


def check_texts(texts, what: str = "texts") -> list[str]:
    if isinstance(texts, str):
        raise TypeError(f"{what} must be a list of strings; got one string (wrap it in a list).")
    if not isinstance(texts, Sequence) or not all(isinstance(t, str) for t in texts):
        raise TypeError(f"{what} must be a list of strings.")
    return list(texts)


def check_examples(texts, labels) -> tuple[list[str], list]:
    """The texts and labels as lists, after the checks a learner's first try needs."""
    texts = check_texts(texts)
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise TypeError("labels must be a list with one label per text.")
    labels = list(labels)
    if len(texts) != len(labels):
        raise ValueError(f"There are {len(texts)} texts but {len(labels)} labels: give exactly one label per text.")
    if not texts:
        raise ValueError("The training set is empty: give at least one text per class.")
    unhashable = [label for label in labels if not isinstance(label, Hashable)]
    if unhashable:
        raise TypeError(f"Labels must be hashable values such as strings or numbers; got {unhashable[0]!r}.")
    return texts, labels


def label_classes(labels: list) -> list:
    """The distinct labels, in the order of the classifier's outputs; at least two."""
    distinct = list(dict.fromkeys(labels))
    if len(distinct) < 2:
        raise ValueError(
            f"Every label is {distinct[0]!r}: a classifier needs examples of at least two classes "
            "(with one class there is nothing to learn)."
        )
    try:
        return sorted(distinct)
    except TypeError:  # labels of mixed types: keep the order they first appear in
        return distinct


def label_ids(labels: list, classes: list) -> torch.Tensor:
    index = {label: i for i, label in enumerate(classes)}
    unknown = [label for label in labels if label not in index]
    if unknown:
        raise ValueError(f"Label {unknown[0]!r} is not one of the classes the model was trained on: {classes}.")
    return torch.tensor([index[label] for label in labels], dtype=torch.long)


def encode(model, texts: list[str], max_tokens: int) -> tuple[list[list[int]], int]:
    """(token ids per text, cut to ``max_tokens``; how many texts were cut)."""
    rows = [list(e.ids) for e in model.tokenizer.encode_batch(texts)] if texts else []
    start = model.specials.start_of_text() if model.kind == "causal-lm" else None
    for i, row in enumerate(rows):
        if not row:
            if start is None:
                raise InputError(f"The text {texts[i]!r} gives {model.name} no tokens to read.")
            rows[i] = [start]  # an empty text is a document that has only begun
    cut = sum(len(row) > max_tokens for row in rows)
    return [row[:max_tokens] for row in rows], cut


def truncation_note(cut: int, total: int, max_tokens: int, name: str) -> str | None:
    """Say once that texts were cut (a warning, and a note kept with the result)."""
    if not cut:
        return None
    note = (f"{cut} of {total} texts were longer than the {max_tokens} tokens {name} can read here "
            f"and were cut to their first {max_tokens} tokens.")
    warnings.warn(note, stacklevel=3)
    return note


def batch(rows: list[list[int]], pad_id: int | None, device: torch.device) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Right-padded ids and the attention mask (None when no row is padded: the fast path)."""
    ids, mask = pad_rows(rows, pad_id, device)
    return ids, (None if bool(mask.all()) else mask)
