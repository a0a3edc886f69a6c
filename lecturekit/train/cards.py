"""Reading the shipped lecture models' model cards (``card.json`` beside the weights)."""

from __future__ import annotations

import json


def load_card(name: str) -> dict:
    """The model card of a shipped lecture model (lecture-bert, lecture-gpt, lecture-t5)."""
    from ..hub.lecture import checkpoint_dir

    path = checkpoint_dir(name) / "card.json"
    if not path.is_file():
        raise FileNotFoundError(f"{name} has no model card at lecturekit/checkpoints/{name}/card.json")
    return json.loads(path.read_text())


def probe_comparison(names) -> pandas.DataFrame:  # noqa: F821
    """Top-1 accuracy per category for each model, beside the most-frequent-answer baseline."""
    import pandas as pd

    columns = {}
    baseline = None
    for name in names:
        rows = {row["category"]: row for row in load_card(name)["probes"]}
        columns[name] = {category: row["top1"] for category, row in rows.items()}
        baseline = baseline or {category: row["baseline_top1"] for category, row in rows.items()}
    table = pd.DataFrame(columns)
    table["baseline"] = pd.Series(baseline)
    table.index.name = "category"
    return table


def training_summary(names) -> pandas.DataFrame:  # noqa: F821
    """How much training each model got, from its card: compare budgets before comparing models."""
    import pandas as pd

    rows = {}
    for name in names:
        card = load_card(name)
        masking = card.get("masking") or {}
        rows[name] = {
            "objective": card["objective"],
            "parameters": card["parameters"],
            "steps": card["steps"],
            "tokens read": card["data"]["tokens_seen"],
            "hidden share": masking.get("mask_rate", masking.get("noise_density", 0.15))
            if card["objective"] != "clm" else None,
            "peak learning rate": card["train"]["learning_rate"],
            "CPU minutes": round(card["wall_time_seconds"] / 60),
        }
    return pd.DataFrame(rows)


def plot_probe_history(names, figsize=(11, 3.4)):
    """One panel per model: probe top-1 accuracy per category over training steps."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(names), figsize=figsize, sharey=True, squeeze=False)
    for axis, name in zip(axes[0], names, strict=True):
        history = load_card(name).get("probe_history", [])
        categories = list(dict.fromkeys(row["category"] for row in history))
        for category in categories:
            rows = [r for r in history if r["category"] == category]
            axis.plot([r["step"] for r in rows], [r["top1"] for r in rows], "o-", ms=3, label=category)
        sample = int(history[0]["n"]) if history else 0
        axis.set_title(f"{name} ({sample} probes per category)", fontsize=10)
        axis.set_xlabel("optimizer step")
        axis.set_ylim(0, 1.02)
    axes[0][0].set_ylabel("probe top-1 accuracy")
    # Outside the last panel, so no line is hidden behind it.
    axes[0][-1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    figure.tight_layout()
    plt.close(figure)
    return figure
