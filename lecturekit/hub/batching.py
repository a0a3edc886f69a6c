"""Many texts through one forward pass: one text or a list, chunks, padding.

Every model method takes one text (and returns one result) or a list of texts
(and returns a list). Lists go through the model in chunks of ``BATCH_SIZE``
rows, right-padded to the longest row, with an attention mask that says which
positions are real tokens.
"""

from __future__ import annotations

import torch

BATCH_SIZE = 16  # texts per forward pass: bounds memory on long lists


def as_batch(text, what: str = "text") -> tuple[list[str], bool]:
    """(the texts as a list, whether one text was given), so methods answer in kind."""
    if isinstance(text, str):
        return [text], True
    if isinstance(text, (list, tuple)) and all(isinstance(t, str) for t in text):
        return list(text), False
    raise TypeError(f"{what} must be a string or a list of strings; got {type(text).__name__}.")


def in_chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def pad_rows(rows: list[list[int]], pad_id: int | None, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded ids and attention mask (1 = real token) for a batch of rows."""
    width = max(len(r) for r in rows)
    pad = pad_id if pad_id is not None else 0
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
        mask[i, : len(row)] = 1
    return ids.to(device), mask.to(device)
