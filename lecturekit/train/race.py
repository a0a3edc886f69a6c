"""A fair race between masked LM and causal LM, judged on one yardstick (notebook 03, section 5).

The two objectives' losses cannot be compared: a decoder is scored on every next
token from its left context, an encoder only on the hidden tokens, seen from both
sides. What can be compared is what each model knows. So ``race`` trains an encoder
(masked LM) and a decoder (causal LM) of the same size on the same documents for the
same number of tokens, and at every evaluation ranks the candidates of the *same*
cloze probes with each model's ``score_candidates`` (``score_probes``): top-1 per
category against tokens read. ``plot_race`` and ``race_table`` set the curves beside
the majority answer and the best surface rule (``lecturekit.world.heuristics``).

The known confound is the encoder's recipe. With BERT's own choices (15% masking,
position vectors started at random) a small encoder sits on the masked-LM plateau
(notebook 03, 5b); ``recipe="working"`` uses what got lecture-bert off it
(configs/lecture-bert.json). The decoder's settings are the same under both recipes,
so a second race can reuse the first one's decoder (``decoder_from``).
"""

from __future__ import annotations

from dataclasses import dataclass

from tokenizers import Tokenizer

from .data import framed
from .experiments import Run, data_fingerprint, small_pretraining
from .pretrain import OBJECTIVES, check_probes_fit

# The decoder's settings: the race's learning rate from before the recipes existed.
DECODER = {"masking": {}, "init": {}, "learning_rate": 3e-3}
RECIPES = {
    # BERT's choices for the encoder, at the decoder's learning rate: both models trained alike.
    "bert": {"masking": {"mask_rate": 0.15}, "init": {}, "learning_rate": 3e-3},
    # configs/lecture-bert.json's: 40% masking, sinusoid-started positions, peak lr 1e-3 (5b).
    "working": {"masking": {"mask_rate": 0.4}, "init": {"positions": "sinusoidal", "scale": 0.1},
                "learning_rate": 1e-3},
}
LABELS = {"mlm": "masked LM", "clm": "causal LM"}
RECIPE_NAMES = {"bert": "BERT's recipe", "working": "working recipe"}
MARGIN = 0.10  # a model "learned" a category only if it beats the best surface rule by this much


@dataclass
class Race:
    recipe: str
    items: list
    runs: dict[str, Run]  # "mlm" (the encoder) and "clm" (the decoder)

    def label(self, objective: str) -> str:
        return f"{LABELS[objective]} ({RECIPE_NAMES[self.recipe]})" if objective == "mlm" else LABELS[objective]

    def curves(self):
        """One row per model, evaluation and category: step, tokens read, n and top-1."""
        import pandas as pd

        rows = []
        for objective, run in self.runs.items():
            tokens = dict(zip(run.history.step, run.history.tokens, strict=True))
            rows += [{"model": self.label(objective), "step": row["step"], "tokens": tokens[row["step"]],
                      "category": row["category"], "n": int(row["n"]), "top1": row["top1"]}
                     for row in run.history.probes]
        return pd.DataFrame(rows, columns=["model", "step", "tokens", "category", "n", "top1"])


def recipe_settings(objective: str, recipe: str) -> dict:
    """The masking, initialisation and learning rate ``race`` gives one of its two models."""
    if recipe not in RECIPES:
        raise ValueError(f"recipe must be one of {', '.join(RECIPES)}, not {recipe!r}")
    if objective not in LABELS:
        raise ValueError(f"the race is between {' and '.join(LABELS)}, not {objective!r}")
    return dict(RECIPES[recipe] if objective == "mlm" else DECODER)


def race(tokenizer: Tokenizer, documents: list[str], items, *, steps: int = 250, recipe: str = "working",
         batch_size: int = 8, block_size: int = 128, d_model: int = 64, n_layers: int = 2, eval_every: int = 50,
         seed: int = 0, plot: bool = True, device=None, decoder_from: Race | None = None) -> Race:
    """Train the encoder and the decoder alike and score both on ``items`` at every evaluation.

    Both read ``steps`` x ``batch_size`` blocks of ``block_size`` tokens from the same
    documents; ``block_size`` is also the models' context, so it must hold the longest
    probe (the world-state stories need about 100 tokens). ``decoder_from``: an earlier
    race with the same settings and items, whose decoder is reused instead of retrained
    (its settings do not depend on the recipe, and training is deterministic).
    """
    items = list(items)
    sizes = {"steps": steps, "batch_size": batch_size, "block_size": block_size, "d_model": d_model,
             "n_layers": n_layers, "eval_every": eval_every, "seed": seed}
    # Everything that can go wrong is checked before the first training step.
    settings = {objective: recipe_settings(objective, recipe) for objective in LABELS}
    for objective in LABELS:
        check_probes_fit(items, framed(tokenizer, OBJECTIVES[objective][1]), block_size)
    runs = {}
    if decoder_from is not None:
        expected = {**sizes, **settings["clm"], "data": data_fingerprint(tokenizer, documents)}
        runs["clm"] = _reused_decoder(decoder_from, items, expected)
    for objective in LABELS:
        if objective not in runs:
            runs[objective] = small_pretraining(objective, tokenizer, documents, probe_items=items, plot=plot,
                                                device=device, **sizes, **settings[objective])
    return Race(recipe, items, {objective: runs[objective] for objective in LABELS})


