"""Experiment 3: fine-tuning stays near θ̂, and the optimizer hardly matters.

``distance_from_start``: full fine-tuning of the pretrained model and of its
random twin (``from_scratch``), same data, steps, batches and learning rate. At
several steps, each layer's relative L2 distance from where it started,

    ‖θ_layer(t) − θ_layer(0)‖ / ‖θ_layer(0)‖,

with θ(0) = θ̂ for the pretrained model and the random initialisation for the
twin. The lecture's picture: the task is learned within a small ball around θ̂.

``compare_optimizers``: the same full fine-tuning with SGD + momentum, AdamW and
AdaGrad, each at a learning rate usual for it; final held-out-word accuracy and
how far the weights moved.
"""

from __future__ import annotations

import re
import time

import torch

from ..training import train_classifier
from .common import (
    ExperimentResult,
    balanced_subsets,
    from_scratch,
    peak_learning_rate,
    pooling_for,
    resolve_model,
    sentiment_task,
    summarize,
)

# One peak rate per update rule, each the best of a few (SGD 0.03/0.1/0.3, AdamW 3e-4/1e-3,
# AdaGrad 3e-4/1e-3/3e-3/1e-2) for lecture-bert, 60 steps of 16 reviews, judged on 200 fresh
# *seen-word* reviews (sentiment_task(n_train=600).train_texts[400:]), never on the test reviews.
OPTIMIZER_RATES = {"sgd": 3e-2, "adamw": 3e-4, "adagrad": 1e-3}


def layer_of(name: str) -> str:
    """A parameter's layer: "block k" (counting from 1) inside the stack, else its first name part."""
    found = re.search(r"\.(\d+)\.", name)
    return f"block {int(found.group(1)) + 1}" if found else name.split(".")[0]


