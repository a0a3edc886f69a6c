"""The picture of BERT's input: its three parts really add up to what the model reads."""

from __future__ import annotations

import pytest
import torch

import lecturekit
from lecturekit.models.input_sum import input_parts, plot_input_sum


@pytest.fixture(scope="module")
def bert():
    return lecturekit.load_model("lecture-bert", device="cpu")


def test_the_parts_add_up_to_the_models_own_embedding_layer(bert):
    parts = input_parts(bert, "Nora went into the kitchen.", "Liam followed her.")
    assert parts.tokens[0] == "[CLS]" and parts.tokens.count("[SEP]") == 2
    # Segment A runs to the first [SEP] inclusive, then B.
    first_sep = parts.tokens.index("[SEP]")
    assert parts.segments == [0] * (first_sep + 1) + [1] * (len(parts.tokens) - first_sep - 1)
    norm = bert.module.embeddings.norm
    with torch.no_grad():
        assert torch.allclose(norm(parts.total), parts.layer_output, atol=1e-6)
    # Each part comes from its own table: tokens by id, positions 0..n-1, segments by A/B.
    table = bert.module.embeddings
    assert torch.equal(parts.position, table.position.weight[: len(parts.tokens)].detach())
    assert torch.equal(parts.segment[0], table.segment.weight[0].detach())
    assert torch.equal(parts.segment[-1], table.segment.weight[1].detach())


def test_a_model_without_segments_is_refused_with_a_reason():
    gpt = lecturekit.load_model("lecture-gpt", device="cpu")
    with pytest.raises(ValueError, match="no segment embeddings"):
        input_parts(gpt, "a", "b")


def test_the_plot_has_one_panel_per_part_and_readable_labels(bert):
    figure = plot_input_sum(input_parts(bert, "Nora went into the kitchen.", "Liam followed her."))
    axes = [a for a in figure.axes if a.get_ylabel() != "value"]  # the colour bar is labelled "value"
    assert [a.get_ylabel() for a in axes] == [
        "token embedding", "position embedding", "segment embedding (A or B)", "sum = the input vector"]
    labels = [t.get_text() for t in axes[-1].get_xticklabels()]
    assert labels[1] == "Nora\nA" and "</w>" not in "".join(labels)
