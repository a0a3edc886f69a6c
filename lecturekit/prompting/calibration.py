"""Few-shot classification by scoring the labels, and contextual calibration (Zhao et al. 2021).

Instead of reading what the model writes, a classifier can ask how likely each
label is as the continuation: p(" positive" | prompt) against p(" negative" |
prompt), normalised over the labels. Zhao et al. found these probabilities
skewed by the prompt itself: towards the label most frequent among the
demonstrations (majority bias), the label of the last demonstrations (recency
bias), and labels that are common words. Their fix, *contextual calibration*:
ask with a content-free input such as "N/A" in place of the query, take the
probabilities it gets as the prompt's bias, and divide them out
(q ∝ p / p_content-free, then renormalise).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import torch

from ..hub.errors import NotSupportedError
from ..hub.kinds import require
from .continuations import continuation_log_probs
from .evaluation import fit_demonstrations
from .prompts import answer_prefix, few_shot_prompt
from .tasks import Task

CONTENT_FREE = ("N/A",)  # Zhao et al. also average "" and "[MASK]"; any text without content will do


def check_causal(model) -> None:
    require("generate", model.name, model.kind)  # a masked LM or an encoder stops here, saying why
    if model.kind != "causal-lm":
        raise NotSupportedError(
            f"{model.name} is an encoder-decoder; scoring labels after a few-shot prompt needs a "
            "causal LM (smollm2-135m or lecture-gpt)."
        )


def label_probabilities(model, task: Task, demonstrations, inputs: Sequence[str]) -> torch.Tensor:
    """p(label | prompt) for each input (rows) and each of ``task.labels`` (columns), rows summing to 1."""
    check_causal(model)
    labels = task.labels
    continuations = [answer_prefix(task.template) + label for label in labels]
    shown, _, _ = fit_demonstrations(model, task, demonstrations, list(inputs), max_new_tokens=8)
    prompts = [few_shot_prompt(shown, text, task.template, task.separator) for text in inputs]
    return torch.softmax(continuation_log_probs(model, prompts, continuations), dim=1)


def content_free_probabilities(model, task: Task, demonstrations, content_free=CONTENT_FREE) -> torch.Tensor:
    """The prompt's own preference among the labels: the mean over content-free inputs."""
    return label_probabilities(model, task, demonstrations, list(content_free)).mean(dim=0)


def calibrate(probabilities: torch.Tensor, content_free: torch.Tensor) -> torch.Tensor:
    """Contextual calibration: divide each label's probability by its content-free one, renormalise.

    This is Zhao et al.'s W = diag(p_cf)^-1, b = 0: after it, the content-free
    input itself would get the same probability for every label.
    """
    scaled = probabilities / content_free
    return scaled / scaled.sum(dim=-1, keepdim=True)


def calibrated_predictions(model, task: Task, demonstrations, queries: Sequence[int],
                           content_free=CONTENT_FREE) -> pd.DataFrame:
    """One row per query: expected label, p(label) before and after calibration, both predictions."""
    labels = task.labels
    inputs = [task.pairs[i][0] for i in queries]
    # One call for the queries and the content-free inputs: they share the demonstrations.
    both = label_probabilities(model, task, demonstrations, [*inputs, *content_free])
    raw, bias = both[: len(inputs)], both[len(inputs):].mean(dim=0)
    fixed = calibrate(raw, bias)
    table = pd.DataFrame({"input": inputs, "expected": [task.pairs[i][1] for i in queries]})
    for j, label in enumerate(labels):
        table[f"p({label})"] = raw[:, j].tolist()
    table["predicted"] = [labels[j] for j in raw.argmax(dim=1).tolist()]
    table["calibrated"] = [labels[j] for j in fixed.argmax(dim=1).tolist()]
    for j, label in enumerate(labels):
        table[f"p_cf({label})"] = float(bias[j])
    return table
