"""What the fine-tuning experiments share: the task, fair subsets, a random twin, a result.

- ``sentiment_task``: the held-out-word sentiment split as lists of texts and
  labels. The world's reviews name a film, and every review of a good film is
  positive, so the title alone gives the label away (a model that memorises 60
  titles scores 100% on the held-out-word reviews without reading one sentiment
  word). ``hide_titles=True`` (the default) writes "the film" instead, so the only
  cue left is the sentiment words the experiment is about.
- ``balanced_subsets``: nested, class-balanced, seeded samples of the training set
  (the 16 examples are among the 64, which are among the 256, for each seed).
- ``from_scratch``: the same architecture with freshly initialised weights, behind
  the same tokenizer and interface: the "no pretraining" arm.
- ``pooling_for``: how the experiments read an encoder's text: the mean of its token
  vectors, not the [CLS] vector (see its docstring for the measurement behind it).
- ``ExperimentResult``: rows (one per training run), the settings and the seconds;
  ``table()`` summarises, ``to_dict``/``from_dict`` go to and from JSON.
"""

from __future__ import annotations

import copy
import hashlib
import random
from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd
import torch

from ..heads import DEFAULT_POOLING
from ..inputs import label_classes

HIDDEN_TITLE = "the film"


@dataclass
class SentimentTask:
    """Reviews built from seen sentiment words (train) and from held-out ones (test)."""

    train_texts: list[str]
    train_labels: list[str]
    test_texts: list[str]
    test_labels: list[str]
    seen_words: dict[str, tuple[str, ...]]
    heldout_words: dict[str, tuple[str, ...]]
    hide_titles: bool

    def settings(self) -> dict:
        return {"n_train": len(self.train_texts), "n_test": len(self.test_texts), "hide_titles": self.hide_titles,
                "heldout_words": {k: list(v) for k, v in self.heldout_words.items()},
                "data": fingerprint(self.train_texts + self.test_texts)}


def hide_title(text: str, titles: list[str]) -> str:
    """``text`` with any film title replaced by "the film" (capitalised at the start)."""
    for title in titles:
        text = text.replace(title, HIDDEN_TITLE)
    return text[0].upper() + text[1:] if text.startswith(HIDDEN_TITLE) else text


def sentiment_task(n_train: int = 400, n_test: int = 200, hide_titles: bool = True, world=None) -> SentimentTask:
    """``lecturekit.world.splits.sentiment_transfer`` as texts and labels (see the module docstring)."""
    from ...world.facts import make_world
    from ...world.splits import sentiment_transfer

    world = world if world is not None else make_world(0)
    split = sentiment_transfer(world, n_train=n_train, n_test=n_test)
    titles = sorted((film.title for film in world.films), key=len, reverse=True)  # longest first

    def texts(reviews):
        return [hide_title(r.text, titles) if hide_titles else r.text for r in reviews]

    return SentimentTask(texts(split.train), [r.label for r in split.train], texts(split.test),
                         [r.label for r in split.test], split.seen_words, split.heldout_words, hide_titles)


def pooling_for(model) -> str | None:
    """"mean" for an encoder, the library's default (the last token) for a decoder.

    BERT's [CLS] vector was trained by next-sentence prediction; lecture-bert was
    pretrained with masked LM alone, so its [CLS] output never carried a loss and
    starts fine-tuning as noise. Measured on the held-out-word sentiment task (all
    400 reviews, 60 steps, seed 0): [CLS] pooling fits only 0.59 of the training
    reviews and scores 0.53 on the held-out words, mean pooling 0.94 and 0.85; with
    200 steps [CLS] catches up (0.88). The experiments compare methods and starts,
    not poolings, so they read every encoder the way its pretraining trained it.
    """
    reads_first = DEFAULT_POOLING.get(getattr(model, "kind", None)) == "first"  # the library's encoders
    return "mean" if reads_first else None


