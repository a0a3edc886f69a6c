"""ContextualEmbeddingExplorer: one static vector per string, one contextual vector per use.

The mathematics (a word's vectors per layer, cosine similarity, sense separation,
clustering) lives in ``lecturekit.contextual``; this module draws it. Pure functions
(tested): ``similarity_figure``, ``explorer_html``, ``common_words``. The view only
wires the controls to them.
"""

from __future__ import annotations

import base64
import io

import numpy as np

from ..contextual import Occurrences, cluster_occurrences, cosine_matrix, occurrence_vectors
from ..text import escape, words
from .base import LectureWidget, drawable, model_note_html

DEFAULT_SENTENCES = (
    "I want to record a song tonight.",
    "Please record the meeting for me.",
    "They record every game on video.",
    "She broke the world record yesterday.",
    "He played an old jazz record.",
    "The record shows that he was right.",
)
# The switch offers the lecture's two choices (average the pieces or take the last one),
# a subset of lecturekit.contextual.POOLINGS.
SWITCH_POOLINGS = ("mean", "last")
# More sentences make a heatmap nobody can read on a slide, and the model call grows with
# them: a pasted page of 100 lines took 27 s and drew a 6,000-pixel image.
MAX_SENTENCES = 12
# Figure text sized for the back of a room: at the PNG's 96 dpi a 13-point number is about
# 17 pixels high (the 8-point numbers before were 9 pixels, unreadable when projected).
CELL_FONT, LABEL_FONT, TITLE_FONT, DPI = 13, 13, 14, 96


