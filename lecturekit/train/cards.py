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


def plot_probe_history(names, figsize=(15, 6.4)):
    """One panel per probe category: each model's top-1 over training steps, with the bars.

    The dashed line is the most frequent answer, the dotted one the best surface rule
    (``lecturekit.world.heuristics``), both on all probes of the category; a model has
    learned the category only well above the dotted line. Where a category has two
    candidates, 0.5 is chance and the panel says so.
    """
    import matplotlib.pyplot as plt

    from ..world import CATEGORIES, make_world, probes
    from ..world.heuristics import heuristic_table

    world = make_world(0)
    items = probes(world)
    bars = heuristic_table(world, items)
    two_way = {item.category for item in items if len(item.candidates) == 2}
    histories = {name: load_card(name).get("probe_history", []) for name in names}
    figure, axes = plt.subplots(2, 4, figsize=figsize, sharey=True)
    for axis, category in zip(axes.flat, CATEGORIES, strict=False):
        for name, history in histories.items():
            rows = [r for r in history if r["category"] == category]
            axis.plot([r["step"] for r in rows], [r["top1"] for r in rows], "o-", ms=3, label=name)
        axis.axhline(bars.loc[category, "majority answer"], color="grey", ls="--", lw=1)
        axis.axhline(bars.loc[category, "best heuristic"], color="black", ls=":", lw=1.5)
        title = category.replace("_", " ") + ("  (0.5 = chance)" if category in two_way else "")
        axis.set_title(title, fontsize=12)
        axis.set_ylim(0, 1.02)
        axis.tick_params(labelsize=10)
    for axis in axes[1]:
        axis.set_xlabel("optimizer step", fontsize=11)
    for axis in axes[:, 0]:
        axis.set_ylabel("probe top-1", fontsize=11)
    legend = axes.flat[-1]
    legend.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    handles += [plt.Line2D([], [], color="grey", ls="--"), plt.Line2D([], [], color="black", ls=":")]
    labels += ["most frequent answer", "best surface rule"]
    sample = next((int(r["n"]) for h in histories.values() for r in h), 0)
    legend.legend(handles, labels, loc="center", fontsize=11,
                  title=f"{sample} probes per category\nat each evaluation", title_fontsize=11)
    figure.tight_layout()
    plt.close(figure)
    return figure


def perplexity_and_probes(name: str) -> pandas.DataFrame:  # noqa: F821
    """At each evaluation of a model's training: validation perplexity and mean probe top-1.

    Both come from the card (``loss_history`` and ``probe_history``, same steps), so a
    notebook can show how the two move together while the model trains.
    """
    import math

    import pandas as pd

    card = load_card(name)
    losses = dict(zip(card["loss_history"]["step"], card["loss_history"]["validation_loss"], strict=True))
    probes = pd.DataFrame(card["probe_history"]).groupby("step")["top1"].mean()
    steps = [step for step in probes.index if step in losses]
    return pd.DataFrame({
        "step": steps,
        "validation perplexity": [round(math.exp(losses[step]), 2) for step in steps],
        "mean probe top-1": [round(float(probes[step]), 3) for step in steps],
    }).set_index("step")


def model_card_markdown(card: dict) -> str:
    rows = "\n".join(
        f"| {p['category']} | {p['n']} | {p['top1']:.3f} | {p['top5']:.3f} | {p['mrr']:.3f} | {p['baseline_top1']:.3f} |"
        for p in card["probes"]
    )
    notes = f"\n## Notes\n\n{card['notes']}\n" if card.get("notes") else ""
    recipe = ""
    if card.get("masking"):
        recipe += f"| masking | {', '.join(f'{k} {v}' for k, v in card['masking'].items())} |\n"
    if card.get("init"):
        recipe += f"| initialisation | {', '.join(f'{k} {v}' for k, v in card['init'].items())} |\n"
    return f"""# {card['name']}

A lecture-scale {card['kind']} trained by lecturekit on the generated lecture world
(objective: `{card['objective']}`). Weights: `model.safetensors`; architecture and sizes:
`config.json`; tokenizer: `tokenizer.json`; everything below also in `card.json`.

## How it was made

    {card['command']}

| | |
| --- | --- |
| parameters | {card['parameters']:,} |
| data | lecture world, {card['data']['words']:,} words, seed {card['data'].get('seed', 0)} |
| tokens seen | {card['data']['tokens_seen']:,} |
| vocabulary | {card['tokenizer']['vocab_size']:,} tokens |
| steps | {card['steps']:,} (batch {card['batch_size']} x {card['block_size']} tokens) |
| wall time | {card['wall_time_seconds']:,} s |
| device | {card['device']} |
| final training loss | {card['final_train_loss']} |
| peak learning rate | {card['train']['learning_rate']} |
{recipe}| final validation loss | {card['final_validation_loss']} |

## Knowledge probes

Cloze items from the world's facts, never seen verbatim in training. top-1/top-5:
share of items whose answer is ranked first / in the first five among the item's
candidates; mrr: mean reciprocal rank; baseline: always the most frequent answer.

| category | n | top-1 | top-5 | mrr | baseline top-1 |
| --- | --- | --- | --- | --- | --- |
{rows}
{notes}"""
