"""Prefix language modelling: read a prefix in full, then continue it.

The first part of a text is context the model reads bidirectionally; the rest is
generated left to right, and only the rest carries loss. Two ways to build it:

- encoder-decoder: the encoder reads the prefix, the decoder writes the rest;
- decoder only: one sequence with a prefix-LM attention mask (full attention in the
  prefix, causal after it); see ``lecturekit.models.attention.prefix_lm_mask``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from lecturekit.models import IGNORE_INDEX
from lecturekit.objectives._common import (
    Vocabulary,
    as_ids,
    make_generator,
    pad_sequences,
    token_strings,
)


@dataclass
class PrefixLMExample:
    ids: list[int]
    prefix_length: int

    @property
    def prefix(self) -> list[int]:
        """What the encoder reads (or what the decoder reads bidirectionally)."""
        return self.ids[: self.prefix_length]

    @property
    def continuation(self) -> list[int]:
        """What must be generated: the encoder-decoder's target."""
        return self.ids[self.prefix_length:]

    @property
    def decoder_labels(self) -> list[int]:
        """Labels for a decoder-only model (Hugging Face convention: the model
        shifts them): -100 on the prefix, so only the continuation is predicted."""
        return [IGNORE_INDEX] * self.prefix_length + self.continuation

    def table(self, vocabulary: Vocabulary = None):
        import pandas as pd

        return pd.DataFrame({
            "token": token_strings(self.ids, vocabulary),
            "part": ["prefix"] * self.prefix_length + ["continuation"] * len(self.continuation),
            "carries loss": [False] * self.prefix_length + [True] * len(self.continuation),
        })


def prefix_lm_example(
    ids, prefix_length: int | None = None, generator: torch.Generator | int | None = None
) -> PrefixLMExample:
    """Split ``ids`` into prefix and continuation.

    ``prefix_length=None`` draws the split uniformly from 1..len-1, so both parts
    are non-empty.
    """
    ids = as_ids(ids).tolist()
    if len(ids) < 2:
        raise ValueError("A prefix-LM example needs at least 2 tokens (a prefix and something to continue).")
    if prefix_length is None:
        generator = make_generator(generator)
        prefix_length = int(torch.randint(1, len(ids), (1,), generator=generator))
    if not isinstance(prefix_length, int) or not 1 <= prefix_length <= len(ids) - 1:
        raise ValueError(f"prefix_length must be between 1 and {len(ids) - 1} for {len(ids)} tokens, got {prefix_length!r}.")
    return PrefixLMExample(ids, prefix_length)


def collate_prefix_lm_decoder(examples: Sequence[PrefixLMExample], *, pad_id: int) -> dict[str, torch.Tensor]:
    """For a decoder with a prefix-LM mask: ``input_ids``, ``attention_mask``,
    ``labels`` and ``prefix_lengths`` (pass them to ``LectureGPT.forward``)."""
    input_ids, attention_mask = pad_sequences([e.ids for e in examples], pad_id)
    labels, _ = pad_sequences([e.decoder_labels for e in examples], IGNORE_INDEX)
    prefix_lengths = torch.tensor([e.prefix_length for e in examples], dtype=torch.long)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels, "prefix_lengths": prefix_lengths}


def collate_prefix_lm_encoder_decoder(examples: Sequence[PrefixLMExample], *, pad_id: int) -> dict[str, torch.Tensor]:
    """For an encoder-decoder: the prefix as ``input_ids``, the continuation as ``labels``."""
    input_ids, attention_mask = pad_sequences([e.prefix for e in examples], pad_id)
    labels, label_mask = pad_sequences([e.continuation for e in examples], pad_id)
    return {
        "input_ids": input_ids,
        "attention_mask": attention_mask,
        "labels": labels.masked_fill(label_mask == 0, IGNORE_INDEX),
    }