def similarity_figure(similarity: np.ndarray, labels: list[str], title: str):
    """A heatmap of a similarity matrix with the numbers written in the cells."""
    import matplotlib.pyplot as plt

    size = 1.2 + 0.8 * len(labels)
    figure, axes = plt.subplots(figsize=(size + 2.5, size))
    # A fixed colour range (unless values go lower) keeps layers comparable as the slider moves.
    image = axes.imshow(similarity, vmin=min(0.5, float(similarity.min())), vmax=1, cmap="viridis")
    ticks = range(len(labels))
    axes.set_xticks(ticks, [str(i + 1) for i in ticks], fontsize=LABEL_FONT)
    axes.set_yticks(ticks, [f"{i + 1}. {drawable(_short(label))}" for i, label in enumerate(labels)],
                    fontsize=LABEL_FONT)
    for i in ticks:
        for j in ticks:
            value = similarity[i, j]
            axes.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=CELL_FONT,
                      color="black" if value > 0.8 else "white")
    axes.set_title(drawable(title), fontsize=TITLE_FONT)
    colours = figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
    colours.set_label("cosine similarity", fontsize=LABEL_FONT)
    colours.ax.tick_params(labelsize=LABEL_FONT)
    figure.tight_layout()
    return figure


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _figure_png(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def explorer_html(occurrences: Occurrences, layer: int | str, model_name: str = "") -> str:
    """The explorer's picture: heatmap at ``layer`` ("static" or 0..L) and a table of occurrences."""
    if layer == "static":
        vectors, where = occurrences.static, "static input embedding"
    else:
        layer = int(layer)
        if not 0 <= layer <= occurrences.num_layers:
            raise ValueError(f"layer must be 'static' or 0..{occurrences.num_layers}; got {layer}.")
        vectors, where = occurrences.layers[layer], f"layer {layer} of {occurrences.num_layers}"
    similarity = cosine_matrix(vectors)
    groups = cluster_occurrences(similarity, 2) if len(similarity) >= 2 else [0] * len(similarity)
    title = f"'{occurrences.word}' in {model_name or 'the model'}: {where}"
    png = _figure_png(similarity_figure(similarity, occurrences.sentences, title))
    rows = "".join(
        f"<tr><td>{i + 1}</td><td>{escape(sentence)}</td><td>{escape(' '.join(pieces))}</td>"
        f"<td>{'AB'[group] if group < 2 else group}</td></tr>"
        for i, (sentence, pieces, group) in enumerate(
            zip(occurrences.sentences, occurrences.pieces, groups, strict=True))
    )
    return (
        '<div class="lk-contextual">'
        f'<img alt="{escape(title)}" style="max-width:100%" src="data:image/png;base64,{png}"/>'
        "<table><tr><th>#</th><th>sentence</th><th>pieces</th><th>group</th></tr>"
        f"{rows}</table></div>"
    )


def common_words(sentences: list[str]) -> list[str]:
    """Words (lower-cased) that occur in every sentence: the ones the picker offers."""
    sets = [set(words(s)) for s in sentences if s.strip()]
    return sorted(set.intersection(*sets)) if sets else []


class ContextualEmbeddingExplorer(LectureWidget):
    """Sentences box, word picker, layer slider and pooling switch over a similarity heatmap."""

    def __init__(self, model, sentences=DEFAULT_SENTENCES, word: str = "record", layer: int | None = None,
                 pooling: str = "mean"):
        import ipywidgets as widgets

        self.model = model
        # The kernel sees the sentences when the box loses focus or "Show" is pressed, not at
        # every keystroke: half-typed text would replace the word choice and run the model.
        self.sentences_box = widgets.Textarea(
            value="\n".join(sentences), description="Sentences", rows=6, continuous_update=False,
            layout=widgets.Layout(width="95%"),
        )
        self.show_button = widgets.Button(description="Show", tooltip="compare the word in these sentences")
        self.notice = widgets.HTML()
        self.word_picker = widgets.Dropdown(description="Word")
        self.layer_slider = widgets.IntSlider(description="Layer", min=0, max=1, continuous_update=False,
                                              layout=widgets.Layout(width="60%"))
        self.pooling_switch = widgets.ToggleButtons(options=list(SWITCH_POOLINGS), value=pooling,
                                                    description="Pieces")
        self.picture = widgets.HTML()
        self.header = widgets.HTML(model_note_html(model))
        super().__init__([self.header, self.sentences_box, widgets.HBox([self.show_button, self.notice]),
                          self.word_picker, self.pooling_switch, self.layer_slider, self.picture])
        self.add_class("lk-contextual-widget")
        self._occurrences: Occurrences | None = None
        self._chosen = word.lower()  # the learner's choice, kept while other sentences are tried
        self._offering = False
        self._offer_words()
        self._recompute()
        if self._occurrences is not None:
            last = self._occurrences.num_layers
            self.layer_slider.max = last
            self.layer_slider.value = last if layer is None else max(0, min(int(layer), last))
        self._render()
        self.sentences_box.observe(self._on_sentences, names="value")
        self.show_button.on_click(self._on_show)
        self.word_picker.observe(self._on_word, names="value")
        self.pooling_switch.observe(self._on_word, names="value")
        self.layer_slider.observe(lambda change: self._render(), names="value")

    @property
    def sentences(self) -> list[str]:
        lines = [line.strip() for line in self.sentences_box.value.splitlines() if line.strip()]
        self.notice.value = (
            f"<i>Showing the first {MAX_SENTENCES} of {len(lines)} sentences.</i>"
            if len(lines) > MAX_SENTENCES else ""
        )
        return lines[:MAX_SENTENCES]

    def _offer_words(self) -> None:
        offered = common_words(self.sentences)
        self._offering = True  # changing the options is not the learner choosing a word
        try:
            # New options first select the first word ("a"); held, the page gets one update with
            # the final choice instead of a flash of that word, which a slow page could keep.
            with self.word_picker.hold_sync():
                self.word_picker.options = offered
                self.word_picker.value = self._chosen if self._chosen in offered else (offered[0] if offered else None)
        finally:
            self._offering = False

    def _recompute(self) -> None:
        try:
            self._occurrences = occurrence_vectors(
                self.model, self.sentences, self.word_picker.value or "", self.pooling_switch.value)
            self._error = None
        except (ValueError, TypeError) as error:  # no sentences, no shared word, text too long
            self._occurrences, self._error = None, str(error)

    def _render(self) -> None:
        if self._occurrences is None:
            self.picture.value = f'<p class="lk-error">{escape(self._error)}</p>'
        else:
            self.layer_slider.max = self._occurrences.num_layers
            self.picture.value = explorer_html(self._occurrences, self.layer_slider.value, self.model.name)
        self._drawn = self._state()

    def _state(self) -> tuple:
        return self.sentences_box.value, self.word_picker.value, self.pooling_switch.value, self.layer_slider.value

    def _on_sentences(self, change=None) -> None:
        self._offer_words()
        self._recompute()
        self._render()

    def _on_show(self, button) -> None:
        # Pressing "Show" after typing blurs the box first, which already sent the text and
        # drew it; the click then redraws only if something changed since (0.4 s per drawing).
        if self._state() != self._drawn:
            self._on_sentences()

    def _on_word(self, change) -> None:
        if self._offering:
            return
        if change["owner"] is self.word_picker and change["new"]:
            self._chosen = change["new"]
        self._recompute()
        self._render()

    def static_html(self) -> str:
        return self.header.value + self.notice.value + self.picture.value
