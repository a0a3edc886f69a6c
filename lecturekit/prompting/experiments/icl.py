"""In-context learning versus k, for many tasks at once (GPT-3's few-shot curves).

``icl_curves`` runs ``accuracy_vs_k`` for every task and pools the seeds: each
(task, k) gets one accuracy over all its answers with a 95% Wilson interval.
``emergence`` reads the table the way the lecture asks: does accuracy with the
most demonstrations beat zero-shot, and the interval of zero-shot, or not?
"""

from __future__ import annotations

import pandas as pd

from ..evaluation import answers_vs_k, summarise
from ..tasks import BUILTIN_TASKS

KS = (0, 1, 2, 4, 8)


def icl_curves(model, tasks=tuple(BUILTIN_TASKS), ks=KS, items: int = 10, seeds=(0,)) -> pd.DataFrame:
    """One row per task and k: items, correct, accuracy, ci_low, ci_high (seeds pooled)."""
    answers = pd.concat([answers_vs_k(model, task, ks, items, seeds) for task in tasks], ignore_index=True)
    table = summarise(answers, by=("task", "k"))
    table.attrs["model"] = model.name
    table.attrs["seeds"] = list(seeds) if not isinstance(seeds, int) else [seeds]
    return table.drop(columns=["answers"])


def emergence(table: pd.DataFrame) -> pd.DataFrame:
    """Per task: zero-shot and best-k accuracy, and whether the best k's interval clears zero-shot.

    ``learned in context`` is True when the lowest end of the interval at the
    largest k is above the zero-shot accuracy (a gain the sample cannot explain).
    """
    rows = []
    for task, group in table.groupby("task", sort=False):
        group = group.sort_values("k")
        zero, last = group.iloc[0], group.iloc[-1]
        rows.append({"task": task, "k=0": zero.accuracy, f"k={int(last.k)}": last.accuracy,
                     "ci_low at max k": last.ci_low, "best": group.accuracy.max(),
                     "learned in context": bool(last.ci_low > zero.accuracy)})
    return pd.DataFrame(rows)


def plot_icl_curves(table: pd.DataFrame, ax=None, title: str | None = None):
    """Accuracy vs k, one line per task, with the Wilson intervals as shaded bands."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2))
    for task, group in table.groupby("task", sort=False):
        group = group.sort_values("k")
        (line,) = ax.plot(group.k, group.accuracy, marker="o", label=task)
        ax.fill_between(group.k, group.ci_low, group.ci_high, color=line.get_color(), alpha=0.12)
    ax.set_xscale("symlog", linthresh=1)
    ks = sorted(table.k.unique())
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("demonstrations in the prompt (k)")
    ax.set_ylabel("accuracy (95% Wilson interval)")
    ax.set_title(title or f"In-context learning on {table.attrs.get('model', 'the model')}")
    ax.legend(fontsize=8, ncol=2, loc="upper left")
    return ax.figure