def _reused_decoder(earlier: Race, items, settings: dict) -> Run:
    run = earlier.runs["clm"]
    if earlier.items != items:
        raise ValueError("decoder_from: that race scored other probe items; a reused decoder must be judged alike")
    differing = sorted(k for k in settings if run.settings.get(k) != settings[k])
    if differing:
        raise ValueError(f"decoder_from: that race's decoder was trained with other {', '.join(differing)}")
    return run


def _as_list(races) -> list[Race]:
    return [races] if isinstance(races, Race) else list(races)


def final_top1(races):
    """Top-1 per category (rows) of every model (columns) at its last evaluation."""
    curves = _all_curves(_as_list(races))
    last = curves[curves["step"] == curves.groupby("model")["step"].transform("max")]
    table = last.pivot(index="category", columns="model", values="top1")
    order = list(dict.fromkeys(curves["category"]))
    return table.loc[order, list(dict.fromkeys(curves["model"]))]


def _all_curves(races: list[Race]):
    import pandas as pd

    # A decoder reused by a second race appears once.
    return pd.concat([r.curves() for r in races], ignore_index=True).drop_duplicates(ignore_index=True)


def race_table(races, bars, margin: float = MARGIN):
    """Final top-1 per category for each model beside the majority answer and the best surface rule.

    ``bars``: ``heuristic_table(world, race.items)``, on the same items as the race.
    A model has "learned" a category only where it beats the best rule by more than ``margin``.
    """
    table = final_top1(races)
    models = list(table.columns)
    best = bars.loc[table.index, "best heuristic"]
    table["majority answer"] = bars.loc[table.index, "majority answer"]
    table["best surface rule"] = best
    table["which rule"] = bars.loc[table.index, "strongest"]
    for model in models:
        table[f"{model} learned?"] = (table[model] > best + margin + 1e-9).map({True: "yes", False: "no"})
    table.columns.name = None
    return table


def plot_race(races, bars, categories=None, figsize=None):
    """One panel per category: each model's probe top-1 against tokens read, with the bars to beat.

    Dashed grey: the majority answer; dotted: the best surface rule. Where every item has
    two candidates, a green dash-dot line marks chance (0.5).
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import EngFormatter

    races = _as_list(races)
    curves = _all_curves(races)
    categories = list(categories or dict.fromkeys(curves["category"]))
    binary = {c for c in categories if all(len(i.candidates) == 2 for i in races[0].items if i.category == c)}
    columns = min(4, len(categories))
    rows = -(-len(categories) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=figsize or (3.4 * columns, 2.9 * rows), sharey=True,
                                squeeze=False)
    colours = dict(zip(dict.fromkeys(curves["model"]), ["#4c78a8", "#f58518", "#72b7b2", "#b279a2"], strict=False))
    for axis, category in zip(axes.flat, categories, strict=False):  # spare panels stay empty
        for model, group in curves[curves["category"] == category].groupby("model", sort=False):
            axis.plot(group["tokens"], group["top1"], "o-", ms=3, color=colours.get(model), label=model)
        axis.axhline(bars.loc[category, "majority answer"], color="grey", ls="--", lw=1, label="majority answer")
        axis.axhline(min(bars.loc[category, "best heuristic"], 1.0), color="black", ls=":", lw=1.2,
                     label="best surface rule")
        if category in binary:
            axis.axhline(0.5, color="#54a24b", ls="-.", lw=1, label="chance (2 answers)")
        sample = int(curves.loc[curves["category"] == category, "n"].iloc[0])
        axis.set_title(f"{category} ({sample} probes){', 2 answers' if category in binary else ''}", fontsize=9)
        axis.set_ylim(0, 1.02)
        axis.set_xlabel("tokens read")
        axis.xaxis.set_major_formatter(EngFormatter(sep=""))  # 50k, 3M: tokens, not steps
    for axis in axes[:, 0]:
        axis.set_ylabel("probe top-1")
    for axis in axes.flat[len(categories):]:
        axis.axis("off")
    handles = {}
    for axis in axes.flat:
        for handle, label in zip(*axis.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, handle)
    figure.legend(handles.values(), handles.keys(), loc="lower center", ncol=min(6, len(handles)), fontsize=8,
                  bbox_to_anchor=(0.5, -0.02))
    figure.suptitle("The same cloze probes, the same ranking: top-1 against tokens read", fontsize=10)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    plt.close(figure)
    return figure
