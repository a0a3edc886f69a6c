"""Batches for continued pretraining with salient span masking (notebook 06, experiment 3).

``SalientSpanStream`` reads the same blocks as span corruption's ``BatchStream``
but its spans are the world's entities (``lecturekit.objectives.salient_spans``)
instead of random runs, at most one per sentence (``one_per_sentence``, REALM's
choice, so the rest of the sentence stays as the clue). ``noise_density`` is then
only a ceiling: ``hidden_share`` reports the share really hidden, which the
random-span arm of an experiment should hide too. A block with no entity falls
back to random spans, so every block still trains the model.
"""

from __future__ import annotations

from tokenizers import Tokenizer

from ..objectives.salient_spans import (
    entity_character_spans,
    entity_pattern,
    salient_spans,
    salient_token_flags,
    sentence_numbers,
)
from ..objectives.span_corruption import (
    collate_span_corruption,
    span_corruption,
    span_corruption_from_spans,
)
from .data import SENTINELS, BatchStream, blocks


class SalientSpanStream(BatchStream):
    """Span-corruption batches whose hidden spans are entities of ``world``."""

    def __init__(self, tokenizer: Tokenizer, documents: list[str], world, block_size: int, batch_size: int,
                 seed: int = 0, noise_density: float = 0.15, one_per_sentence: bool = True):
        super().__init__(tokenizer, documents, "span", block_size, batch_size, seed=seed, noise_density=noise_density)
        pattern = entity_pattern(world)
        flags: list[bool] = []
        sentences: list[int] = []
        for document, encoding in zip(documents, tokenizer.encode_batch(documents, add_special_tokens=False),
                                      strict=True):
            flags.append(False)  # the [EOS] that token_stream puts before each document
            flags += salient_token_flags(encoding.offsets, entity_character_spans(document, pattern))
            first = sentences[-1] + 1 if sentences else 0  # a new document starts a new sentence
            sentences += [first] + [first + 1 + n for n in sentence_numbers(encoding.offsets, document)]
        self.flags = blocks(flags, block_size - 1)
        self.sentences = blocks(sentences, block_size - 1) if one_per_sentence else [None] * len(self.flags)
        assert len(self.flags) == len(self.examples), "flags and blocks are cut from streams of equal length"
        self.hidden, self.total = 0, 0

    @property
    def hidden_share(self) -> float:
        """Share of the tokens hidden so far (the target is ``noise_density``)."""
        return self.hidden / self.total if self.total else float("nan")

    def _epoch(self):
        order = list(range(len(self.examples)))
        self.random.shuffle(order)
        for start in range(0, len(order) - self.batch_size + 1, self.batch_size):
            yield [(self.examples[i], self.flags[i], self.sentences[i]) for i in order[start : start + self.batch_size]]

    def collate(self, chunk) -> dict:
        sentinels = [self.ids[s] for s in SENTINELS]
        examples = []
        for block, flags, sentences in chunk:
            spans = salient_spans(flags, self.noise_density, self.generator, max_spans=len(sentinels) - 1,
                                  sentences=sentences)
            if spans:
                example = span_corruption_from_spans(block, spans, sentinels, eos_id=self.ids["[EOS]"])
            else:
                example = span_corruption(block, sentinels, noise_density=self.noise_density,
                                          mean_span_length=self.mean_span_length, eos_id=self.ids["[EOS]"],
                                          generator=self.generator)
            self.hidden += sum(end - start for start, end in example.spans)
            self.total += len(block)
            examples.append(example)
        return collate_span_corruption(examples, pad_id=self.ids["[PAD]"])
