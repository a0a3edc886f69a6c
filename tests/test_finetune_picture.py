"""The picture of what each fine-tuning method trains: the coloured parts are the parts the
code trains (read off the drawn patches, and compared with ``build_network`` on lecture-bert),
and the labels are readable (large enough, inside their boxes, never on top of each other)."""

from __future__ import annotations

import re

import matplotlib
import pytest
from matplotlib.colors import to_rgba

matplotlib.use("Agg")

from lecturekit.finetune import METHODS  # noqa: E402
from lecturekit.finetune.picture import (  # noqa: E402
    FROZEN_COLOUR,
    TRAINED_COLOUR,
    plot_trained_parts,
)

N = 4
BLOCKS = [f"block{i}" for i in range(N)]
ALL_BLOCKS = {f"{b}.{part}" for b in BLOCKS for part in ("attention", "feed_forward")}
# What each method trains, written out here (not computed with the module's code).
EXPECTED_TRAINED = {
    "full": {"embeddings", "head"} | ALL_BLOCKS,
    "linear_probe": {"head"},
    "top_layers": {"block3.attention", "block3.feed_forward", "head"},
    "prompt_tuning": {"prompt0", "prompt1", "prompt2", "head"},
    "prefix_tuning": {f"{b}.prefix_{kv}" for b in BLOCKS for kv in ("key", "value")} | {"head"},
    "lora": {f"{b}.lora" for b in BLOCKS} | {"head"},
}


@pytest.fixture(scope="module")
def figure():
    return plot_trained_parts(n_layers=N)


def colours(ax) -> dict[str, str]:
    """gid -> "trained" / "frozen" / "other", from each drawn patch's face colour."""
    found = {}
    for patch in ax.patches:
        if patch.get_gid() is None:
            continue
        face = tuple(patch.get_facecolor())
        found[patch.get_gid()] = ("trained" if face == to_rgba(TRAINED_COLOUR)
                                  else "frozen" if face == to_rgba(FROZEN_COLOUR) else "other")
    return found


def trained(ax) -> set[str]:
    return {gid for gid, colour in colours(ax).items() if colour == "trained"}


def test_one_panel_per_method_titled_with_a_note(figure):
    assert len(figure.axes) == len(METHODS)
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == ["Full fine-tuning", "Linear probe", "Top layers", "Prompt tuning", "Prefix tuning", "LoRA"]
    for ax in figure.axes:
        notes = [t.get_text() for t in ax.texts if t.get_gid() == "note"]
        assert len(notes) == 1 and ("train" in notes[0] or "head" in notes[0])
    width, height = figure.get_size_inches()
    assert 12 <= width <= 14 and 3.5 <= height <= 5


@pytest.mark.parametrize("method", METHODS)
def test_the_trained_colour_marks_exactly_what_the_method_trains(figure, method):
    ax = figure.axes[METHODS.index(method)]
    assert trained(ax) == EXPECTED_TRAINED[method]
    # every part with weights is trained or frozen; the tokens and the pooled vector are neither
    drawn = colours(ax)
    assert {gid for gid, c in drawn.items() if c == "other"} == {"tokens", "pooled"}
    assert ALL_BLOCKS | {"embeddings", "head"} <= drawn.keys()


def test_full_has_no_frozen_part_and_linear_probe_only_the_head(figure):
    full, probe = figure.axes[0], figure.axes[1]
    assert "frozen" not in colours(full).values()
    assert trained(probe) == {"head"}
    assert all(c == "frozen" for gid, c in colours(probe).items() if gid not in ("head", "tokens", "pooled"))


def part_of(parameter: str) -> str:
    """Where a trainable parameter of lecture-bert's classifier sits in the picture."""
    if parameter.startswith("head."):
        return "head"
    if parameter == "network.embeddings.token.vectors":
        return "prompt"
    if parameter.startswith("network.embeddings."):
        return "embeddings"
    block, rest = re.match(r"network\.encoder\.blocks\.(\d+)\.(.*)", parameter).groups()
    if ".prefix." in rest:
        return f"block{block}.prefix"
    if ".lora_" in rest:
        return f"block{block}.lora"
    return f"block{block}.attention" if rest.startswith("attention") else f"block{block}.feed_forward"


@pytest.fixture(scope="module")
def bert():
    from lecturekit.hub import load_model

    model = load_model("lecture-bert", device="cpu")
    assert model.module.config.n_layers == N  # so that the picture's blocks are its blocks
    return model


@pytest.mark.parametrize("method", METHODS)
def test_the_picture_matches_what_build_network_trains(figure, bert, method):
    from lecturekit.finetune import build_network

    classifier, _ = build_network(bert, method, 2, device="cpu")
    in_code = {part_of(n) for n, p in classifier.named_parameters() if p.requires_grad}
    drawn = {re.sub(r"^prompt\d+$", "prompt", re.sub(r"prefix_(key|value)$", "prefix", gid))
             for gid in trained(figure.axes[METHODS.index(method)])}
    assert drawn == in_code


def test_labels_are_large_inside_their_boxes_and_never_overlap(figure):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()  # the figure comes closed, without a canvas of its own
    figure.draw(renderer)
    texts = [t for ax in figure.axes for t in (*ax.texts, ax.title) if t.get_text()]
    texts += [t for legend in figure.legends for t in legend.get_texts()]
    assert all(t.get_fontsize() >= 9 for t in texts)
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            assert not a.overlaps(boxes[j]), f"{texts[i].get_text()!r} overlaps {texts[j].get_text()!r}"
    for ax in figure.axes:
        for text in (t for t in ax.texts if t.get_text()):
            extent = text.get_window_extent(renderer)
            holders = [p.get_window_extent(renderer) for p in ax.patches
                       if p.get_window_extent(renderer).contains(*extent.get_points().mean(axis=0))]
            for holder in holders:  # a label on a box stays inside it
                assert holder.x0 <= extent.x0 and extent.x1 <= holder.x1, text.get_text()


def test_top_layers_follows_n_layers_and_other_sizes_draw():
    figure = plot_trained_parts(["top_layers", "prefix_tuning"], n_layers=2)
    top, prefix = figure.axes
    assert trained(top) == {"block1.attention", "block1.feed_forward", "head"}
    assert trained(prefix) == {"block0.prefix_key", "block0.prefix_value",
                               "block1.prefix_key", "block1.prefix_value", "head"}


def test_it_draws_into_given_axes():
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2)
    assert plot_trained_parts(["lora", "full"], ax=axes) is figure
    assert trained(axes[0]) == EXPECTED_TRAINED["lora"]
    single, ax = plt.subplots()
    assert plot_trained_parts(["linear_probe"], ax=ax) is single and trained(ax) == {"head"}
    with pytest.raises(ValueError, match="one Axes per method"):
        plot_trained_parts(["lora", "full"], ax=ax)
    plt.close("all")


def test_unknown_methods_and_sizes_are_errors_that_name_the_valid_ones():
    with pytest.raises(ValueError) as raised:
        plot_trained_parts(["lora", "adapters"])
    assert "'adapters'" in str(raised.value) and all(m in str(raised.value) for m in METHODS)
    for bad in (0, 2.5, True, 40):
        with pytest.raises(ValueError, match="n_layers"):
            plot_trained_parts(n_layers=bad)
    with pytest.raises(ValueError, match="at least one method"):
        plot_trained_parts([])
