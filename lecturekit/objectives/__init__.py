"""Pretraining objectives: how a text becomes an (input, target) training example.

All of them work on token ids and take the special token ids as arguments, so
they fit any tokenizer. Each returns a small object that displays itself as a
table (for the notebooks) and has a collate function that pads examples into
tensors (for training). Labels use -100 for "no loss here", like Hugging Face:
``IGNORE_INDEX``, defined once in ``lecturekit.models`` beside the loss that
skips it.

- ``masked_lm``: BERT masking (15%; 80/10/10) and whole-word masking;
- ``span_masking``: SpanBERT (geometric span lengths);
- ``next_sentence``: BERT's next-sentence pairs;
- ``causal_lm``: teacher forcing for a language model;
- ``span_corruption``: T5's sentinels;
- ``prefix_lm``: prefix and continuation.
"""

from lecturekit.models import IGNORE_INDEX
from lecturekit.objectives._common import pad_sequences, token_strings
from lecturekit.objectives.causal_lm import (
    TeacherForcingExample,
    collate_causal_lm,
    teacher_forcing,
)
from lecturekit.objectives.masked_lm import (
    CORRUPTION_NAMES,
    MaskedExample,
    collate_masked_examples,
    collate_masked_lm,
    mask_tokens,
    whole_word_mask,
)
from lecturekit.objectives.next_sentence import (
    NextSentencePair,
    collate_next_sentence,
    next_sentence_pairs,
)
from lecturekit.objectives.prefix_lm import (
    PrefixLMExample,
    collate_prefix_lm_decoder,
    collate_prefix_lm_encoder_decoder,
    prefix_lm_example,
)
from lecturekit.objectives.span_corruption import (
    SpanCorruptionExample,
    collate_span_corruption,
    random_spans_noise_mask,
    sentinel_name,
    span_corruption,
    span_corruption_from_spans,
)
from lecturekit.objectives.span_masking import span_length_distribution, span_mask

__all__ = [
    "CORRUPTION_NAMES",
    "IGNORE_INDEX",
    "MaskedExample",
    "NextSentencePair",
    "PrefixLMExample",
    "SpanCorruptionExample",
    "TeacherForcingExample",
    "collate_causal_lm",
    "collate_masked_examples",
    "collate_masked_lm",
    "collate_next_sentence",
    "collate_prefix_lm_decoder",
    "collate_prefix_lm_encoder_decoder",
    "collate_span_corruption",
    "mask_tokens",
    "next_sentence_pairs",
    "pad_sequences",
    "prefix_lm_example",
    "random_spans_noise_mask",
    "sentinel_name",
    "span_corruption",
    "span_corruption_from_spans",
    "span_length_distribution",
    "span_mask",
    "teacher_forcing",
    "token_strings",
    "whole_word_mask",
]
