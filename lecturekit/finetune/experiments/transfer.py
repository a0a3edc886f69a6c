"""Experiment 1: does pretraining let a model use words it never saw with a label?

Training reviews use only the *seen* sentiment words, test reviews only the
*held-out* ones, which a pretrained model met in unlabelled text alone. Arms:

- the pretrained model (lecture-bert), full fine-tuning;
- the same architecture from random weights (``from_scratch``), same recipe;
- a real pretrained encoder (MiniLM), as a linear probe and fully fine-tuned.

Every arm gets, for each seed and size, the same examples (nested, balanced
subsets). The fine-tuned arms get the same number of steps and batch size and
the method's usual learning rate (the scratch twin uses the pretrained model's);
the linear probe is fit to convergence (``finetune.probe``), since it asks what
MiniLM's frozen vectors hold, which a budget of steps would understate. The result is a
sample-efficiency curve: held-out-word accuracy against labelled examples, with
the spread over seeds.
"""

from __future__ import annotations

import time

from ..probe import fit_linear_probe
from ..training import train_classifier
from .common import (
    ExperimentResult,
    balanced_subsets,
    fingerprint,
    from_scratch,
    peak_learning_rate,
    pooling_for,
    resolve_model,
    sentiment_task,
    summarize,
)

# arm -> (which model, method); "pretrained"/"scratch" share an architecture, "reference" is MiniLM.
ARMS = {
    "pretrained": ("pretrained", "full"),
    "scratch": ("scratch", "full"),
    "reference probe": ("reference", "linear_probe"),
    "reference full": ("reference", "full"),
}
SIZES = (16, 64, 256, None)  # None: every training review


class TransferResult(ExperimentResult):
    experiment = "pretrained_vs_scratch"

    def table(self):
        """Held-out-word accuracy per arm and number of labelled examples, over the seeds."""
        return summarize(self.frame(), ["arm", "n_examples"])

    def margin(self, better: str, worse: str, n_examples: int | None = None) -> float:
        """Mean accuracy of arm ``better`` minus that of ``worse`` (at one size, or the largest)."""
        frame = self.frame()
        n = n_examples or int(frame["n_examples"].max())
        means = frame[frame["n_examples"] == n].groupby("arm")["accuracy"].mean()
        return float(means[better] - means[worse])


def _load_reference(reference, device):
    """MiniLM, or None with the reason when it is not installed."""
    try:
        return resolve_model(reference, device), ""
    except (RuntimeError, OSError) as error:  # a missing model package: skip its arms, say why
        return None, f"{reference}: {error}"


