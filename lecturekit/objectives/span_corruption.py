"""T5's span corruption: replace spans by sentinels, and generate what they hid.

Input:  Thank you <X> me to your party <Y> week .
Target: <X> for inviting <Y> last <Z>

Each hidden span becomes one sentinel token in the encoder's input; the decoder
writes each sentinel followed by the tokens it replaced, and a final sentinel
closes the target. The paper writes the sentinels <X>, <Y>, <Z>; the released T5
vocabulary calls them <extra_id_0>, <extra_id_1>, ... Which ids they have is the
tokenizer's business: pass them in ``sentinel_ids``, in order.

Where the spans go: ``random_spans_noise_mask`` follows T5's own procedure
(noise density 15%, mean span length 3): a fixed number of noise tokens cut into
a fixed number of spans of random lengths, alternating with non-noise spans of
random lengths, always starting with non-noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from lecturekit.models import IGNORE_INDEX
from lecturekit.objectives._common import (
    Vocabulary,
    as_ids,
    check_rate,
    make_generator,
    pad_sequences,
    token_strings,
)

_PAPER_LETTERS = "XYZABCDEFGHIJKLMNOPQRSTUVW"  # the paper's <X>, <Y>, <Z>, then onwards


def sentinel_name(index: int, style: str = "paper") -> str:
    """Display name of sentinel number ``index``: <X>, <Y>, <Z>, <A>, ... or <extra_id_N>."""
    if not isinstance(index, int) or index < 0:
        raise ValueError(f"A sentinel index is a non-negative integer, got {index!r}.")
    if style == "t5":
        return f"<extra_id_{index}>"
    if style == "paper":
        return f"<{_PAPER_LETTERS[index]}>" if index < len(_PAPER_LETTERS) else f"<S{index}>"
    raise ValueError(f"style must be 'paper' or 't5', got {style!r}.")


def random_spans_noise_mask(
    length: int,
    noise_density: float = 0.15,
    mean_span_length: float = 3.0,
    generator: torch.Generator | int | None = None,
) -> torch.Tensor:
    """Which of ``length`` tokens to hide, chosen as T5 does (True = noise).

    round(length x noise_density) tokens are hidden (at least 1, at most
    length - 1) in round(noise tokens / mean_span_length) spans (at least 1).
    Both the noise tokens and the kept tokens are cut into that many pieces at
    random places, and the pieces alternate: kept, noise, kept, noise, ...
    """
    if not isinstance(length, int) or length < 2:
        raise ValueError(
            f"Span corruption needs at least 2 tokens (one to hide, one to keep), got length={length!r}."
        )
    check_rate("noise_density", noise_density)
    if not mean_span_length >= 1:
        raise ValueError(f"mean_span_length must be at least 1, got {mean_span_length!r}.")
    generator = make_generator(generator)
    n_noise = min(max(round(length * noise_density), 1), length - 1)
    n_spans = max(round(n_noise / mean_span_length), 1)
    n_kept = length - n_noise
    if n_spans > n_kept:
        raise ValueError(
            f"{n_spans} noise spans need at least {n_spans} kept tokens between them, but only "
            f"{n_kept} of {length} tokens are kept (noise_density={noise_density} is too high)."
        )

    def random_segmentation(n_items: int, n_segments: int) -> torch.Tensor:
        # Mark n_segments - 1 random items (never the first) as "a new segment starts here".
        starts = torch.zeros(n_items, dtype=torch.long)
        cut_points = torch.randperm(n_items - 1, generator=generator)[: n_segments - 1] + 1
        starts[cut_points] = 1
        segment_of_item = starts.cumsum(0)
        return torch.bincount(segment_of_item, minlength=n_segments)

    noise_lengths = random_segmentation(n_noise, n_spans)
    kept_lengths = random_segmentation(n_kept, n_spans)
    interleaved = torch.stack([kept_lengths, noise_lengths], dim=1).reshape(-1)
    span_number = torch.repeat_interleave(torch.arange(2 * n_spans), interleaved)
    return span_number % 2 == 1


def mask_to_spans(noise_mask: torch.Tensor) -> list[tuple[int, int]]:
    """[(start, end), ...] ranges of consecutive True values."""
    spans, start = [], None
    for position, is_noise in enumerate(noise_mask.tolist() + [False]):
        if is_noise and start is None:
            start = position
        elif not is_noise and start is not None:
            spans.append((start, position))
            start = None
    return spans


@dataclass
class SpanCorruptionExample:
    """Encoder input with sentinels, decoder target, and the hidden spans."""

    original_ids: list[int]
    input_ids: list[int]
    target_ids: list[int]
    spans: list[tuple[int, int]]
    sentinel_ids: list[int]

    def _names(self, ids: Sequence[int], vocabulary: Vocabulary, style: str | None) -> list[str]:
        strings = token_strings(ids, vocabulary)
        if style is None:
            return strings
        position = {sentinel: k for k, sentinel in enumerate(self.sentinel_ids)}
        return [sentinel_name(position[i], style) if i in position else s for i, s in zip(ids, strings, strict=True)]

    def input_tokens(self, vocabulary: Vocabulary = None, style: str | None = "paper") -> list[str]:
        """The encoder's input as strings; sentinels shown as <X>.. (or <extra_id_N> with style='t5')."""
        return self._names(self.input_ids, vocabulary, style)

    def target_tokens(self, vocabulary: Vocabulary = None, style: str | None = "paper") -> list[str]:
        return self._names(self.target_ids, vocabulary, style)

    def table(self, vocabulary: Vocabulary = None, style: str = "paper"):
        """One row per hidden span: its sentinel and the text the decoder must write."""
        import pandas as pd

        return pd.DataFrame({
            "sentinel": [sentinel_name(k, style) for k in range(len(self.spans))],
            "positions": [f"{a}-{b - 1}" for a, b in self.spans],
            "hidden text": [" ".join(token_strings(self.original_ids[a:b], vocabulary)) for a, b in self.spans],
        })


