"""From text to training batches: the shared lecture tokenizer and one stream per objective.

The three lecture models read the same tokens (so masked LM and causal LM can be
compared fairly): one BPE vocabulary learned with ``lecturekit.subword.train_bpe``
on the lecture world, saved as a Hugging Face ``tokenizers`` file so every tool
can read it. Only the framing differs per model, like in the real ones:

- BERT: ``[CLS] text [SEP]``;
- GPT: ``[BOS] text``, and in training documents are joined by ``[BOS]``;
- T5: ``text [EOS]`` for the encoder; the target is sentinels and hidden spans.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator

import torch
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors

from ..objectives.causal_lm import collate_causal_lm
from ..objectives.masked_lm import collate_masked_lm
from ..objectives.prefix_lm import (
    PrefixLMExample,
    collate_prefix_lm_encoder_decoder,
    prefix_lm_example,
)
from ..objectives.span_corruption import collate_span_corruption, span_corruption
from ..subword import END_OF_WORD, train_bpe
from ..subword.pretokenize import WORD_PATTERN, split_words

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[BOS]", "[EOS]"]
NUM_SENTINELS = 32
SENTINELS = [f"<extra_id_{k}>" for k in range(NUM_SENTINELS)]


def build_tokenizer(texts: Iterable[str], num_merges: int = 4000) -> Tokenizer:
    """Learn BPE merges on ``texts`` and package them as a ``tokenizers.Tokenizer``.

    Ids: the special tokens first ([PAD]=0 ... [EOS]=6), then the sentinels, then
    the characters, then one token per merge in the order learned.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(split_words(text))
    merges = train_bpe(counts, num_merges)
    # Every character, plain and (when it ends a word) with the end-of-word marker.
    alphabet = sorted({ch for word in counts for ch in word} | {word[-1] + END_OF_WORD for word in counts})
    vocab: dict[str, int] = {}
    for token in [*SPECIAL_TOKENS, *SENTINELS, *alphabet, *(a + b for a, b in merges)]:
        vocab.setdefault(token, len(vocab))
    tokenizer = Tokenizer(models.BPE(vocab, merges, unk_token="[UNK]", end_of_word_suffix=END_OF_WORD))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(),
        pre_tokenizers.Split(Regex(WORD_PATTERN), behavior="isolated"),
    ])
    tokenizer.decoder = decoders.BPEDecoder(suffix=END_OF_WORD)
    tokenizer.add_special_tokens([*SPECIAL_TOKENS, *SENTINELS])
    return tokenizer


def framed(tokenizer: Tokenizer, kind: str) -> Tokenizer:
    """A copy of the shared tokenizer that adds one model's special framing."""
    copy = Tokenizer.from_str(tokenizer.to_str())
    ids = {t: tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[BOS]", "[EOS]")}
    if kind == "masked-lm":
        copy.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
            special_tokens=[("[CLS]", ids["[CLS]"]), ("[SEP]", ids["[SEP]"])])
    elif kind == "causal-lm":
        copy.post_processor = processors.TemplateProcessing(
            single="[BOS] $A", special_tokens=[("[BOS]", ids["[BOS]"])])
    elif kind == "encoder-decoder":
        copy.post_processor = processors.TemplateProcessing(
            single="$A [EOS]", special_tokens=[("[EOS]", ids["[EOS]"])])
    else:
        raise ValueError(f"unknown model kind {kind!r}")
    return copy


def token_stream(tokenizer: Tokenizer, documents: Iterable[str], separator: str) -> list[int]:
    """All documents as one list of ids, each document preceded by ``separator``."""
    separator_id = tokenizer.token_to_id(separator)
    stream: list[int] = []
    for encoding in tokenizer.encode_batch(list(documents), add_special_tokens=False):
        stream.append(separator_id)
        stream.extend(encoding.ids)
    return stream


def blocks(stream: list[int], length: int) -> list[list[int]]:
    """Cut the stream into consecutive blocks of ``length`` ids (the rest is dropped)."""
    if length < 2:
        raise ValueError(f"block length must be at least 2, got {length}")
    return [stream[i : i + length] for i in range(0, len(stream) - length + 1, length)]


