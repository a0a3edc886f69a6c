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
from .base import LectureWidget

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


def similarity_figure(similarity: np.ndarray, labels: list[str], title: str):
    """A heatmap of a similarity matrix with the numbers written in the cells."""
    import matplotlib.pyplot as plt

    size = 1.2 + 0.75 * len(labels)
    figure, axes = plt.subplots(figsize=(size + 2.5, size))
    # A fixed colour range (unless values go lower) keeps layers comparable as the slider moves.
    image = axes.imshow(similarity, vmin=min(0.5, float(similarity.min())), vmax=1, cmap="viridis")
    ticks = range(len(labels))
    axes.set_xticks(ticks, [str(i + 1) for i in ticks])
    axes.set_yticks(ticks, [f"{i + 1}. {_short(label)}" for i, label in enumerate(labels)])
    for i in ticks:
        for j in ticks:
            value = similarity[i, j]
            axes.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                      color="black" if value > 0.8 else "white")
    axes.set_title(title, fontsize=10)
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="cosine similarity")
    figure.tight_layout()
    return figure


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _figure_png(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
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
        f'<img alt="{escape(title)}" src="data:image/png;base64,{png}"/>'
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
        self.sentences_box = widgets.Textarea(
            value="\n".join(sentences), description="Sentences", rows=6,
            layout=widgets.Layout(width="95%"),
        )
        self.word_picker = widgets.Dropdown(description="Word")
        self.layer_slider = widgets.IntSlider(description="Layer", min=0, max=1, continuous_update=False)
        self.pooling_switch = widgets.ToggleButtons(options=list(SWITCH_POOLINGS), value=pooling,
                                                    description="Pieces")
        self.picture = widgets.HTML()
        super().__init__([self.sentences_box, self.word_picker, self.pooling_switch,
                          self.layer_slider, self.picture])
        self._occurrences: Occurrences | None = None
        self._offer_words(preferred=word)
        self._recompute()
        if self._occurrences is not None:
            last = self._occurrences.num_layers
            self.layer_slider.max = last
            self.layer_slider.value = last if layer is None else max(0, min(int(layer), last))
        self._render()
        self.sentences_box.observe(self._on_sentences, names="value")
        self.word_picker.observe(self._on_word, names="value")
        self.pooling_switch.observe(self._on_word, names="value")
        self.layer_slider.observe(lambda change: self._render(), names="value")

    @property
    def sentences(self) -> list[str]:
        return [line.strip() for line in self.sentences_box.value.splitlines() if line.strip()]

    def _offer_words(self, preferred: str | None = None) -> None:
        offered = common_words(self.sentences)
        current = (preferred or self.word_picker.value or "").lower()
        self.word_picker.options = offered
        self.word_picker.value = current if current in offered else (offered[0] if offered else None)

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
            return
        self.layer_slider.max = self._occurrences.num_layers
        self.picture.value = explorer_html(self._occurrences, self.layer_slider.value, self.model.name)

    def _on_sentences(self, change) -> None:
        self._offer_words()
        self._recompute()
        self._render()

    def _on_word(self, change) -> None:
        self._recompute()
        self._render()

    def static_html(self) -> str:
        return self.picture.value
