"""AttentionMaskView: who may look at whom, in each of the lecture's architectures.

The three architectures share one attention function and differ only in the
mask (``lecturekit.models.attention``): a row is a token that is being updated
(the query), a column a token it may read (the key).

- bidirectional (encoder, BERT): every token reads every token. That is why an
  encoder cannot be trained to predict the next word: the answer is in view.
- causal (decoder, GPT): token t reads tokens 0..t only.
- prefix LM: the prefix reads itself fully; the rest reads the prefix and its past.
- encoder-decoder (T5): the encoder reads the prefix bidirectionally, the
  decoder writes the rest causally and reads every encoder token (cross-attention).
"""

from __future__ import annotations

import ipywidgets as widgets
import torch
from tokenizers import Tokenizer

from ..models.attention import bidirectional_mask, causal_mask, cross_attention_mask, prefix_lm_mask
from ..text import display_token, escape
from .base import LectureWidget
from .masking_lab import LabTokenizer

MAX_TOKENS = 24  # a bigger matrix does not fit on a slide
HINT = "Type a sentence above to see the attention masks for its tokens."


def sentence_tokens(tokenizer: Tokenizer, text: str) -> tuple[list[str], str]:
    """The sentence's tokens without [CLS]/[SEP] (at most MAX_TOKENS) and a notice if cut."""
    encoding = tokenizer.encode(text)
    tokens = [t for t, special in zip(encoding.tokens, encoding.special_tokens_mask, strict=True) if not special]
    tokens = [display_token(t, space="_") for t in tokens]
    if len(tokens) > MAX_TOKENS:
        return tokens[:MAX_TOKENS], f"The sentence has {len(tokens)} tokens; the first {MAX_TOKENS} are shown."
    return tokens, ""


def attention_masks(n: int, prefix_length: int) -> dict[str, tuple[torch.Tensor, slice, slice]]:
    """Each architecture's mask with the token ranges of its rows and columns.

    Encoder-decoder: the rows are the decoder's tokens (after the prefix), the
    columns the encoder's (the prefix), and every entry is True.
    """
    prefix_length = max(0, min(int(prefix_length), n))
    everything = slice(0, n)
    return {
        "bidirectional (encoder, BERT)": (bidirectional_mask(n), everything, everything),
        "causal (decoder, GPT)": (causal_mask(n), everything, everything),
        f"prefix LM (prefix = {prefix_length})": (prefix_lm_mask(n, prefix_length), everything, everything),
        "encoder-decoder: decoder reads encoder (T5)": (
            cross_attention_mask(n - prefix_length, prefix_length), slice(prefix_length, n), slice(0, prefix_length)),
    }


def mask_matrix_html(title: str, mask: torch.Tensor, rows: list[str], columns: list[str]) -> str:
    """A mask as a grid: filled cells may attend; rows are queries, columns keys."""
    head = "".join(
        f"<th style='writing-mode:vertical-rl;font-weight:normal;font-family:monospace;padding:0 1px'>"
        f"{escape(c)}</th>" for c in columns)
    body = []
    for r, label in enumerate(rows):
        cells = "".join(
            f"<td title='{escape(label)} → {escape(columns[c])}' style='width:14px;height:14px;"
            f"border:1px solid #fff;background:{'#4c78a8' if bool(mask[r, c]) else '#eeeeee'}'></td>"
            for c in range(len(columns)))
        body.append(f"<tr><th style='text-align:right;font-weight:normal;font-family:monospace;"
                    f"padding-right:4px'>{escape(label)}</th>{cells}</tr>")
    empty = "" if rows and columns else "<div style='color:#666'>(no tokens on one side: move the prefix slider)</div>"
    return (f"<div class='lk-attention' style='margin:0 16px 12px 0'><b>{escape(title)}</b>"
            f"<table style='border-collapse:collapse'><tr><th></th>{head}</tr>{''.join(body)}</table>{empty}</div>")


def attention_mask_html(tokens: list[str], prefix_length: int, notice: str = "") -> str:
    if not tokens:
        return f"<div class='lk-hint' style='color:#666'>{escape(HINT)}</div>"
    parts = [f"<div class='lk-notice' style='color:#a60'>{escape(notice)}</div>"] if notice else []
    parts.append("<small>Rows: the token being computed (query). Columns: tokens it may read (keys). "
                 "Blue: allowed.</small>")
    grids = [
        mask_matrix_html(title, mask, tokens[rows], tokens[columns])
        for title, (mask, rows, columns) in attention_masks(len(tokens), prefix_length).items()
    ]
    parts.append("<div style='display:flex;flex-wrap:wrap;align-items:flex-start'>" + "".join(grids) + "</div>")
    return "<div class='lk-attention-masks'>" + "".join(parts) + "</div>"


class AttentionMaskView(LectureWidget):
    """The four masks for the typed sentence, with a slider for the prefix length."""

    def __init__(self, tokenizer=None, text: str = "Thank you for inviting me to your party last week.",
                 prefix_length: int = 5):
        self.lab = LabTokenizer(tokenizer)
        self.text = widgets.Text(value=text, description="sentence", continuous_update=False,
                                 layout=widgets.Layout(width="95%"))
        self.prefix = widgets.IntSlider(value=prefix_length, min=0, max=MAX_TOKENS, description="prefix")
        self.view = widgets.HTML()
        self.text.observe(lambda change: self._update(), names="value")
        self.prefix.observe(lambda change: self._update(), names="value")
        super().__init__([self.text, self.prefix, self.view])
        self._update()

    def _update(self) -> None:
        tokens, notice = sentence_tokens(self.lab.tokenizer, self.text.value)
        self.prefix.max = max(len(tokens), 1)
        self.view.value = attention_mask_html(tokens, self.prefix.value, notice)

    def static_html(self) -> str:
        return self.view.value
