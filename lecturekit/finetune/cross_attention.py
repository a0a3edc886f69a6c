"""Where an encoder-decoder's decoder looks while it answers (notebook 06, experiment 5).

Each decoder layer has a cross-attention: every token the decoder writes takes a
weighted average of the encoder's vectors, one weight per input token. Drawing
those weights for one answer shows the decoder reading the question: while it
writes the city, the weight should sit on the person's name.
"""

from __future__ import annotations

import pandas as pd
import torch

from ..text import display_token, neutralise_bidi
from .closed_book import MAX_ANSWER_TOKENS, prompt_for


def cross_attention(model, question: str, layer: int = -1, max_new_tokens: int = MAX_ANSWER_TOKENS) -> pd.DataFrame:
    """Cross-attention weights of the model's greedy answer: one row per written
    token, one column per input token, averaged over the heads of ``layer``."""
    if model.kind != "encoder-decoder":
        raise ValueError(f"{model.name} is a {model.kind}: only an encoder-decoder has cross-attention.")
    source = model._prompt(prompt_for(question)).ids
    written = [model._decoder_start]
    stops = model._stop_ids()
    with torch.inference_mode():
        for _ in range(max_new_tokens):
            logits = model._forward([source], [written]).logits[0, -1]
            token = int(logits.argmax())
            if token in stops:
                break
            written.append(token)
            if model._tokenizer.id_to_token(token).startswith("."):
                break
        output = model.module(input_ids=torch.tensor([source], device=model.device),
                              decoder_input_ids=torch.tensor([written], device=model.device), output_attentions=True)
    # The weights at decoder position t are those used to predict token t + 1.
    weights = output.cross_attentions[layer][0].float().mean(0).cpu()
    rows = [model._tokenizer.id_to_token(t) for t in written[1:]]
    columns = [model._tokenizer.id_to_token(t) for t in source]
    return pd.DataFrame(weights[: len(rows)].numpy(), index=rows, columns=columns)


def plot_cross_attention(frame: pd.DataFrame, title: str = "", figsize=None):
    """The weights as a heatmap: written tokens down, input tokens across."""
    import matplotlib.pyplot as plt

    def shown(token: str) -> str:
        return neutralise_bidi(display_token(token))

    figure, axes = plt.subplots(figsize=figsize or (max(6, 0.55 * frame.shape[1]), max(3.2, 0.6 * frame.shape[0] + 2)))
    image = axes.imshow(frame.to_numpy(), cmap="Blues", vmin=0, aspect="auto")
    axes.set_xticks(range(frame.shape[1]), [shown(c) for c in frame.columns], rotation=60, ha="right", fontsize=11)
    axes.set_yticks(range(frame.shape[0]), [shown(r) for r in frame.index], fontsize=11)
    axes.set_xlabel("input the encoder read")
    axes.set_ylabel("token written")
    axes.set_title(title or "cross-attention, averaged over heads")
    figure.colorbar(image, ax=axes, fraction=0.03, label="weight")
    figure.tight_layout()
    return figure
