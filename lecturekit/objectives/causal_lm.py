"""Causal language modelling: predict each token from the ones before it.

Teacher forcing: the input at step t is always the *true* token t, never the
model's own guess, so all positions train at once. Inputs and targets are the
same sequence shifted by one: "Iroh" -> "goes", "Iroh goes" -> "to", ...

Two equivalent conventions exist. ``teacher_forcing`` makes the shift explicit
(inputs = ids[:-1], targets = ids[1:]), which is what the lecture shows.
``collate_causal_lm`` follows Hugging Face: labels equal the inputs and the
model shifts them itself (LectureGPT and GPT2LMHeadModel both do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from lecturekit.models import IGNORE_INDEX
from lecturekit.objectives._common import (
    Vocabulary,
    as_ids,
    pad_sequences,
    token_strings,
)


@dataclass
class TeacherForcingExample:
    inputs: list[int]  # ids[:-1]
    targets: list[int]  # ids[1:]: targets[t] is the token after inputs[t]

    def table(self, vocabulary: Vocabulary = None, max_context_tokens: int = 8):
        """One row per prediction: the context the model has, and the token it must predict."""
        import pandas as pd

        inputs = token_strings(self.inputs, vocabulary)
        contexts = []
        for t in range(len(inputs)):
            shown = inputs[max(0, t + 1 - max_context_tokens): t + 1]
            contexts.append(("… " if t + 1 > max_context_tokens else "") + " ".join(shown))
        return pd.DataFrame({"context": contexts, "predict": token_strings(self.targets, vocabulary)})


def teacher_forcing(ids) -> TeacherForcingExample:
    """Inputs and targets shifted by one. Needs at least two tokens."""
    ids = as_ids(ids).tolist()
    if len(ids) < 2:
        raise ValueError("A language-model example needs at least 2 tokens (one to read, one to predict).")
    return TeacherForcingExample(inputs=ids[:-1], targets=ids[1:])


def collate_causal_lm(sequences: Sequence, *, pad_id: int) -> dict[str, torch.Tensor]:
    """``input_ids``, ``attention_mask`` and ``labels`` (= input_ids, -100 on padding).

    Hugging Face convention: the model shifts the labels, so row t of the logits is
    scored against labels[t + 1].
    """
    input_ids, attention_mask = pad_sequences([as_ids(s).tolist() for s in sequences], pad_id)
    labels = input_ids.masked_fill(attention_mask == 0, IGNORE_INDEX)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
