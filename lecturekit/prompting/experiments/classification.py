"""Decoder classification two ways, at the same number of labelled examples (LECTURE.md §6).

- fine-tuning: a classifier on the last token's hidden state of lecture-gpt
  (``lecturekit.finetune``, full fine-tuning), trained on the n examples;
- in-context learning: the same n examples as demonstrations in SmolLM2's
  prompt, the label read by scoring " positive" against " negative"
  (``calibration.label_probabilities``), no gradient step.

Both are scored on the same held-out reviews, written with sentiment words that
no labelled example uses (``finetune.experiments.common.sentiment_task``, film
titles hidden so they cannot give the label away).
"""

from __future__ import annotations

import pandas as pd

from ...finetune.experiments.common import balanced_subsets, from_scratch, sentiment_task
from ...finetune.training import train_classifier
from ..calibration import label_probabilities
from ..tasks import Task

TEMPLATE = "Review: {input}\nSentiment: {output}"


def finetune_vs_prompting(classifier_model, prompted_model, sizes=(4, 8, 16), test_items: int = 60,
                          seeds=(0,), steps: int = 60, scratch: bool = True) -> pd.DataFrame:
    """One row per (seed, n, arm): accuracy on the held-out-word reviews.

    Arms: "fine-tuned <model>" (last-token classifier), "scratch <model>" (same
    recipe from random weights, when ``scratch``), "prompted <model>" (n
    demonstrations). ``table.attrs["majority"]``: the accuracy of the majority label.
    """
    task = sentiment_task()
    test_texts, test_labels = task.test_texts[:test_items], task.test_labels[:test_items]
    rows = []
    for seed in seeds:
        subsets = balanced_subsets(task.train_labels, sizes, seed)
        for n, indices in subsets.items():
            texts = [task.train_texts[i] for i in indices]
            labels = [task.train_labels[i] for i in indices]
            arms = [("fine-tuned", classifier_model)] + ([("scratch", from_scratch(classifier_model, seed))]
                                                         if scratch else [])
            for arm, model in arms:
                fitted = train_classifier(model, texts, labels, steps=steps, seed=seed, progress=False)
                rows.append({"seed": seed, "n": n, "arm": f"{arm} {classifier_model.name}",
                             "accuracy": fitted.accuracy(test_texts, test_labels)})
            prompt_task = Task("sentiment", list(zip(texts, labels, strict=True)), template=TEMPLATE, separator="\n\n")
            probabilities = label_probabilities(prompted_model, prompt_task, prompt_task.pairs, test_texts)
            predicted = [prompt_task.labels[j] for j in probabilities.argmax(dim=1).tolist()]
            rows.append({"seed": seed, "n": n, "arm": f"prompted {prompted_model.name}",
                         "accuracy": sum(p == y for p, y in zip(predicted, test_labels, strict=True)) / len(test_labels)})
    table = pd.DataFrame(rows)
    counts = pd.Series(test_labels).value_counts()
    table.attrs["majority"] = float(counts.max() / counts.sum())
    table.attrs["test_items"] = len(test_labels)
    return table
