"""BERT's next-sentence prediction (NSP) pairs.

[CLS] sentence A [SEP] sentence B [SEP]: half the time B is the sentence that
really follows A in its document, half the time a random sentence from another
document. Segment ids tell the model which tokens belong to A (0) and B (1). The
label follows BERT and Hugging Face: 0 = "B is the real continuation", 1 = "B is
random". (RoBERTa later showed the task is not needed: it halves the context the
model sees, and models are bad at it anyway.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from lecturekit.objectives._common import (
    Vocabulary,
    as_ids,
    check_rate,
    check_token_id,
    make_generator,
    pad_sequences,
    token_strings,
)

IS_NEXT, IS_RANDOM = 0, 1


@dataclass
class NextSentencePair:
    input_ids: list[int]
    token_type_ids: list[int]
    next_sentence_label: int  # 0 = real continuation, 1 = random sentence
    document: int  # where A came from
    sentence: int

    @property
    def is_next(self) -> bool:
        return self.next_sentence_label == IS_NEXT

    def table(self, vocabulary: Vocabulary = None):
        import pandas as pd

        return pd.DataFrame({
            "token": token_strings(self.input_ids, vocabulary),
            "segment": ["A" if t == 0 else "B" for t in self.token_type_ids],
        })


def _truncate_pair(a: list[int], b: list[int], max_tokens: int) -> tuple[list[int], list[int]]:
    """Trim the longer segment from its end until both fit (BERT's truncate_seq_pair)."""
    a, b = list(a), list(b)
    while len(a) + len(b) > max_tokens:
        longer = a if len(a) > len(b) else b
        longer.pop()
    return a, b


def next_sentence_pairs(
    documents: Sequence[Sequence[Sequence[int]]],
    *,
    cls_id: int,
    sep_id: int,
    real_rate: float = 0.5,
    max_length: int | None = None,
    generator: torch.Generator | int | None = None,
) -> list[NextSentencePair]:
    """One pair per sentence that has a successor in its document.

    ``documents`` is a list of documents, each a list of sentences, each a list of
    token ids. Empty sentences are skipped (a documented no-op). Random
    sentences always come from a *different* document, so a "random" B is never
    secretly the true continuation; that needs at least two documents.
    ``max_length`` caps [CLS] A [SEP] B [SEP] by trimming the longer segment.
    """
    check_token_id("cls_id", cls_id)
    check_token_id("sep_id", sep_id)
    check_rate("real_rate", real_rate)
    if max_length is not None and max_length < 5:
        raise ValueError(f"max_length={max_length} leaves no room for A and B next to [CLS] and two [SEP].")
    cleaned = []
    for d, document in enumerate(documents):
        if isinstance(document, str):
            raise TypeError(f"Document {d} is text; documents are lists of sentences of token ids.")
        cleaned.append([as_ids(s, f"sentence {i} of document {d}").tolist() for i, s in enumerate(document) if len(s)])
    if sum(1 for doc in cleaned if doc) < 2:
        raise ValueError("Next-sentence pairs need at least two non-empty documents (random B comes from another one).")
    generator = make_generator(generator)
    pool = [(d, i) for d, doc in enumerate(cleaned) for i in range(len(doc))]

    pairs = []
    for d, document in enumerate(cleaned):
        for i in range(len(document) - 1):
            a = document[i]
            if float(torch.rand(1, generator=generator)) < real_rate:
                b, label = document[i + 1], IS_NEXT
            else:
                while True:  # draw until the sentence comes from another document
                    other_d, other_i = pool[int(torch.randint(len(pool), (1,), generator=generator))]
                    if other_d != d:
                        break
                b, label = cleaned[other_d][other_i], IS_RANDOM
            if max_length is not None:
                a, b = _truncate_pair(a, b, max_length - 3)
            ids = [cls_id, *a, sep_id, *b, sep_id]
            segments = [0] * (len(a) + 2) + [1] * (len(b) + 1)
            pairs.append(NextSentencePair(ids, segments, label, d, i))
    return pairs


def collate_next_sentence(pairs: Sequence[NextSentencePair], *, pad_id: int) -> dict[str, torch.Tensor]:
    """``input_ids``, ``attention_mask``, ``token_type_ids`` and ``next_sentence_label``."""
    input_ids, attention_mask = pad_sequences([p.input_ids for p in pairs], pad_id)
    token_type_ids, _ = pad_sequences([p.token_type_ids for p in pairs], 0)
    labels = torch.tensor([p.next_sentence_label for p in pairs], dtype=torch.long)
    return {
        "input_ids": input_ids,
        "attention_mask": attention_mask,
        "token_type_ids": token_type_ids,
        "next_sentence_label": labels,
    }
