"""What the demonstrations do: four measured effects of in-context learning.

- ``order_sensitivity``: the same demonstrations in other orders can change
  accuracy a lot (Lu et al. 2022, "Fantastically ordered prompts").
- ``label_correctness``: demonstrations with random labels often do nearly as
  well as correct ones (Min et al. 2022): the prompt teaches the format and the
  label space more than the mapping.
- ``recall_vs_learning``: the lecture's open question, "recall of training data
  versus learning in context". Replace the labels by invented words: the model
  cannot have memorised "great film => zorp", so what it gets right it learned
  from the prompt.
- ``label_bias``: majority and recency bias of few-shot classification, and
  contextual calibration as a fix (Zhao et al. 2021; see ``calibration``).

Each returns a table and stays cheap (a few items, a few prompts), so a notebook
can run it on a CPU.
"""

from __future__ import annotations

import itertools
import math
import random

import pandas as pd

from .calibration import CONTENT_FREE, calibrated_predictions, check_causal
from .evaluation import (
    MAX_NEW_TOKENS,
    answer_queries,
    answers_vs_k,
    draw_demonstrations,
    query_indices,
    summarise,
    wilson_interval,
)
from .tasks import Task, as_task

INVENTED_LABELS = ("zorp", "blick", "fepo", "tuma", "lorn", "vasp", "quen", "drib")


def _accuracy(correct: list[bool]) -> dict:
    low, high = wilson_interval(sum(correct), len(correct))
    return {"items": len(correct), "correct": sum(correct), "accuracy": sum(correct) / len(correct),
            "ci_low": low, "ci_high": high}


def order_sensitivity(model, task="antonyms", k: int = 4, orders: int = 6, items: int = 10, seed: int = 0,
                      max_new_tokens: int = MAX_NEW_TOKENS, batched: bool = True) -> pd.DataFrame:
    """Accuracy for ``orders`` orderings of one set of k demonstrations (the first is the drawn order).

    ``table.attrs["spread"]`` is the best accuracy minus the worst.
    """
    task = as_task(task)
    queries = query_indices(task, items)
    drawn = draw_demonstrations(task, queries, k, seed)
    arrangements = [tuple(drawn)]
    rng = random.Random(seed)
    while len(arrangements) < min(orders, math.factorial(k)):
        candidate = tuple(rng.sample(drawn, k))
        if candidate not in arrangements:
            arrangements.append(candidate)
    rows = []
    for number, order in enumerate(arrangements, start=1):
        cell = answer_queries(model, task, [task.pairs[i] for i in order], queries, max_new_tokens, batched)
        rows.append({"order": number, "demonstrations": " | ".join(task.pairs[i][0] for i in order),
                     **_accuracy(cell.correct)})
    table = pd.DataFrame(rows)
    table.attrs["spread"] = float(table.accuracy.max() - table.accuracy.min())
    return table


def random_labels(task: Task, demonstrations: list[tuple[str, str]], seed: int) -> list[tuple[str, str]]:
    """The demonstrations with each output replaced by a random one.

    A classification task draws from its label set, uniformly (as Min et al. do);
    other tasks take the output of a random other pair.
    """
    rng = random.Random(f"random-labels-{seed}")
    if task.is_classification():
        return [(text, rng.choice(task.labels)) for text, _ in demonstrations]
    return [(text, rng.choice([o for o in task.outputs if o != output])) for text, output in demonstrations]


def label_correctness(model, task="sentiment", k: int = 4, items: int = 10, seeds=(0, 1, 2),
                      max_new_tokens: int = MAX_NEW_TOKENS, batched: bool = True) -> pd.DataFrame:
    """Accuracy with no demonstrations, with correct labels, and with random labels, per seed.

    ``labels right`` is the share of shown labels that were correct (random labels
    of a two-label task are right about half the time).
    """
    task = as_task(task)
    queries = query_indices(task, items)
    rows = []
    for seed in [seeds] if isinstance(seeds, int) else seeds:
        gold = [task.pairs[i] for i in draw_demonstrations(task, queries, k, seed)]
        shuffled = random_labels(task, gold, seed)
        for condition, shown in (("no demonstrations", []), ("gold labels", gold), ("random labels", shuffled)):
            cell = answer_queries(model, task, shown, queries, max_new_tokens, batched)
            right = [a == b for a, b in zip(shown, gold, strict=False)] if shown else []
            rows.append({"condition": condition, "seed": seed, "k": len(shown),
                         "labels right": sum(right) / len(right) if right else float("nan"),
                         **_accuracy(cell.correct)})
    return pd.DataFrame(rows)


