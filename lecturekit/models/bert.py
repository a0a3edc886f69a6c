"""LectureBERT: a Transformer encoder pretrained by masked language modelling.

Every position sees the whole sentence (bidirectional attention), so the model
cannot be trained to predict the next word (it could just look). Instead some
input tokens are hidden and the masked-LM head predicts them from both sides.
The optional next-sentence head classifies whether segment B really followed
segment A, from the vector of the [CLS] token.

The layout matches Hugging Face's ``BertForMaskedLM`` exactly (post-norm blocks,
exact GELU, embedding layer norm, MLM head = dense, GELU, layer norm, then the
token embedding matrix as output weights plus a bias); ``to_hf()`` exports it.
"""

from __future__ import annotations

import torch
from torch import nn

from lecturekit.models.attention import choose_mask
from lecturekit.models.base import (
    LectureModel,
    LectureModelOutput,
    check_attention_mask,
    check_input_ids,
    cross_entropy,
)
from lecturekit.models.config import TransformerConfig
from lecturekit.models.layers import Embeddings, Stack, activation_function


class MaskedLMHead(nn.Module):
    """hidden state -> vocabulary logits, with the output matrix tied to the input embeddings.

    Tying means the vector used to *read* a token and the vector used to *predict*
    it are one and the same row, which saves vocabulary x d_model parameters.
    """

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.dense = nn.Linear(config.d_model, config.d_model)
        self.activation = activation_function(config.activation)
        self.norm = nn.LayerNorm(config.d_model, eps=config.layer_norm_eps)
        self.bias = nn.Parameter(torch.zeros(config.vocab_size))

    def forward(self, hidden: torch.Tensor, token_embeddings: torch.Tensor) -> torch.Tensor:
        h = self.norm(self.activation(self.dense(hidden)))
        return nn.functional.linear(h, token_embeddings, self.bias)


class NextSentenceHead(nn.Module):
    """BERT's "pooler" (dense + tanh on [CLS]) and a two-way classifier.

    Class 0 means "B is the real continuation of A", class 1 "B is a random
    sentence", the convention of BERT and Hugging Face.
    """

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.pooler = nn.Linear(config.d_model, config.d_model)
        self.classifier = nn.Linear(config.d_model, 2)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        cls_vector = hidden[:, 0]  # the [CLS] token opens every sequence
        return self.classifier(torch.tanh(self.pooler(cls_vector)))


class LectureBERT(LectureModel):
    """Encoder + masked-LM head (+ optional next-sentence head on [CLS])."""

    architecture = "LectureBERT"
    kind = "masked-lm"

    def __init__(self, config: TransformerConfig):
        super().__init__(config)
        self.embeddings = Embeddings(config)
        self.encoder = Stack(config, config.n_layers)
        self.mlm_head = MaskedLMHead(config)
        self.nsp_head = NextSentenceHead(config) if config.next_sentence_head else None
        self.init_weights()

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        output_hidden_states: bool = False,
        output_attentions: bool = False,
        next_sentence_label: torch.Tensor | None = None,
    ) -> LectureModelOutput:
        """Logits for every position; the loss covers positions whose label is not -100.

        With ``next_sentence_label`` (0 = real continuation, 1 = random) the
        next-sentence loss is added to the masked-LM loss, as in BERT.
        """
        check_input_ids(input_ids, self.config)
        check_attention_mask(attention_mask, input_ids)
        if token_type_ids is not None:
            check_attention_mask(token_type_ids, input_ids, "token_type_ids")
            if self.config.type_vocab_size and int(token_type_ids.max()) >= self.config.type_vocab_size:
                raise ValueError(
                    f"token_type_ids go up to {int(token_type_ids.max())} but the model has "
                    f"type_vocab_size={self.config.type_vocab_size} segment embeddings."
                )
        mask, is_causal = choose_mask(input_ids.shape[1], attention_mask)  # bidirectional: only padding is hidden
        x = self.embeddings(input_ids, token_type_ids)
        x, hidden, attentions, _ = self.encoder(
            x, mask, is_causal, output_hidden_states=output_hidden_states, output_attentions=output_attentions
        )
        logits = self.mlm_head(x, self.embeddings.token.weight)

        nsp_logits = self.nsp_head(x) if self.nsp_head is not None else None
        mlm_loss = None
        if labels is not None:
            check_attention_mask(labels, input_ids, "labels")
            mlm_loss = cross_entropy(logits, labels)
        nsp_loss = None
        if next_sentence_label is not None:
            if nsp_logits is None:
                raise ValueError("next_sentence_label was given, but this model has no next-sentence head "
                                 "(build it with TransformerConfig(next_sentence_head=True)).")
            nsp_loss = cross_entropy(nsp_logits, next_sentence_label.reshape(-1))
        losses = [loss for loss in (mlm_loss, nsp_loss) if loss is not None]
        return LectureModelOutput(
            logits=logits,
            loss=sum(losses) if losses else None,
            hidden_states=hidden,
            attentions=attentions,
            mlm_loss=mlm_loss,
            nsp_loss=nsp_loss,
            nsp_logits=nsp_logits,
        )

    def to_hf(self, with_next_sentence_head: bool = False):
        """This model as Hugging Face ``BertForMaskedLM`` (or ``BertForPreTraining``
        with ``with_next_sentence_head=True``), with the same weights."""
        from lecturekit.models.hf_export import bert_to_hf

        return bert_to_hf(self, with_next_sentence_head)
