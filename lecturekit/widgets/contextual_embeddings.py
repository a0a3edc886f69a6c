"""ContextualEmbeddingExplorer: one static vector per string, one contextual vector per use.

word2vec gives "record" one vector whether it is the verb or the noun. A
pretrained Transformer starts from such a static vector too (a row of its input
embedding matrix) but every layer mixes in the surrounding words, so each
occurrence ends with its own vector. Here we collect the vectors of one word
across several sentences, layer by layer, and compare them with cosine
similarity: if the model separates the senses, occurrences of the same sense are
more alike than occurrences of different senses.

Pure functions (tested): ``find_word``, ``word_pieces``, ``occurrence_vectors``,
``cosine_matrix``, ``sense_separation``, ``cluster_occurrences``,
``similarity_figure``, ``explorer_html``. The view only wires controls to them.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from .base import LectureWidget, escape

DEFAULT_SENTENCES = (
    "I want to record a song tonight.",
    "Please record the meeting for me.",
    "They record every game on video.",
    "She broke the world record yesterday.",
    "He played an old jazz record.",
    "The record shows that he was right.",
)
POOLINGS = ("mean", "last")


def find_word(sentence: str, word: str) -> tuple[int, int]:
    """Character span of the first whole-word occurrence of ``word`` (any case)."""
    if not isinstance(word, str) or not word.strip():
        raise ValueError("Pick a word: it is empty.")
    match = re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", sentence, flags=re.IGNORECASE)
    if match is None:
        raise ValueError(f"{word.strip()!r} does not occur as a word in {sentence!r}.")
    return match.span()


def word_pieces(tokens: pd.DataFrame, start: int, end: int) -> list[int]:
    """Positions of the tokens that cover characters start..end (a word may be several pieces)."""
    covering = tokens[(~tokens.special) & (tokens.start < end) & (tokens.end > start)]
    return covering.index.tolist()


def pool(vectors: torch.Tensor, positions: list[int], pooling: str) -> torch.Tensor:
    """One vector for a word from its pieces' vectors (last axis but one = token).

    "mean" averages the pieces; "last" takes the final piece, which in a left-to-
    right model is the only one that has seen the whole word.
    """
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}; got {pooling!r}.")
    chosen = vectors[..., positions, :]
    return chosen.mean(dim=-2) if pooling == "mean" else chosen[..., -1, :]


@dataclass
class Occurrences:
    """The vectors of one word, one row per sentence it occurs in."""

    sentences: list[str]
    word: str
    pieces: list[list[str]]  # the tokens the word became in each sentence
    static: torch.Tensor  # (sentences, dim): pooled rows of the input embedding matrix
    layers: torch.Tensor  # (layers + 1, sentences, dim): pooled hidden states

    @property
    def num_layers(self) -> int:
        return self.layers.shape[0] - 1


def occurrence_vectors(model, sentences, word: str, pooling: str = "mean") -> Occurrences:
    """Static and contextual vectors of ``word`` in each sentence, for any lecturekit model."""
    sentences = [s for s in sentences if isinstance(s, str) and s.strip()]
    if not sentences:
        raise ValueError("Give at least one sentence.")
    spans = [find_word(s, word) for s in sentences]
    states = model.hidden_states(sentences)
    embedding_matrix = model.input_embeddings
    pieces, static, layers = [], [], []
    for (start, end), state in zip(spans, states, strict=True):
        positions = word_pieces(state.tokens, start, end)
        pieces.append(state.tokens.token[positions].tolist())
        ids = torch.tensor(state.tokens.id[positions].tolist(), device=embedding_matrix.device)
        static.append(pool(embedding_matrix[ids].float().cpu(), list(range(len(positions))), pooling))
        layers.append(pool(state.layers, positions, pooling))
    return Occurrences(sentences, word.strip(), pieces, torch.stack(static), torch.stack(layers, dim=1))


def cosine_matrix(vectors: torch.Tensor) -> np.ndarray:
    """Cosine similarity of every pair of rows."""
    unit = torch.nn.functional.normalize(vectors.double(), dim=-1)
    return (unit @ unit.T).clamp(-1, 1).numpy()


def sense_separation(occurrences: Occurrences, senses: list[str]) -> pd.DataFrame:
    """Per layer: mean similarity within a sense, across senses, and the gap between them.

    A positive gap means the layer's vectors group the occurrences by sense.
    """
    senses = list(senses)
    if len(senses) != len(occurrences.sentences):
        raise ValueError(f"Give one sense label per sentence ({len(occurrences.sentences)}).")
    same = np.equal.outer(senses, senses)
    off_diagonal = ~np.eye(len(senses), dtype=bool)
    if not (same & off_diagonal).any() or not (~same).any():
        raise ValueError("Need at least two occurrences of one sense and one of another.")
    rows = []
    for label, vectors in [("static", occurrences.static)] + [
        (str(layer), occurrences.layers[layer]) for layer in range(occurrences.num_layers + 1)
    ]:
        similarity = cosine_matrix(vectors)
        within = similarity[same & off_diagonal].mean()
        across = similarity[~same].mean()
        rows.append({"layer": label, "within sense": within, "across senses": across, "gap": within - across})
    return pd.DataFrame(rows)


def cluster_occurrences(similarity: np.ndarray, n_clusters: int = 2) -> list[int]:
    """Group occurrences by average-linkage agglomerative clustering on cosine similarity.

    Start with each occurrence alone; repeatedly merge the two groups whose members
    are most similar on average. Groups are numbered in order of first appearance.
    """
    count = len(similarity)
    if not 1 <= n_clusters <= count:
        raise ValueError(f"n_clusters must be between 1 and {count}; got {n_clusters}.")
    groups = [[i] for i in range(count)]
    while len(groups) > n_clusters:
        best, pair = -np.inf, (0, 1)
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                linkage = similarity[np.ix_(groups[a], groups[b])].mean()
                if linkage > best:
                    best, pair = linkage, (a, b)
        a, b = pair
        groups[a] = groups[a] + groups.pop(b)
    labels = [0] * count
    for number, group in enumerate(sorted(groups, key=min)):
        for member in group:
            labels[member] = number
    return labels


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
    sets = [set(re.findall(r"\w+", s.lower())) for s in sentences if s.strip()]
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
        self.pooling_switch = widgets.ToggleButtons(options=list(POOLINGS), value=pooling,
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
        words = common_words(self.sentences)
        current = (preferred or self.word_picker.value or "").lower()
        self.word_picker.options = words
        self.word_picker.value = current if current in words else (words[0] if words else None)

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
