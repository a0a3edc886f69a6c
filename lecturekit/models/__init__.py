"""The lecture's Transformers, written from scratch and checked against Hugging Face.

One implementation configured three ways (LECTURE.md sections 3 to 6):

- ``LectureBERT``: an encoder with a masked-LM head (and optional next-sentence head);
- ``LectureGPT``: a decoder, i.e. a language model;
- ``LectureT5``: an encoder-decoder with cross-attention, for span corruption.

Modules, each one idea: ``config`` (the numbers), ``attention`` (the masks, the
one place each model chooses its mask, and multi-head attention), ``layers``
(embeddings, feed-forward, the pre-norm and post-norm block, the stack of
blocks), ``base`` (outputs, input checks, the loss and its ``IGNORE_INDEX``,
saving), ``bert``/``gpt``/``t5`` (the three models), ``loading``, ``hf_export``
(to Hugging Face) and ``budget`` (parameters and FLOPs).

A forward pass reads top-down: the model's ``forward`` (``bert.py``, ...) embeds,
calls ``choose_mask`` and the ``Stack``; ``TransformerBlock.forward`` in
``layers.py`` is one block; ``MultiHeadAttention`` in ``attention.py`` is the
attention inside it.
"""

from lecturekit.models.attention import (
    bidirectional_mask,
    causal_mask,
    cross_attention_mask,
    prefix_lm_mask,
)
from lecturekit.models.base import IGNORE_INDEX, LectureModelOutput
from lecturekit.models.bert import LectureBERT
from lecturekit.models.budget import FlopsPerToken, count_parameters, flops_per_token
from lecturekit.models.config import TransformerConfig
from lecturekit.models.gpt import LectureGPT
from lecturekit.models.loading import CheckpointError, load_pretrained
from lecturekit.models.t5 import LectureT5

__all__ = [
    "IGNORE_INDEX",
    "CheckpointError",
    "FlopsPerToken",
    "LectureBERT",
    "LectureGPT",
    "LectureModelOutput",
    "LectureT5",
    "TransformerConfig",
    "bidirectional_mask",
    "causal_mask",
    "count_parameters",
    "cross_attention_mask",
    "flops_per_token",
    "load_pretrained",
    "prefix_lm_mask",
]