def snapshot(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {name: p.detach().float().cpu().clone() for name, p in module.named_parameters()}


def relative_distances(module: torch.nn.Module, start: dict[str, torch.Tensor], names) -> dict[str, float]:
    """Per layer, and for all of ``names`` together ("all"): ‖θ − θ(0)‖ / ‖θ(0)‖."""
    moved, size = {}, {}
    current = dict(module.named_parameters())
    for name in names:
        layer = layer_of(name)
        delta = current[name].detach().float().cpu() - start[name]
        for key in (layer, "all"):
            moved[key] = moved.get(key, 0.0) + float(delta.pow(2).sum())
            size[key] = size.get(key, 0.0) + float(start[name].pow(2).sum())
    order = [key for key in moved if key != "all"] + ["all"] if moved else []
    return {key: (moved[key] / size[key]) ** 0.5 if size[key] > 0 else 0.0 for key in order}


class DistanceRecorder:
    """Callback for ``train_classifier``: the distances of the backbone at every evaluation."""

    def __init__(self, start: dict[str, torch.Tensor], arm: str):
        self.start, self.arm, self.rows = start, arm, []

    def __call__(self, state) -> None:
        backbone = state.model.network  # the SequenceClassifier's copy of the model's network
        names = [n for n, p in backbone.named_parameters() if p.requires_grad and n in self.start]
        for layer, distance in relative_distances(backbone, self.start, names).items():
            self.rows.append({"arm": self.arm, "step": state.step, "layer": layer, "distance": distance})


def _training_set(task, n_train):
    chosen = next(iter(balanced_subsets(task.train_labels, [n_train], seed=0).values()))
    return [task.train_texts[i] for i in chosen], [task.train_labels[i] for i in chosen]


class DistanceResult(ExperimentResult):
    experiment = "distance_from_start"

    def table(self):
        """Distance of each layer at each recorded step, one column per arm."""
        frame = self.frame()
        return frame.pivot_table(index=["layer", "step"], columns="arm", values="distance", sort=False).reset_index()

    def final(self):
        """Each arm's distance per layer at the last step, and its accuracy."""
        frame = self.frame()
        last = frame[frame["step"] == frame["step"].max()]
        return last.pivot_table(index="layer", columns="arm", values="distance", sort=False)


def distance_from_start(model="lecture-bert", *, steps: int = 60, record_every: int = 10, batch_size: int = 16,
                        n_train: int | None = None, seed: int = 0, learning_rate: float | None = None,
                        task=None, device=None, log=None) -> DistanceResult:
    """Full fine-tuning from θ̂ and from a random start; each layer's distance from its start.

    Rows: arm ("pretrained" / "scratch"), step, layer, distance (``layer`` "all"
    is the whole backbone). ``extra["accuracy"]``: each arm's held-out-word
    accuracy and its settings, which are the same for both arms.
    """
    started = time.perf_counter()
    task = task or sentiment_task()
    base = resolve_model(model, device)
    texts, labels = _training_set(task, n_train)
    rows, accuracy = [], []
    for arm, start_model in (("pretrained", base), ("scratch", from_scratch(base, seed))):
        recorder = DistanceRecorder(snapshot(start_model.module), arm)
        classifier = train_classifier(start_model, texts, labels, "full", steps=steps, batch_size=batch_size,
                                      seed=seed, learning_rate=learning_rate, eval_every=record_every,
                                      callbacks=[recorder], progress=False, device=device,
                                      pooling=pooling_for(start_model))
        rows += recorder.rows
        score = classifier.accuracy(task.test_texts, task.test_labels)
        accuracy.append({"arm": arm, "model": start_model.name, "accuracy": score, "steps": steps,
                         "batch_size": batch_size, "seed": seed, "learning_rate": peak_learning_rate(classifier),
                         "n_examples": len(texts)})
        if log:
            log(f"{arm:<10} held-out-word accuracy {score:.3f}, whole backbone moved "
                f"{recorder.rows[-1]['distance']:.3f} of its norm ({classifier.seconds:.1f} s)")  # "all" comes last
    settings = {"model": base.name, "steps": steps, "record_every": record_every, "batch_size": batch_size,
                "seed": seed, "n_examples": len(texts), **task.settings()}
    return DistanceResult(rows, settings, time.perf_counter() - started, extra={"accuracy": accuracy})


def plot_distances(result: DistanceResult, ax=None):
    """Distance from the start against step: solid from θ̂, dashed from random, one colour per layer."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4))
    frame = result.frame()
    layers = list(dict.fromkeys(frame["layer"]))
    palette = plt.get_cmap("viridis")
    for index, layer in enumerate(layers):
        color = "black" if layer == "all" else palette(index / max(len(layers) - 1, 1))
        for arm, style in (("pretrained", "-"), ("scratch", "--")):
            part = frame[(frame["arm"] == arm) & (frame["layer"] == layer)]
            ax.plot(part["step"], part["distance"], style, color=color, lw=2 if layer == "all" else 1,
                    label=layer if arm == "pretrained" else None)
    ax.plot([], [], "k-", label="from θ̂ (pretrained)")
    ax.plot([], [], "k--", label="from random init")
    ax.set_xlabel("fine-tuning step")
    ax.set_ylabel("‖θ − θ(0)‖ / ‖θ(0)‖")
    ax.set_title("how far each layer moves from where it started")
    ax.legend(fontsize=7, ncol=2)
    return ax


class OptimizerResult(ExperimentResult):
    experiment = "compare_optimizers"

    def table(self):
        accuracy = summarize(self.frame(), ["optimizer", "learning_rate"])
        moved = self.frame().groupby("optimizer", sort=False)["distance"].mean().rename("distance mean")
        return accuracy.merge(moved.reset_index(), on="optimizer")


def compare_optimizers(model="lecture-bert", optimizers: dict | None = None, *, seeds=(0, 1, 2), steps: int = 60,
                       batch_size: int = 16, n_train: int | None = None, task=None, device=None,
                       log=None) -> OptimizerResult:
    """Full fine-tuning with each optimizer (name -> peak learning rate, default ``OPTIMIZER_RATES``).

    Rows: optimizer, learning_rate, seed, accuracy (held-out words),
    train_loss (mean of the last 10 steps), distance (whole backbone, from θ̂).
    """
    started = time.perf_counter()
    optimizers = dict(optimizers or OPTIMIZER_RATES)
    task = task or sentiment_task()
    base = resolve_model(model, device)
    texts, labels = _training_set(task, n_train)
    start = snapshot(base.module)
    rows = []
    for name, rate in optimizers.items():
        for seed in seeds:
            classifier = train_classifier(base, texts, labels, "full", steps=steps, batch_size=batch_size,
                                          seed=seed, learning_rate=rate, optimizer=name, eval_every=steps,
                                          progress=False, device=device, pooling=pooling_for(base))
            backbone = classifier.network.network
            names = [n for n, p in backbone.named_parameters() if p.requires_grad and n in start]
            recent = classifier.history.train_loss[-10:]
            rows.append({"optimizer": name, "learning_rate": rate, "seed": seed,
                         "accuracy": classifier.accuracy(task.test_texts, task.test_labels),
                         "train_loss": sum(recent) / len(recent),
                         "distance": relative_distances(backbone, start, names)["all"],
                         "steps": steps, "batch_size": batch_size, "n_examples": len(texts)})
            if log:
                log(f"{name:<8} lr={rate:g} seed={seed}  held-out-word accuracy {rows[-1]['accuracy']:.3f}")
    settings = {"model": base.name, "optimizers": optimizers, "seeds": list(seeds), "steps": steps,
                "batch_size": batch_size, "n_examples": len(texts), **task.settings()}
    return OptimizerResult(rows, settings, time.perf_counter() - started)
