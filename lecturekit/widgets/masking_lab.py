"""MaskingLab: one sentence under each pretraining objective, side by side.

Every objective of LECTURE.md §3-§6 turns the same text into a different
(input, target) pair, and puts the loss on different positions:

- token masking (BERT, 15%, 80/10/10): loss only on the chosen tokens;
- whole-word masking: the same, but a word's pieces are chosen together;
- span masking (SpanBERT): contiguous runs of words;
- span corruption (T5): each span becomes a sentinel in the input, and the
  decoder writes "sentinel, missing tokens" for each span;
- causal LM (GPT): the input shifted by one is the target; every position
  carries loss.

The objectives themselves live in ``lecturekit.objectives`` (and are tested
there); this module only runs them on one sentence and draws the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
from tokenizers import Tokenizer

from ..objectives import mask_tokens, span_corruption, span_mask, teacher_forcing, whole_word_mask
from ..text import display_token, escape
from .base import LectureWidget, whole_number

MAX_TOKENS = 48  # a table wider than this is no longer readable
SCHEMES = ("token masking", "whole-word masking", "span masking", "span corruption", "causal LM")
HINT = "Type a sentence above to see how each objective turns it into a training example."


@dataclass
class Example:
    """One objective's training example as strings: what the model reads and writes.

    ``target[i]`` is empty where there is nothing to predict; ``loss[i]`` says
    whether position i of the target carries loss.
    """

    scheme: str
    input: list[str]
    target: list[str]
    loss: list[bool]
    aligned: bool  # True when input[i] and target[i] are the same position


class LabTokenizer:
    """A tokenizer plus the ids the objectives need ([MASK], special tokens)."""

    def __init__(self, source=None):
        if source is None:  # bert-base-uncased's WordPiece vocabulary, as BERT used
            from ..bundled import minilm_dir

            source = Tokenizer.from_file(str(minilm_dir() / "tokenizer.json"))
        tokenizer = getattr(source, "tokenizer", source)  # a LanguageModel carries one
        if not isinstance(tokenizer, Tokenizer):
            raise TypeError("MaskingLab needs a tokenizers.Tokenizer or a model from load_model.")
        # A private copy without padding or truncation: we show the sentence as it is.
        self.tokenizer = Tokenizer.from_str(tokenizer.to_str())
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        tokenizer = self.tokenizer
        self.vocab_size = tokenizer.get_vocab_size(with_added_tokens=True)
        mask = next((tokenizer.token_to_id(t) for t in ("[MASK]", "<mask>") if tokenizer.token_to_id(t) is not None),
                    None)
        # A tokenizer without a mask token (GPT-2, T5) gets one shown past its vocabulary.
        self.mask_id = mask if mask is not None else self.vocab_size
        self.objective_vocab_size = self.vocab_size + (mask is None)

    def name(self, token_id: int) -> str:
        if token_id == self.mask_id:
            return "[MASK]"
        token = self.tokenizer.id_to_token(int(token_id))
        return "?" if token is None else display_token(token, space="_")

    def names(self, ids) -> list[str]:
        return [self.name(int(i)) for i in ids]


def encode(lab: LabTokenizer, text: str) -> tuple[list[int], list[int | None], list[bool], str]:
    """Ids, word numbers and special flags of ``text`` (at most MAX_TOKENS), and a notice."""
    encoding = lab.tokenizer.encode(text)
    ids, words, special = list(encoding.ids), list(encoding.word_ids), [bool(s) for s in encoding.special_tokens_mask]
    notice = ""
    if len(ids) > MAX_TOKENS:
        notice = f"The sentence is {len(ids)} tokens long; only the first {MAX_TOKENS} are shown."
        ids, words, special = ids[:MAX_TOKENS], words[:MAX_TOKENS], special[:MAX_TOKENS]
    return ids, words, special, notice


def _masked_example(scheme: str, lab: LabTokenizer, masked) -> Example:
    chosen = masked.chosen.tolist()
    originals = lab.names(masked.original_ids.tolist())
    return Example(scheme, lab.names(masked.input_ids.tolist()),
                   [o if c else "" for o, c in zip(originals, chosen, strict=True)], chosen, aligned=True)


def masking_lab_examples(
    lab: LabTokenizer, text: str, mask_rate: float = 0.15, mean_span_length: float = 3.0, seed: int = 0
) -> tuple[dict[str, Example], str]:
    """Each objective applied to ``text`` with the same seed; and a notice if it was cut.

    ``mean_span_length`` sets T5's mean span length and SpanBERT's geometric
    distribution (p = 1 / mean, so the mean before clipping at 10 words).
    """
    if not isinstance(text, str) or not text.strip():
        return {}, ""
    if not 0 <= mask_rate <= 1:
        raise ValueError(f"mask_rate must be between 0 and 1, got {mask_rate}.")
    if mean_span_length < 1:
        raise ValueError(f"mean_span_length must be at least 1, got {mean_span_length}.")
    ids, words, special, notice = encode(lab, text)
    special_ids = sorted({i for i, s in zip(ids, special, strict=True) if s})
    common = {"mask_token_id": lab.mask_id, "vocab_size": lab.objective_vocab_size, "special_ids": special_ids,
              "mask_rate": mask_rate, "generator": seed}
    examples = {
        "token masking": _masked_example("token masking", lab, mask_tokens(ids, **common)),
        "whole-word masking": _masked_example("whole-word masking", lab, whole_word_mask(ids, words, **common)),
    }
    spans = span_mask(ids, words, geometric_p=min(1.0, 1 / mean_span_length), **common)
    examples["span masking"] = _masked_example("span masking", lab, spans)
    content = [i for i, s in zip(ids, special, strict=True) if not s]  # T5 and GPT add no [CLS]/[SEP]
    if len(content) >= 2:
        # Sentinels get ids past the vocabulary; they are shown as the paper's <X>, <Y>, <Z>.
        sentinel_ids = [lab.objective_vocab_size + k for k in range(len(content) + 1)]
        corrupted = span_corruption(content, sentinel_ids, noise_density=mask_rate,
                                    mean_span_length=mean_span_length, generator=seed)
        examples["span corruption"] = Example(
            "span corruption", corrupted.input_tokens(lab.name), corrupted.target_tokens(lab.name), [True] * len(corrupted.target_ids),
            aligned=False)
        shifted = teacher_forcing(content)
        examples["causal LM"] = Example("causal LM", lab.names(shifted.inputs), lab.names(shifted.targets),
                                        [True] * len(shifted.targets), aligned=True)
    return examples, notice


# ------------------------------------------------------------------- HTML

_CELL = "padding:1px 5px;font-family:monospace;white-space:pre;border:1px solid #ddd"


def _cells(tokens: list[str], loss: list[bool] | None = None) -> str:
    cells = []
    for i, token in enumerate(tokens):
        marked = loss is not None and loss[i]
        background = "#fde2c8" if marked else ("#f4f4f4" if token in ("[MASK]", "") else "white")
        cells.append(f"<td style='{_CELL};background:{background}'>{escape(token)}</td>")
    return "".join(cells)


def example_html(example: Example) -> str:
    header = f"<b>{escape(example.scheme)}</b>"
    count = sum(example.loss)
    if example.aligned:
        rows = (f"<tr><th style='text-align:left'>input</th>{_cells(example.input)}</tr>"
                f"<tr><th style='text-align:left'>target</th>{_cells(example.target, example.loss)}</tr>")
        table = f"<table style='border-collapse:collapse;margin:2px 0 10px'>{rows}</table>"
    else:  # encoder input and decoder target have different lengths: two separate rows
        table = (f"<table style='border-collapse:collapse;margin:2px 0'><tr><th style='text-align:left'>"
                 f"encoder input</th>{_cells(example.input)}</tr></table>"
                 f"<table style='border-collapse:collapse;margin:2px 0 10px'><tr><th style='text-align:left'>"
                 f"decoder target</th>{_cells(example.target, example.loss)}</tr></table>")
    return f"<div class='lk-scheme'>{header} <small>({count} positions carry loss)</small>{table}</div>"


def masking_lab_html(examples: dict[str, Example], notice: str = "", message: str = "") -> str:
    parts = []
    if message:
        parts.append(f"<div class='lk-message' style='color:#b00'>{escape(message)}</div>")
    if not examples and not message:
        parts.append(f"<div class='lk-hint' style='color:#666'>{escape(HINT)}</div>")
    if notice:
        parts.append(f"<div class='lk-notice' style='color:#a60'>{escape(notice)}</div>")
    if examples:
        parts.append("<small>Shaded target cells carry loss; empty ones are not predicted.</small>")
    parts += [example_html(e) for e in examples.values()]
    return "<div class='lk-masking-lab' style='overflow-x:auto'>" + "".join(parts) + "</div>"


def masking_lab_update(lab: LabTokenizer, text: str, mask_rate: float, mean_span_length: float, seed: int) -> str:
    try:
        seed = whole_number(seed, "seed", 0, 2**64 - 1)  # what torch's generator holds
        examples, notice = masking_lab_examples(lab, text, mask_rate, mean_span_length, seed)
    except (ValueError, TypeError) as error:
        return masking_lab_html({}, message=str(error))
    return masking_lab_html(examples, notice)


# ------------------------------------------------------------------- view


class MaskingLab(LectureWidget):
    """One sentence under five objectives, with rate, span-length and seed controls."""

    def __init__(self, tokenizer=None, text: str = "Thank you for inviting me to your party last week.",
                 mask_rate: float = 0.15, mean_span_length: float = 3.0, seed: int = 0):
        self.lab = LabTokenizer(tokenizer)
        self.text = widgets.Text(value=text, description="sentence", continuous_update=False,
                                 layout=widgets.Layout(width="95%"))
        self.rate = widgets.FloatSlider(value=mask_rate, min=0.0, max=0.6, step=0.05, description="mask rate")
        self.span = widgets.FloatSlider(value=mean_span_length, min=1.0, max=6.0, step=0.5,
                                        description="span length")
        self.seed = widgets.IntText(value=seed, description="seed", layout=widgets.Layout(width="160px"))
        self.view = widgets.HTML()
        for control in (self.text, self.rate, self.span, self.seed):
            control.observe(lambda change: self._update(), names="value")
        super().__init__([self.text, widgets.HBox([self.rate, self.span, self.seed]), self.view])
        self.add_class("lk-masking-lab-widget")
        self._update()

    def _update(self) -> None:
        self.view.value = masking_lab_update(self.lab, self.text.value, self.rate.value, self.span.value,
                                             self.seed.value)

    def static_html(self) -> str:
        return self.view.value
