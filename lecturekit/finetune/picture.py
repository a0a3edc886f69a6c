"""What each fine-tuning method trains, drawn: one small Transformer classifier per method.

``plot_trained_parts()`` draws, for every method, the same schematic from the bottom up:
the input tokens, the embeddings, ``n_layers`` blocks (an attention box beside a
feed-forward box), the pooled vector and the classifier head. The parts a method's
gradient steps change are drawn in a strong colour, the frozen ones in light grey, and
the two things that hold no weights at all (the tokens and the pooled vector) as white
outlines. The adapters that add parameters are drawn where they sit:

- prompt tuning: a few virtual-token vectors (P) in front of the input embeddings;
- prefix tuning: a key and a value box (K, V) fed into the attention of *every* block;
- LoRA: a small B·A box beside the attention of every block.

What is drawn follows the code, read in ``methods.py::prepare`` and
``heads.py::build_network`` (and checked against them in ``tests/test_finetune_picture.py``):

- the classifier head is a new ``nn.Linear`` that ``build_network`` never freezes, so it
  trains in every method (``methods.py``: "The classifier on top always trains");
- ``full`` trains everything the hidden states depend on (``reading_parameters``: the
  embeddings and every block), ``top_layers`` the last ``n_layers`` blocks, by default
  ``OPTIONS["top_layers"]["n_layers"]`` = 1;
- prefix tuning adds keys and values at every block's attention (``prefix.py``);
- LoRA's default targets (``DEFAULT_LORA_TARGETS``) are attention projections: the fused
  ``qkv`` of the lecture models, the query and value projections of Hugging Face models.

Every drawn part carries its name as the patch's ``gid`` ("embeddings", "block2.attention",
"block2.lora", "prompt0", "head", ...), so a test can read which parts a panel colours.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from matplotlib.patches import FancyBboxPatch, Patch

from .methods import METHODS, OPTIONS

TRAINED_COLOUR = "#e8601c"  # a strong orange, readable on a projector and in greyscale
FROZEN_COLOUR = "#dcdcdc"
FROZEN_EDGE = "#a0a0a0"
NO_WEIGHTS_COLOUR = "white"
TEXT_SIZE = 9
N_PROMPT_BOXES = 3  # how many virtual-token boxes stand for prompt tuning's n vectors

TITLES = {
    "full": "Full fine-tuning",
    "linear_probe": "Linear probe",
    "top_layers": "Top layers",
    "prompt_tuning": "Prompt tuning",
    "prefix_tuning": "Prefix tuning",
    "lora": "LoRA",
}

# The main column (embeddings, blocks, head) sits on the right of each panel; the left
# strip holds the adapters, so that all panels line up.
MAIN_LEFT, MAIN_RIGHT, SPLIT = 3.2, 10.0, 6.6
ROW_HEIGHT = 0.66
X_LIMITS = (-0.1, 10.1)


def _top_blocks(n_layers: int) -> int:
    return min(OPTIONS["top_layers"]["n_layers"], n_layers)


def note(method: str, n_layers: int = 4) -> str:
    """The one-line caption of a method's panel: what trains."""
    top = _top_blocks(n_layers)
    notes = {
        "full": "every weight trains: embeddings, all blocks, head",
        "linear_probe": "only the new classifier head trains",
        "top_layers": ("the last block" if top == 1 else f"the last {top} blocks") + " + the head",
        "prompt_tuning": "a few virtual input vectors (P) + the head",
        "prefix_tuning": "keys and values (K, V) at every layer's attention + the head",
        "lora": "small B·A beside the attention projections + the head",
    }
    return notes[method]


def trained_parts(method: str, n_layers: int = 4) -> dict[str, bool]:
    """Every part the panel of ``method`` draws with parameters, and whether it trains."""
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
    everything = method == "full"
    first_trained_block = n_layers - _top_blocks(n_layers) if method == "top_layers" else n_layers
    parts = {"embeddings": everything}
    if method == "prompt_tuning":
        parts.update({f"prompt{j}": True for j in range(N_PROMPT_BOXES)})
    for i in range(n_layers):
        block_trains = everything or i >= first_trained_block
        parts[f"block{i}.attention"] = block_trains
        parts[f"block{i}.feed_forward"] = block_trains
        if method == "prefix_tuning":
            parts[f"block{i}.prefix_key"] = True
            parts[f"block{i}.prefix_value"] = True
        if method == "lora":
            parts[f"block{i}.lora"] = True
    parts["head"] = True  # a new layer: it trains in every method
    return parts


def _box(ax, x0: float, x1: float, y: float, label: str, gid: str, trained: bool | None,
         height: float = ROW_HEIGHT) -> None:
    """A rounded box; ``trained`` None means a part with no weights (drawn as an outline)."""
    if trained is None:
        face, edge, style = NO_WEIGHTS_COLOUR, FROZEN_EDGE, "--"
    else:
        face, edge, style = (TRAINED_COLOUR, "#8c3a10", "-") if trained else (FROZEN_COLOUR, FROZEN_EDGE, "-")
    patch = FancyBboxPatch((x0, y - height / 2), x1 - x0, height, boxstyle="round,pad=0,rounding_size=0.12",
                           facecolor=face, edgecolor=edge, linestyle=style, linewidth=1.0, zorder=2)
    patch.set_gid(gid)
    ax.add_patch(patch)
    colour = "black" if trained is not False else "#555555"
    ax.text((x0 + x1) / 2, y, label, ha="center", va="center", fontsize=TEXT_SIZE, color=colour, zorder=3)


def _link(ax, x0: float, x1: float, y: float) -> None:
    ax.plot([x0, x1], [y, y], color="#707070", lw=1.0, zorder=1)


