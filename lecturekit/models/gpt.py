"""LectureGPT: a Transformer decoder, i.e. a language model.

Causal attention lets position t see tokens 0..t only, so the hidden state at t
can be trained to predict token t+1 (teacher forcing: the true previous tokens
are always the input, whatever the model would have guessed).

The layout matches Hugging Face's ``GPT2LMHeadModel`` (pre-norm blocks, tanh
GELU, a final layer norm, the LM head tied to the token embeddings, no bias);
``to_hf()`` exports it.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from lecturekit.models.attention import choose_mask
from lecturekit.models.base import (
    IGNORE_INDEX,
    LectureModel,
    LectureModelOutput,
    check_attention_mask,
    check_input_ids,
    check_prefix_lengths,
    cross_entropy,
)
from lecturekit.models.config import TransformerConfig
from lecturekit.models.layers import Embeddings, Stack


class LectureGPT(LectureModel):
    """Decoder with a tied language-model head."""

    architecture = "LectureGPT"
    kind = "causal-lm"

    def __init__(self, config: TransformerConfig):
        super().__init__(config)
        self.embeddings = Embeddings(config)
        self.decoder = Stack(config, config.n_layers)
        self.init_weights()
        # GPT-2 scales the layers that write into the residual stream by 1/sqrt(2 x
        # layers): each block adds two such terms, and their sum should not grow
        # with depth at initialisation.
        std = config.initializer_range / math.sqrt(2 * config.n_layers)
        for block in self.decoder.blocks:
            nn.init.normal_(block.attention.out.weight, std=std)
            nn.init.normal_(block.feed_forward.down.weight, std=std)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        output_hidden_states: bool = False,
        output_attentions: bool = False,
        prefix_lengths: torch.Tensor | None = None,
    ) -> LectureModelOutput:
        """Next-token logits for every position.

        ``labels`` are aligned with ``input_ids`` and shifted inside the model (the
        logits at t are scored against labels[t + 1]), as in Hugging Face, so
        ``labels=input_ids`` trains a language model. ``prefix_lengths`` (one per
        row) turns the causal mask into a prefix-LM mask.
        """
        check_input_ids(input_ids, self.config)
        check_attention_mask(attention_mask, input_ids)
        prefix_lengths = check_prefix_lengths(prefix_lengths, input_ids)
        mask, is_causal = choose_mask(input_ids.shape[1], attention_mask, causal=True, prefix_lengths=prefix_lengths)
        x = self.embeddings(input_ids)
        x, hidden, attentions, _ = self.decoder(
            x, mask, is_causal, output_hidden_states=output_hidden_states, output_attentions=output_attentions
        )
        logits = nn.functional.linear(x, self.embeddings.token.weight)
        loss = None
        if labels is not None:
            check_attention_mask(labels, input_ids, "labels")
            # Shift the labels, not the logits: position t is scored against
            # labels[t + 1] and the last position against nothing (-100). Slicing the
            # labels avoids copying the large (batch, n, vocabulary) logits.
            next_tokens = nn.functional.pad(labels[:, 1:], (0, 1), value=IGNORE_INDEX)
            loss = cross_entropy(logits, next_tokens)
        return LectureModelOutput(logits=logits, loss=loss, hidden_states=hidden, attentions=attentions)

    def to_hf(self):
        """This model as Hugging Face ``GPT2LMHeadModel``, with the same weights."""
        from lecturekit.models.hf_export import gpt_to_hf

        return gpt_to_hf(self)
