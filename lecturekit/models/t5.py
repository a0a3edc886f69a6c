"""LectureT5: an encoder-decoder pretrained by span corruption.

The encoder reads the corrupted text bidirectionally (spans replaced by sentinel
tokens); the decoder writes each sentinel followed by the text it hid, attending
causally to what it has written and, through cross-attention, to every encoder
position.

Unlike the real T5, positions are learned absolute embeddings (as in BERT and
GPT-2) rather than T5's relative position bias, and the norms are LayerNorm
rather than RMSNorm. So there is no Hugging Face parity test for this model: it
is T5's *shape* (encoder, decoder, cross-attention, shared embeddings, span
corruption), not a copy of its weights layout.
"""

from __future__ import annotations

import torch
from torch import nn

from lecturekit.models.attention import choose_mask
from lecturekit.models.base import (
    IGNORE_INDEX,
    LectureModel,
    LectureModelOutput,
    check_attention_mask,
    check_input_ids,
    cross_entropy,
)
from lecturekit.models.config import TransformerConfig
from lecturekit.models.layers import Embeddings, Stack


class LectureT5(LectureModel):
    """Encoder-decoder with one token table shared by encoder, decoder and output."""

    architecture = "LectureT5"
    kind = "encoder-decoder"

    def __init__(self, config: TransformerConfig):
        super().__init__(config)
        self.token = nn.Embedding(config.vocab_size, config.d_model)
        self.encoder_embeddings = Embeddings(config, own_token_table=False)
        self.encoder = Stack(config, config.n_layers)
        self.decoder_embeddings = Embeddings(config, own_token_table=False)
        self.decoder = Stack(config, config.n_decoder_layers or config.n_layers, cross_attention=True)
        self.init_weights()

    @property
    def decoder_start_token_id(self) -> int:
        start = self.config.decoder_start_token_id
        return self.config.pad_token_id if start is None else start

    def shift_right(self, labels: torch.Tensor) -> torch.Tensor:
        """Decoder inputs for teacher forcing: the start token, then the labels minus the last."""
        start = torch.full_like(labels[:, :1], self.decoder_start_token_id)
        shifted = torch.cat([start, labels[:, :-1]], dim=1)
        return shifted.masked_fill(shifted == IGNORE_INDEX, self.config.pad_token_id)

    def encode(self, input_ids, attention_mask=None, output_hidden_states=False, output_attentions=False):
        """Run the encoder: (last hidden state, all hidden states, attentions)."""
        check_input_ids(input_ids, self.config)
        check_attention_mask(attention_mask, input_ids)
        mask, is_causal = choose_mask(input_ids.shape[1], attention_mask)  # the encoder reads bidirectionally
        x = self.encoder_embeddings(input_ids, token_table=self.token)
        x, hidden, attentions, _ = self.encoder(
            x, mask, is_causal, output_hidden_states=output_hidden_states, output_attentions=output_attentions
        )
        return x, hidden, attentions

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        decoder_input_ids: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        output_hidden_states: bool = False,
        output_attentions: bool = False,
        decoder_attention_mask: torch.Tensor | None = None,
    ) -> LectureModelOutput:
        """Logits of the decoder; without ``decoder_input_ids`` they are built from
        ``labels`` by ``shift_right`` (as Hugging Face's T5 does)."""
        if decoder_input_ids is None:
            if labels is None:
                raise ValueError("LectureT5 needs decoder_input_ids, or labels to build them from.")
            check_input_ids(labels.masked_fill(labels == IGNORE_INDEX, 0), self.config, "labels")
            decoder_input_ids = self.shift_right(labels)
        memory, encoder_hidden, encoder_attentions = self.encode(
            input_ids, attention_mask, output_hidden_states, output_attentions
        )
        check_input_ids(decoder_input_ids, self.config, "decoder_input_ids")
        check_attention_mask(decoder_attention_mask, decoder_input_ids, "decoder_attention_mask")
        n_dec = decoder_input_ids.shape[1]
        mask, is_causal = choose_mask(n_dec, decoder_attention_mask, causal=True)
        # Cross-attention: every decoder position may read every real encoder token.
        memory_mask, _ = choose_mask(n_dec, attention_mask)
        x = self.decoder_embeddings(decoder_input_ids, token_table=self.token)
        x, hidden, attentions, cross_attentions = self.decoder(
            x, mask, is_causal, memory, memory_mask, output_hidden_states, output_attentions
        )
        logits = nn.functional.linear(x, self.token.weight)
        loss = None
        if labels is not None:
            check_attention_mask(labels, decoder_input_ids, "labels")
            loss = cross_entropy(logits, labels)
        return LectureModelOutput(
            logits=logits,
            loss=loss,
            hidden_states=hidden,
            attentions=attentions,
            encoder_last_hidden_state=memory,
            encoder_hidden_states=encoder_hidden,
            encoder_attentions=encoder_attentions,
            cross_attentions=cross_attentions,
        )