class BatchStream:
    """Endless shuffled batches for one objective, reproducible from ``seed``.

    ``objective`` is "mlm" (BERT masking, fresh each epoch), "clm" (causal LM),
    "span" (T5 span corruption, fresh each epoch) or "prefix" (an encoder-decoder's
    prefix LM: the encoder reads the block up to a point drawn afresh each epoch,
    the decoder writes the rest).
    """

    def __init__(self, tokenizer: Tokenizer, documents: list[str], objective: str, block_size: int,
                 batch_size: int, seed: int = 0, mask_rate: float = 0.15, noise_density: float = 0.15,
                 mean_span_length: float = 3.0):
        if objective not in ("mlm", "clm", "span", "prefix"):
            raise ValueError(f"objective must be 'mlm', 'clm', 'span' or 'prefix', not {objective!r}")
        self.tokenizer, self.objective, self.batch_size = tokenizer, objective, batch_size
        self.mask_rate, self.noise_density, self.mean_span_length = mask_rate, noise_density, mean_span_length
        self.ids = {t: tokenizer.token_to_id(t) for t in [*SPECIAL_TOKENS, *SENTINELS]}
        self.vocab_size = tokenizer.get_vocab_size()
        separator = {"mlm": "[SEP]", "clm": "[BOS]", "span": "[EOS]", "prefix": "[EOS]"}[objective]
        # BERT's block gets [CLS] and a final [SEP]; T5's input (and a prefix LM's two parts) gets [EOS].
        body = block_size - {"mlm": 2, "clm": 0, "span": 1, "prefix": 1}[objective]
        self.examples = blocks(token_stream(tokenizer, documents, separator), body)
        if not self.examples:
            raise ValueError("the documents are too short for even one block; use more text or shorter blocks")
        self.random = random.Random(seed)
        self.generator = torch.Generator().manual_seed(seed)

    def __iter__(self) -> Iterator[dict]:
        return self

    def _epoch(self) -> Iterator[list[list[int]]]:
        order = list(range(len(self.examples)))
        self.random.shuffle(order)
        for start in range(0, len(order) - self.batch_size + 1, self.batch_size):
            yield [self.examples[i] for i in order[start : start + self.batch_size]]

    def __next__(self) -> dict:
        if not hasattr(self, "_current"):
            self._current = self._epoch()
        try:
            chunk = next(self._current)
        except StopIteration:
            self._current = self._epoch()
            chunk = next(self._current)
        return self.collate(chunk)

    def collate(self, chunk: list[list[int]]) -> dict:
        ids = self.ids
        if self.objective == "mlm":
            sequences = [[ids["[CLS]"], *block, ids["[SEP]"]] for block in chunk]
            return collate_masked_lm(
                sequences, pad_id=ids["[PAD]"], mask_token_id=ids["[MASK]"], vocab_size=self.vocab_size,
                special_ids=[ids[t] for t in SPECIAL_TOKENS + SENTINELS], mask_rate=self.mask_rate,
                generator=self.generator)
        if self.objective == "clm":
            return collate_causal_lm(chunk, pad_id=ids["[PAD]"])
        if self.objective == "prefix":
            # Both parts end with [EOS]: the encoder's input as in span corruption, and the
            # decoder's target so that it learns where to stop.
            eos = ids["[EOS]"]
            splits = [prefix_lm_example(block, generator=self.generator) for block in chunk]
            examples = [PrefixLMExample([*e.prefix, eos, *e.continuation, eos], e.prefix_length + 1) for e in splits]
            return collate_prefix_lm_encoder_decoder(examples, pad_id=ids["[PAD]"])
        examples = [
            span_corruption(block, [ids[s] for s in SENTINELS], noise_density=self.noise_density,
                            mean_span_length=self.mean_span_length, eos_id=ids["[EOS]"], generator=self.generator)
            for block in chunk
        ]
        return collate_span_corruption(examples, pad_id=ids["[PAD]"])

    def batches(self, n: int) -> list[dict]:
        """``n`` batches, fixed once drawn (for validation)."""
        return [next(self) for _ in range(n)]


def shared_lecture_tokenizer() -> Tokenizer:
    """The tokenizer the shipped lecture models share, without any model's framing."""
    from ..hub.lecture import checkpoint_dir

    return Tokenizer.from_file(str(checkpoint_dir("lecture-bert").parent / "tokenizer.json"))