def _check_sentinels(sentinel_ids: Sequence[int], needed: int) -> list[int]:
    sentinel_ids = [int(s) for s in sentinel_ids]
    if len(sentinel_ids) < needed:
        raise ValueError(
            f"{needed} sentinel ids are needed ({needed - 1} spans + the closing one), "
            f"only {len(sentinel_ids)} were given."
        )
    return sentinel_ids


def span_corruption_from_spans(
    ids,
    spans: Sequence[tuple[int, int]],
    sentinel_ids: Sequence[int],
    eos_id: int | None = None,
) -> SpanCorruptionExample:
    """Span corruption with the spans given as (start, end) token ranges, end exclusive.

    Spans must be non-empty, inside the sequence, in order, and neither overlap nor
    touch (touching spans are one span). Sentinel k replaces span k in the input
    and introduces it in the target; sentinel number len(spans) closes the
    target. With ``eos_id`` both sequences end with it, as in T5.
    """
    ids = as_ids(ids).tolist()
    spans = [(int(a), int(b)) for a, b in spans]
    if not spans:
        raise ValueError("Give at least one span to hide.")
    previous_end = -1
    for start, end in spans:
        if not 0 <= start < end <= len(ids):
            raise ValueError(f"Span {(start, end)} is not a non-empty range inside 0..{len(ids)}.")
        if start <= previous_end:
            problem = "overlaps" if start < previous_end else "touches"
            raise ValueError(f"Span {(start, end)} {problem} the previous one; give spans in order, apart.")
        previous_end = end
    sentinel_ids = _check_sentinels(sentinel_ids, len(spans) + 1)

    inputs, targets, cursor = [], [], 0
    for k, (start, end) in enumerate(spans):
        inputs += ids[cursor:start] + [sentinel_ids[k]]
        targets += [sentinel_ids[k]] + ids[start:end]
        cursor = end
    inputs += ids[cursor:]
    targets.append(sentinel_ids[len(spans)])
    if eos_id is not None:
        inputs.append(eos_id)
        targets.append(eos_id)
    return SpanCorruptionExample(ids, inputs, targets, spans, sentinel_ids[: len(spans) + 1])


def span_corruption(
    ids,
    sentinel_ids: Sequence[int],
    *,
    noise_density: float = 0.15,
    mean_span_length: float = 3.0,
    eos_id: int | None = None,
    generator: torch.Generator | int | None = None,
) -> SpanCorruptionExample:
    """T5 span corruption with spans placed by ``random_spans_noise_mask``."""
    ids = as_ids(ids)
    noise = random_spans_noise_mask(len(ids), noise_density, mean_span_length, generator)
    return span_corruption_from_spans(ids, mask_to_spans(noise), sentinel_ids, eos_id)


def collate_span_corruption(examples: Sequence[SpanCorruptionExample], *, pad_id: int) -> dict[str, torch.Tensor]:
    """Batch for an encoder-decoder: ``input_ids``, ``attention_mask`` and ``labels``
    (the targets, -100 on padding); the model builds its decoder inputs from the labels."""
    input_ids, attention_mask = pad_sequences([e.input_ids for e in examples], pad_id)
    labels, label_mask = pad_sequences([e.target_ids for e in examples], pad_id)
    labels = labels.masked_fill(label_mask == 0, IGNORE_INDEX)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
