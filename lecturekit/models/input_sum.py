"""BERT's input vectors as a picture: token + position + segment, added elementwise.

`input_parts(model, text_a, text_b)` takes a shipped lecture encoder (from
`lecturekit.load_model`) and a sentence pair, and returns the three embeddings of every
token, their sum, and what the model's own embedding layer outputs (the sum after its
layer norm), so a notebook can check that the picture is the model's arithmetic.
`plot_input_sum(parts)` draws the three parts and the sum as rows of coloured cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..text import display_token


@dataclass
class InputParts:
    tokens: list[str]
    segments: list[int]  # 0 for segment A ([CLS] A [SEP]), 1 for B
    token: torch.Tensor  # (tokens, d_model) each
    position: torch.Tensor
    segment: torch.Tensor
    total: torch.Tensor  # token + position + segment
    layer_output: torch.Tensor  # the model's embedding layer on the same input (normalised sum)


def input_parts(model, text_a: str, text_b: str) -> InputParts:
    """The three input embeddings of a sentence pair, read from ``model``'s own tables."""
    network = model.module
    embeddings = getattr(network, "embeddings", None)
    if embeddings is None or embeddings.segment is None:
        raise ValueError(f"{model.name} has no segment embeddings; use an encoder such as lecture-bert")
    tokenizer = model.tokenizer
    pair = tokenizer.encode(text_a, text_b)
    ids = torch.tensor([pair.ids])
    types = torch.tensor([pair.type_ids])
    if ids.shape[1] > embeddings.position.num_embeddings:
        raise ValueError(f"the pair has {ids.shape[1]} tokens; {model.name} reads at most "
                         f"{embeddings.position.num_embeddings}")
    with torch.no_grad():
        token = embeddings.token(ids)[0]
        position = embeddings.position(torch.arange(ids.shape[1]))
        segment = embeddings.segment(types)[0]
        layer_output = embeddings(ids, types)[0]
    return InputParts(list(pair.tokens), list(pair.type_ids), token, position, segment,
                      token + position + segment, layer_output)


def plot_input_sum(parts: InputParts, dims: int = 12, figsize=(13, 5.2)):
    """Four rows of cells, one column per token: token, position, segment embedding, and their sum.

    Each cell row is the first ``dims`` numbers of one vector (all vectors have the same
    size, which is what makes adding them possible); one colour scale for all four panels.
    """
    import matplotlib.pyplot as plt

    panels = [("token embedding", parts.token), ("position embedding", parts.position),
              ("segment embedding (A or B)", parts.segment), ("sum = the input vector", parts.total)]
    limit = float(max(p[:, :dims].abs().max() for _, p in panels))
    figure, axes = plt.subplots(len(panels), 1, figsize=figsize, sharex=True)
    for axis, (title, values) in zip(axes, panels, strict=True):
        image = axis.imshow(values[:, :dims].T.numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
        axis.set_ylabel(title, rotation=0, ha="right", va="center", fontsize=12)
        axis.set_yticks([])
    labels = [f"{display_token(t)}\n{'AB'[s]}" for t, s in zip(parts.tokens, parts.segments, strict=True)]
    axes[-1].set_xticks(range(len(labels)), labels, fontsize=12)
    figure.colorbar(image, ax=axes, shrink=0.8, label="value")
    figure.suptitle(f"first {dims} of {parts.total.shape[1]} numbers per token; "
                    "each column of the bottom panel is the sum of the three above", fontsize=13)
    return figure