def balanced_subsets(labels: list, sizes, seed: int) -> dict[int, list[int]]:
    """Indices of a class-balanced sample of each size; each sample contains the smaller ones.

    Each class's examples are shuffled (seeded) and dealt in turns, class by class;
    the first n of that order is the sample of size n. ``None`` means all examples.
    """
    classes = label_classes(list(labels))
    rng = random.Random(f"balanced-subsets-{seed}")
    queues = []
    for label in classes:
        members = [i for i, y in enumerate(labels) if y == label]
        rng.shuffle(members)
        queues.append(members)
    order = []
    for turn in range(max(len(q) for q in queues)):
        order.extend(q[turn] for q in queues if turn < len(q))
    subsets = {}
    for size in sizes:
        n = len(order) if size is None else size
        if not isinstance(n, int) or not len(classes) <= n <= len(order):
            raise ValueError(f"Subset sizes must be between {len(classes)} and {len(order)} (or None for all); got {size!r}.")
        subsets[n] = order[:n]
    return subsets


def fingerprint(items) -> str:
    """A short digest: two runs with equal digests saw the same examples in the same order."""
    digest = hashlib.sha1()
    for item in items:
        digest.update(str(item).encode() + b"\0")
    return digest.hexdigest()[:12]


def from_scratch(model, seed: int = 0):
    """``model`` with its weights drawn afresh: same architecture, tokenizer and settings.

    The module is rebuilt from its own config, so every initialisation rule of the
    architecture applies (N(0, 0.02) weights, zero biases, unit norms for BERT).
    """
    torch.manual_seed(seed)
    module = type(model.module)(model.module.config)
    twin = copy.copy(model)  # shares the tokenizer; gets its own module
    twin.module = module.to(device=model.device, dtype=model.dtype).eval()
    twin.name = f"{model.name} (random init)"
    return twin


def resolve_model(model, device=None):
    """A loaded model, or the model of that name loaded now."""
    if isinstance(model, str):
        from ...hub import load_model

        return load_model(model, device=device)
    return model


def peak_learning_rate(classifier) -> float:
    """The peak of the schedule the run really used (after warm-up)."""
    return float(max(classifier.history.learning_rate))


def summarize(frame: pd.DataFrame, by: list[str], value: str = "accuracy") -> pd.DataFrame:
    """Mean, spread (standard deviation), lowest and highest ``value`` and the number of runs."""
    grouped = frame.groupby(by, sort=False)[value]
    table = grouped.agg(["mean", "std", "min", "max", "count"]).reset_index()
    return table.rename(columns={"mean": f"{value} mean", "std": f"{value} std", "min": f"{value} min",
                                 "max": f"{value} max", "count": "runs"})


@dataclass
class ExperimentResult:
    """One experiment: a row per training run, its settings, its wall time.

    ``extra`` holds further row lists (e.g. distances per layer and step).
    """

    rows: list[dict]
    settings: dict
    seconds: float = 0.0
    extra: dict[str, list[dict]] = field(default_factory=dict)
    note: str = ""

    experiment: ClassVar[str] = "experiment"

    def frame(self, which: str | None = None) -> pd.DataFrame:
        """The raw rows (or one of the ``extra`` lists) as a table."""
        return pd.DataFrame(self.rows if which is None else self.extra[which])

    def table(self) -> pd.DataFrame:
        return self.frame()

    def to_dict(self) -> dict:
        return {"experiment": self.experiment, "settings": self.settings, "seconds": round(self.seconds, 1),
                "rows": self.rows, "extra": self.extra, "note": self.note}

    @classmethod
    def from_dict(cls, data: dict):
        if data.get("experiment", cls.experiment) != cls.experiment:
            raise ValueError(f"These are results of {data['experiment']!r}, not of {cls.experiment!r}.")
        return cls(rows=list(data["rows"]), settings=dict(data["settings"]), seconds=float(data["seconds"]),
                   extra={k: list(v) for k, v in data.get("extra", {}).items()}, note=data.get("note", ""))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {len(self.rows)} runs, {self.seconds:.0f} s>"