def pretrained_vs_scratch(pretrained="lecture-bert", reference="minilm-l6", *, sizes=SIZES, seeds=(0, 1, 2),
                          steps: int = 60, batch_size: int = 16, arms=tuple(ARMS), task=None,
                          learning_rates: dict | None = None, device=None, log=None) -> TransferResult:
    """Train every arm on every (seed, size) and score it on the held-out-word reviews.

    ``pretrained``/``reference``: model names or loaded models. ``task``: a
    ``SentimentTask`` (default ``sentiment_task()``). ``learning_rates`` maps an
    arm or a method to its peak rate (an arm's entry wins; default:
    ``finetune.methods.default_learning_rate``).
    Returns a ``TransferResult``: one row per run (arm, model, method, n_examples,
    seed, accuracy, train_accuracy, steps, batch_size, learning_rate, trainable,
    examples, seconds); ``table()`` gives mean and spread per arm and size.
    """
    started = time.perf_counter()
    unknown = sorted(set(arms) - set(ARMS))
    if unknown:
        raise ValueError(f"Unknown arms {unknown}; choose from {', '.join(ARMS)}.")
    task = task or sentiment_task()
    learning_rates = dict(learning_rates or {})
    base = resolve_model(pretrained, device)
    needs_reference = any(ARMS[a][0] == "reference" for a in arms)
    other, note = _load_reference(reference, device) if needs_reference else (None, "")
    if other is None:
        arms = [a for a in arms if ARMS[a][0] != "reference"]
    rows = []
    for seed in seeds:
        models = {"pretrained": base, "scratch": from_scratch(base, seed) if "scratch" in arms else None,
                  "reference": other}
        for n, chosen in balanced_subsets(task.train_labels, sizes, seed).items():
            texts = [task.train_texts[i] for i in chosen]
            labels = [task.train_labels[i] for i in chosen]
            for arm in arms:
                which, method = ARMS[arm]
                model = models[which]
                probe = method == "linear_probe"
                if probe:  # what the frozen vectors hold, not what 60 steps reach
                    classifier = fit_linear_probe(model, texts, labels, pooling=pooling_for(model), seed=seed,
                                                  device=device)
                else:  # by default the scratch twin takes the pretrained model's rate: one recipe, two starts
                    classifier = train_classifier(
                        model, texts, labels, method, steps=steps, batch_size=batch_size, seed=seed,
                        learning_rate=learning_rates.get(arm, learning_rates.get(method)), eval_every=steps,
                        progress=False, device=device, pooling=pooling_for(model))
                accuracy = classifier.accuracy(task.test_texts, task.test_labels)
                rows.append({
                    "arm": arm, "model": model.name, "init": "random" if which == "scratch" else "pretrained",
                    "method": method, "n_examples": n, "seed": seed, "accuracy": accuracy,
                    "train_accuracy": classifier.history.accuracy[-1],
                    # the probe: L-BFGS iterations over all its examples at once, with no learning rate
                    "steps": classifier.settings["iterations"] if probe else steps,
                    "batch_size": n if probe else batch_size,
                    "learning_rate": None if probe else peak_learning_rate(classifier),
                    "trainable": classifier.trainable_parameters,
                    "examples": fingerprint(chosen), "seconds": round(classifier.seconds, 2),
                })
                if log:
                    log(f"{arm:<16} n={n:<4} seed={seed}  held-out-word accuracy {accuracy:.3f}  "
                        f"({classifier.seconds:.1f} s)")
    settings = {"pretrained": base.name, "reference": getattr(other, "name", str(reference)),
                "arms": list(arms), "sizes": [s if s is not None else "all" for s in sizes], "seeds": list(seeds),
                "steps": steps, "batch_size": batch_size, "learning_rates": learning_rates, **task.settings()}
    return TransferResult(rows, settings, time.perf_counter() - started, note=note)


ARM_STYLE = {"pretrained": ("#4c78a8", "o"), "scratch": ("#e45756", "s"),
             "reference probe": ("#54a24b", "^"), "reference full": ("#72b7b2", "D")}


def plot_sample_efficiency(result: TransferResult, ax=None):
    """Held-out-word accuracy against labelled examples: mean line, min-max band, one per arm."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4))
    frame = result.frame()
    table = result.table()
    for arm, part in table.groupby("arm", sort=False):
        first = frame[frame["arm"] == arm].iloc[0]
        color, marker = ARM_STYLE.get(arm, ("#888888", "o"))
        label = f"{first['model']} ({first['method'].replace('_', ' ')})"
        ax.plot(part["n_examples"], part["accuracy mean"], marker=marker, color=color, label=label)
        ax.fill_between(part["n_examples"], part["accuracy min"], part["accuracy max"], color=color, alpha=0.15)
    ax.axhline(0.5, color="grey", ls=":", lw=1, label="chance")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("labelled training reviews (seen words only)")
    ax.set_ylabel("accuracy on held-out-word reviews")
    ax.set_ylim(0.3, 1.02)
    seeds = len(result.settings.get("seeds", []))
    ax.set_title(f"pretrained vs from scratch (mean, band: min-max over {seeds} seeds)")
    ax.legend(fontsize=8, loc="lower right")
    return ax