def with_invented_labels(task: Task, invented=INVENTED_LABELS) -> tuple[Task, dict[str, str]]:
    """The task with each label renamed to a made-up word, and the renaming."""
    if not task.is_classification(len(invented)):
        raise ValueError(
            f"{task.name} has {len(task.labels)} different outputs for {len(task)} pairs: invented labels "
            "need a classification task (a few labels, each shown more than once), such as 'sentiment'."
        )
    mapping = dict(zip(task.labels, invented, strict=False))
    pairs = [(text, mapping[output]) for text, output in task.pairs]
    return task.with_pairs(pairs, name=f"{task.name} (invented labels)"), mapping


def recall_vs_learning(model, task="sentiment", ks=(0, 2, 4, 8), items: int = 10, seeds=(0,),
                       invented=INVENTED_LABELS, max_new_tokens: int = MAX_NEW_TOKENS,
                       batched: bool = True) -> pd.DataFrame:
    """Accuracy vs k with the real labels and with invented ones, in one table (column ``labels``).

    With invented labels, 0-shot accuracy is 0 by construction, and anything above
    it was learned from the demonstrations; with real labels the model may also
    recall what the words mean. ``table.attrs["mapping"]`` is the renaming.
    """
    task = as_task(task)
    renamed, mapping = with_invented_labels(task, invented)
    tables = []
    for name, version in (("real", task), ("invented", renamed)):
        table = summarise(answers_vs_k(model, version, ks, items, seeds, max_new_tokens, batched))
        table.insert(0, "labels", name)
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    table.attrs["mapping"] = mapping
    return table


def bias_arrangements(task: Task, queries, k: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    """Demonstration sets that test the biases: balanced, one label in the majority, one label last."""
    pool = [i for i in range(len(task)) if i not in set(queries)]
    random.Random(seed).shuffle(pool)
    by_label = {label: [task.pairs[i] for i in pool if task.pairs[i][1] == label] for label in task.labels}
    labels = task.labels

    def take(counts: dict[str, int]) -> dict[str, list]:
        for label, count in counts.items():
            if count > len(by_label[label]):
                raise ValueError(f"{task.name} has only {len(by_label[label])} {label!r} pairs to show; "
                                 f"k={k} needs {count}. Ask about fewer items or use a smaller k.")
        return {label: by_label[label][:count] for label, count in counts.items()}

    even = {label: k // len(labels) + (j < k % len(labels)) for j, label in enumerate(labels)}
    balanced = take(even)
    arrangements = {"balanced": [p for group in itertools.zip_longest(*balanced.values()) for p in group if p]}
    for label in labels:
        counts = {other: (k - 1 if other == label else 0) for other in labels}
        counts[next(o for o in labels if o != label)] = 1
        chosen = [p for group in take(counts).values() for p in group]
        random.Random(f"{seed}-{label}").shuffle(chosen)
        arrangements[f"majority {label}"] = chosen
    for label in labels:  # the same balanced set, this label's demonstrations last
        arrangements[f"recent {label}"] = ([p for o in labels if o != label for p in balanced[o]]
                                           + balanced[label])
    return arrangements


def label_bias(model, task="sentiment", k: int = 4, items: int = 10, seed: int = 0,
               content_free=CONTENT_FREE) -> pd.DataFrame:
    """Majority and recency bias, before and after contextual calibration.

    One row per arrangement of the demonstrations: the labels shown (in order),
    accuracy before and after calibration, the share of queries given each label
    before and after, and the content-free probability of each label (the bias
    that calibration divides out).
    """
    task = as_task(task)
    check_causal(model)
    if not task.is_classification():
        raise ValueError(f"{task.name} is not a classification task; label bias needs a few labels, e.g. 'sentiment'.")
    queries = query_indices(task, items)
    rows = []
    for name, shown in bias_arrangements(task, queries, k, seed).items():
        table = calibrated_predictions(model, task, shown, queries, content_free)
        row = {"arrangement": name, "labels shown": " ".join(o for _, o in shown),
               "accuracy": float((table.predicted == table.expected).mean()),
               "calibrated accuracy": float((table.calibrated == table.expected).mean())}
        for label in task.labels:
            row[f"says {label}"] = float((table.predicted == label).mean())
            row[f"calibrated says {label}"] = float((table.calibrated == label).mean())
            row[f"p_cf({label})"] = float(table[f"p_cf({label})"].iloc[0])
        rows.append(row)
    return pd.DataFrame(rows)