def _draw_panel(ax, method: str, n_layers: int) -> None:
    parts = trained_parts(method, n_layers)
    rows = n_layers + 4  # tokens, embeddings, blocks, pooled vector, head
    middle = (MAIN_LEFT + MAIN_RIGHT) / 2
    # the stream of vectors, bottom to top, behind the boxes
    ax.annotate("", xy=(middle, rows - 1 - ROW_HEIGHT / 2), xytext=(middle, ROW_HEIGHT / 2),
                arrowprops=dict(arrowstyle="-|>", color="#909090", lw=1.0), zorder=0)
    _box(ax, MAIN_LEFT, MAIN_RIGHT, 0, "input tokens", "tokens", None)
    _box(ax, MAIN_LEFT, MAIN_RIGHT, 1, "embeddings", "embeddings", parts["embeddings"])
    if method == "prompt_tuning":
        width, gap = 0.62, 0.2
        for j in range(N_PROMPT_BOXES):
            x0 = MAIN_LEFT - (N_PROMPT_BOXES - j) * (width + gap)
            _box(ax, x0, x0 + width, 1, "P", f"prompt{j}", True, height=0.5)
    for i in range(n_layers):
        y = 2 + i
        _box(ax, MAIN_LEFT, SPLIT - 0.15, y, "attention", f"block{i}.attention", parts[f"block{i}.attention"])
        _box(ax, SPLIT + 0.15, MAIN_RIGHT, y, "FFN", f"block{i}.feed_forward", parts[f"block{i}.feed_forward"])
        if method == "prefix_tuning":
            _link(ax, 2.6, MAIN_LEFT, y)
            _box(ax, 0.5, 1.4, y, "K", f"block{i}.prefix_key", True, height=0.5)
            _box(ax, 1.7, 2.6, y, "V", f"block{i}.prefix_value", True, height=0.5)
        if method == "lora":
            _link(ax, 2.5, MAIN_LEFT, y)
            _box(ax, 1.0, 2.5, y, "B·A", f"block{i}.lora", True, height=0.5)
    _box(ax, MAIN_LEFT, MAIN_RIGHT, rows - 2, "pooled vector", "pooled", None)
    _box(ax, MAIN_LEFT, MAIN_RIGHT, rows - 1, "classifier head", "head", parts["head"])
    if method not in ("prefix_tuning", "lora"):  # their left strip holds the adapters
        ax.text(0.9, 2 + (n_layers - 1) / 2, f"{n_layers} blocks", rotation=90, ha="center", va="center",
                fontsize=TEXT_SIZE, color="#555555")
    ax.set_xlim(X_LIMITS)
    ax.set_ylim(-0.55, rows - 0.45)
    ax.set_axis_off()
    centre = (middle - X_LIMITS[0]) / (X_LIMITS[1] - X_LIMITS[0])  # over the main column, in axes units
    ax.set_title(TITLES[method], fontsize=11, fontweight="bold", pad=4, x=centre)
    ax.text(centre, -0.01, textwrap.fill(note(method, n_layers), 24), transform=ax.transAxes,
            ha="center", va="top", fontsize=TEXT_SIZE, gid="note")


def _check(methods: Sequence[str], n_layers: int) -> list[str]:
    methods = [methods] if isinstance(methods, str) else list(methods)
    if not methods:
        raise ValueError(f"Name at least one method: {', '.join(METHODS)}.")
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"Unknown method {', '.join(map(repr, unknown))}; choose from {', '.join(METHODS)}.")
    if not isinstance(n_layers, int) or isinstance(n_layers, bool) or not 1 <= n_layers <= 12:
        raise ValueError(f"n_layers must be a whole number from 1 to 12 (blocks to draw), got {n_layers!r}.")
    return methods


def plot_trained_parts(methods: Sequence[str] = METHODS, n_layers: int = 4, ax=None):
    """One panel per method showing what it trains (strong colour) and what stays frozen (grey).

    ``ax``: where to draw. None makes a new figure (about 13 x 4.4 inches for six panels);
    otherwise one Axes per method (a single Axes for a single method), and the legend goes
    at the top of their figure. Returns the Figure.
    """
    methods = _check(methods, n_layers)
    if ax is None:
        import matplotlib.pyplot as plt

        figure, axes = plt.subplots(1, len(methods), figsize=(max(2.6, 13 / 6 * len(methods)), 4.4), squeeze=False)
        axes = list(axes[0])
        plt.close(figure)  # returned, not shown twice in a notebook
    else:
        axes = [ax] if hasattr(ax, "add_patch") else list(ax)
        if len(axes) != len(methods):
            raise ValueError(f"give one Axes per method: {len(methods)} methods, {len(axes)} Axes.")
        figure = axes[0].figure
    new = ax is None
    for axis, method in zip(axes, methods, strict=True):
        _draw_panel(axis, method, n_layers)
    legend = [Patch(facecolor=TRAINED_COLOUR, edgecolor="#8c3a10", label="trained"),
              Patch(facecolor=FROZEN_COLOUR, edgecolor=FROZEN_EDGE, label="frozen"),
              Patch(facecolor=NO_WEIGHTS_COLOUR, edgecolor=FROZEN_EDGE, linestyle="--", label="no weights")]
    if new:  # room above the titles for the legend, below the panels for the notes
        figure.subplots_adjust(left=0.01, right=0.99, top=0.83, bottom=0.13, wspace=0.08)
    figure.legend(handles=legend, loc="upper center", ncol=3, fontsize=TEXT_SIZE + 1, frameon=False,
                  bbox_to_anchor=(0.5, 1.0))
    return figure
