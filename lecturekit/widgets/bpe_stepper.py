"""BPEStepper: a slider over the merges of a BPE training run.

At merge k it shows the newest merges (pair, count, new token, word types
changed), the vocabulary size, and how some chosen words are cut using the first
k merges. Pure part: ``bpe_step_html(...)`` (tested); the view only moves a slider.
"""

from __future__ import annotations

import ipywidgets as widgets

from lecturekit.subword import END_OF_WORD, MergeStep, bpe_trace
from lecturekit.subword.bpe import prepare_word_counts, word_to_symbols
from lecturekit.subword.bpe_fast import apply_merges_fast

from ..text import END_OF_WORD_SHOWN, readable_piece
from .base import LectureWidget, escape


def readable_pieces(pieces) -> str:
    """A word's pieces for a people-facing table: "lo west</w>" -> "lo west_"."""
    return " ".join(readable_piece(piece) for piece in pieces)


def merges_table(trace: list[MergeStep]):
    """The merges as a table for people: pieces with ``_`` for the end of a word, counts with commas."""
    import pandas as pd

    return pd.DataFrame({
        "pair": [f"{readable_piece(m.pair[0])} + {readable_piece(m.pair[1])}" for m in trace],
        "new token": [readable_piece(m.new_token) for m in trace],
        "count": [f"{m.count:,}" for m in trace],
        "word types changed": [f"{m.words_changed:,}" for m in trace],
    }, index=pd.RangeIndex(1, len(trace) + 1, name="merge"))


def segment_at_step(word: str, trace: list[MergeStep], step: int) -> list[str]:
    """``word`` cut with the first ``step`` merges of ``trace``."""
    if not word:
        return []
    ranks = {}
    for rank, merge in enumerate(trace[:step]):
        ranks.setdefault(merge.pair, rank)
    return apply_merges_fast(list(word_to_symbols(word)), ranks)


def base_vocabulary(word_counts) -> set[str]:
    """The starting vocabulary: every character, and every word-final character with ``</w>``."""
    counts, _ = prepare_word_counts(word_counts, 0)
    return {c for word in counts for c in word} | {word[-1] + END_OF_WORD for word in counts}


def vocabulary_size(base: set[str], trace: list[MergeStep], step: int) -> int:
    """Starting vocabulary plus the distinct new tokens of the first ``step`` merges."""
    return len(base | {merge.new_token for merge in trace[:step]})


def bpe_step_html(
    trace: list[MergeStep], step: int, words: list[str], base: set[str], newest: int = 8
) -> str:
    """The state of training after ``step`` merges, as HTML."""
    step = max(0, min(int(step), len(trace)))
    rows = "".join(
        f"<tr><td>{index + 1}</td><td><code>{escape(readable_piece(m.pair[0]))}</code> + "
        f"<code>{escape(readable_piece(m.pair[1]))}</code></td>"
        f"<td><code>{escape(readable_piece(m.new_token))}</code></td><td>{m.count:,}</td><td>{m.words_changed:,}</td></tr>"
        for index, m in reversed(list(enumerate(trace[:step]))[-newest:])
    )
    table = (
        "<table><tr><th>#</th><th>pair</th><th>new token</th><th>count</th><th>word types changed</th></tr>"
        f"{rows}</table>"
        if rows
        else "<p><i>No merges yet: every word is still a sequence of characters.</i></p>"
    )
    segmented = "".join(
        f"<li><code>{escape(word)}</code> → "
        + " ".join(
            f'<span style="background:#dbeafe;border-radius:3px;padding:1px 4px;font-family:monospace">'
            f'{escape(readable_piece(p))}</span>'
            for p in segment_at_step(word, trace, step)
        )
        + "</li>"
        for word in words
        if word
    )
    return (
        f'<div class="lecturekit-bpe-stepper"><p><b>After {step} of {len(trace)} merges</b> · '
        f"vocabulary size {vocabulary_size(base, trace, step):,}</p>"
        f"<p>Newest merges first (<code>{END_OF_WORD_SHOWN}</code> marks the end of a word, the lecture's "
        f"<code>&lt;/w&gt;</code>):</p>{table}<p>How the words are cut now:</p><ul>{segmented}</ul></div>"
    )


class BPEStepper(LectureWidget):
    """Step through BPE training on ``word_counts`` with a slider."""

    def __init__(
        self,
        word_counts,
        num_merges: int = 200,
        words=("lowest", "newer", "transformerify"),
        step: int | None = None,
    ):
        self.trace = bpe_trace(word_counts, num_merges)
        self.base = base_vocabulary(word_counts)
        self.slider = widgets.IntSlider(
            value=len(self.trace) if step is None else step,
            min=0,
            max=len(self.trace),
            description="merges",
            # The whole width, so that a pixel is about two merges rather than sixteen; the
            # arrow keys step one merge at a time.
            layout=widgets.Layout(width="95%"),
        )
        self.words_box = widgets.Text(value=" ".join(words), description="Words",
                                      layout=widgets.Layout(width="60%"))
        # One merge at a time from the room: a slider alone needs a steady hand on a touchpad.
        self.back = widgets.Button(description="◀ one merge back", tooltip="undo the newest merge")
        self.forward = widgets.Button(description="one merge more ▶", tooltip="apply the next merge")
        self.back.on_click(lambda _: self.step(-1))
        self.forward.on_click(lambda _: self.step(+1))
        self.output = widgets.HTML()
        super().__init__([self.slider, widgets.HBox([self.back, self.forward]), self.words_box, self.output])
        self.slider.observe(lambda change: self._redraw(), names="value")
        self.words_box.observe(lambda change: self._redraw(), names="value")
        self._redraw()

    def step(self, by: int) -> None:
        """Move the slider ``by`` merges, staying within 0 .. the number of merges."""
        self.slider.value = max(self.slider.min, min(self.slider.max, self.slider.value + by))

    def _redraw(self) -> None:
        self.output.value = bpe_step_html(
            self.trace, self.slider.value, self.words_box.value.split()[:20], self.base
        )

    def static_html(self) -> str:
        return self.output.value
