"""Prompt tuning: train only a few "pseudo-word" vectors read before the text (Lester et al., 2021).

The whole pretrained network stays frozen. In front of every input go n virtual
tokens whose input vectors are free parameters; gradient descent finds the
vectors that make the frozen model do the task, a prompt written in the model's
own embedding space rather than in words.

They go *first*: in a decoder a token only sees the tokens before it, so
vectors placed after the text could not influence it at all. (An encoder sees
both sides, but we keep one convention, as peft does.) The virtual tokens take
the first n positions, so the text moves n positions to the right and n fewer
of its tokens fit in the model's context.

How it is wired: the model reads n placeholder ids in front of the text, and its
token table is wrapped so that those positions look up the trainable vectors
instead of the table. Everything after the lookup (positions, segments, the
layers) is the model's own. Start: the embeddings of n random vocabulary tokens
(peft's "sample vocabulary" initialisation), so the first prompt is made of
ordinary token vectors of the right scale.
"""

from __future__ import annotations

import torch
from torch import nn

from .backbone import Adaptation, set_token_table, token_table

PLACEHOLDER_ID = 0  # any valid id: the wrapped table ignores what stands in the first n positions


def check_virtual_tokens(n, max_length: int, method: str) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{method} needs n_virtual_tokens >= 1, got {n!r}.")
    if n >= max_length:
        raise ValueError(
            f"n_virtual_tokens={n} leaves no room for text: the model reads at most {max_length} positions."
        )
    return n


class PromptedTokenTable(nn.Module):
    """The model's token table, except that the first n positions read the trainable vectors."""

    def __init__(self, table: nn.Embedding, vectors: nn.Parameter):
        super().__init__()
        self.table = table
        self.vectors = vectors

    @property
    def weight(self) -> torch.Tensor:
        # Tied output layers (BERT's MLM head, GPT's LM head) read the table's weight.
        return self.table.weight

    @property
    def num_embeddings(self) -> int:
        return self.table.num_embeddings

    @property
    def embedding_dim(self) -> int:
        return self.table.embedding_dim

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        n = self.vectors.shape[0]
        text = self.table(input_ids[:, n:])
        prompt = self.vectors.to(text.dtype).expand(input_ids.shape[0], -1, -1)
        return torch.cat([prompt, text], dim=1)


class PromptTuning(Adaptation):
    """n trainable input vectors (``vectors``, shape n x d_model) in front of every text."""

    def __init__(self, module: nn.Module, n_virtual_tokens: int, seed: int = 0):
        super().__init__()
        table = token_table(module)
        if isinstance(table, PromptedTokenTable):
            raise ValueError("This model already has prompt tuning's virtual tokens.")
        generator = torch.Generator().manual_seed(seed)
        start_ids = torch.randint(table.num_embeddings, (n_virtual_tokens,), generator=generator)
        vectors = table.weight.detach()[start_ids.to(table.weight.device)].clone().float()
        self.vectors = nn.Parameter(vectors)
        self.virtual_tokens = n_virtual_tokens
        set_token_table(module, PromptedTokenTable(table, self.vectors))

    def inputs(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None) -> dict:
        batch, n = input_ids.shape[0], self.virtual_tokens
        placeholders = torch.full((batch, n), PLACEHOLDER_ID, dtype=input_ids.dtype, device=input_ids.device)
        if attention_mask is not None:  # the virtual tokens are always real, never padding
            ones = torch.ones((batch, n), dtype=attention_mask.dtype, device=attention_mask.device)
            attention_mask = torch.cat([ones, attention_mask], dim=1)
        return {"input_ids": torch.cat([placeholders, input_ids], dim=1), "attention_mask": attention_mask}

    def strip(self, hidden: torch.Tensor) -> torch.Tensor:
        return hidden[:, self.virtual_tokens:]


def add_prompt_tuning(module: nn.Module, n_virtual_tokens: int = 8, seed: int = 0) -> PromptTuning:
    """Freeze ``module`` and give it ``n_virtual_tokens`` trainable vectors read before the text.

    Call the model with ``**prompt.inputs(input_ids, attention_mask)``; its outputs
    then have n extra positions at the front (``prompt.strip`` removes them).
    """
    for parameter in module.parameters():
        parameter.requires_grad_(False)
    return PromptTuning(module, n_virtual_tokens, seed)
