"""Experiment 2: every fine-tuning method on one task, side by side.

Full fine-tuning, a linear probe, the top block, prompt tuning, prefix tuning and
LoRA at two ranks, on an encoder (lecture-bert, [CLS] head) and a decoder
(lecture-gpt, last-token head). Each trains on the same reviews with the same
steps, batch size and seeds, at its method's usual learning rate, and is scored on
the held-out-word reviews. Beside the accuracy, what each costs, measured by
``finetune.costs.measure_costs`` on one batch: trainable parameters (absolute and
% of the model), gradient and optimizer-state bytes, time per step, peak memory.

The lecture's point: parameter-efficient methods come close to full fine-tuning
while training a small fraction of the weights.
"""

from __future__ import annotations

import time

import pandas as pd

from ..costs import measure_costs
from ..training import train_classifier
from .common import (
    ExperimentResult,
    balanced_subsets,
    peak_learning_rate,
    pooling_for,
    resolve_model,
    sentiment_task,
    summarize,
)

# (label, method, settings); LoRA's alpha is 2r at both ranks, so only the rank differs.
METHOD_ARMS = (
    ("full", "full", {}),
    ("linear probe", "linear_probe", {}),
    ("top block", "top_layers", {"n_layers": 1}),
    ("prompt tuning", "prompt_tuning", {"n_virtual_tokens": 8}),
    ("prefix tuning", "prefix_tuning", {"n_virtual_tokens": 8}),
    ("LoRA r=2", "lora", {"r": 2, "alpha": 4.0}),
    ("LoRA r=8", "lora", {"r": 8, "alpha": 16.0}),
)
COST_COLUMNS = ["trainable", "trainable %", "gradients MB", "optimizer MB", "ms per step", "peak MB"]


class MethodsResult(ExperimentResult):
    experiment = "methods_side_by_side"

    def table(self) -> pd.DataFrame:
        """Accuracy (mean and spread over seeds) and the measured costs, one row per model and method."""
        accuracy = summarize(self.frame(), ["model", "arm"])
        costs = self.frame("costs")[["model", "arm", *COST_COLUMNS]]
        return accuracy.merge(costs, on=["model", "arm"], how="left")

    def gap_to_full(self) -> pd.DataFrame:
        """Each method's mean accuracy minus full fine-tuning's, per model."""
        table = self.table()
        full = table[table["arm"] == "full"].set_index("model")["accuracy mean"]
        table["gap to full"] = table["accuracy mean"] - table["model"].map(full)
        return table[["model", "arm", "accuracy mean", "gap to full", "trainable %"]]


def compare_methods(models=("lecture-bert", "lecture-gpt"), arms=METHOD_ARMS, *, seeds=(0,), steps: int = 60,
                    batch_size: int = 16, n_train: int | None = None, task=None, cost_batch: int = 8,
                    cost_steps: int = 5, device=None, log=None) -> MethodsResult:
    """Train each (model, method) on the same reviews and measure what it costs.

    ``models``: names or loaded models. ``arms``: (label, method, settings)
    triples, default ``METHOD_ARMS``. ``n_train``: a balanced subset of the
    training reviews (None: all). Returns a ``MethodsResult``: rows per run
    (model, arm, method, seed, accuracy, ...), ``extra["costs"]`` one
    ``measure_costs`` row per model and method; ``table()`` joins the two.
    """
    started = time.perf_counter()
    task = task or sentiment_task()
    chosen = balanced_subsets(task.train_labels, [n_train], seed=0)
    chosen = next(iter(chosen.values()))
    texts = [task.train_texts[i] for i in chosen]
    labels = [task.train_labels[i] for i in chosen]
    rows, costs, names = [], [], []
    for model in models:
        model = resolve_model(model, device)
        names.append(model.name)
        for label, method, options in arms:
            for seed in seeds:
                classifier = train_classifier(model, texts, labels, method, steps=steps, batch_size=batch_size,
                                              seed=seed, eval_every=steps, progress=False, device=device,
                                              pooling=pooling_for(model), **options)
                accuracy = classifier.accuracy(task.test_texts, task.test_labels)
                rows.append({"model": model.name, "arm": label, "method": method, "seed": seed,
                             "accuracy": accuracy, "train_accuracy": classifier.history.accuracy[-1],
                             "steps": steps, "batch_size": batch_size, "n_examples": len(texts),
                             "learning_rate": peak_learning_rate(classifier),
                             "trainable": classifier.trainable_parameters, "seconds": round(classifier.seconds, 2)})
                if log:
                    log(f"{model.name:<13} {label:<14} seed={seed}  held-out-word accuracy {accuracy:.3f}  "
                        f"({classifier.seconds:.1f} s)")
            cost = measure_costs(model, method, texts, labels, batch_size=cost_batch, steps=cost_steps,
                                 seed=0, device=device, **options)
            costs.append({"arm": label, **cost})
    settings = {"models": names, "arms": [[label, method, options] for label, method, options in arms],
                "seeds": list(seeds), "steps": steps, "batch_size": batch_size, "n_examples": len(texts),
                "cost_batch": cost_batch, "cost_steps": cost_steps, **task.settings()}
    return MethodsResult(rows, settings, time.perf_counter() - started, extra={"costs": costs})


def plot_methods(result: MethodsResult, axes=None):
    """Left: accuracy against the share of weights trained; right: optimizer state per method."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4))
    table = result.table()
    colors = ["#4c78a8", "#f58518", "#54a24b", "#e45756"]
    for (model, part), color in zip(table.groupby("model", sort=False), colors, strict=False):
        axes[0].errorbar(part["trainable %"], part["accuracy mean"], yerr=part["accuracy std"].fillna(0),
                         fmt="o", color=color, label=model, capsize=3)
        for _, row in part.iterrows():
            axes[0].annotate(row["arm"], (row["trainable %"], row["accuracy mean"]), fontsize=7,
                             xytext=(4, 3), textcoords="offset points")
    axes[0].axhline(0.5, color="grey", ls=":", lw=1)
    axes[0].set_xscale("log")
    axes[0].set_xlabel("trainable parameters (% of the model, log scale)")
    axes[0].set_ylabel("accuracy on held-out-word reviews")
    axes[0].set_ylim(0.3, 1.02)
    axes[0].legend(fontsize=8)
    wide = table.pivot(index="arm", columns="model", values="optimizer MB").reindex(table["arm"].unique())
    wide.plot.barh(ax=axes[1], color=colors[: wide.shape[1]], logx=True)
    axes[1].invert_yaxis()
    axes[1].set_xlabel("AdamW state after one step (MB, log scale)")
    axes[1].set_ylabel("")
    axes[1].set_title("what the optimizer must keep")
    axes[0].figure.tight_layout()
    return axes
