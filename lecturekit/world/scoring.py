"""Score any language model on the cloze probes: top-1, top-5, mean reciprocal rank.

A scorer is anything with ``score_candidates(text_with_blank, candidates) ->
list[float]`` (higher = more likely). A masked LM fills the blank with mask
tokens; a causal LM scores the log-probability of each filled sentence. This
module never looks inside: it only ranks the candidates by the scores.

For each item the candidates are sorted by score; the item's rank is the position
of the best-placed acceptable answer (1 = top). Ties are broken towards the
answer that is acceptable most often in the category, so a scorer with no
opinion (the same score for everything) earns exactly the majority baseline.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from ..text import BLANK
from .base import CATEGORIES, ClozeItem

COLUMNS = ["n", "top1", "top5", "mrr", "baseline_top1"]


def rank_items(scorer, items: Sequence[ClozeItem], progress: bool = False):
    """One row per item: the top prediction, the rank of the first acceptable answer.

    progress=True shows a progress bar (useful for a big model on a CPU).
    """
    import pandas as pd

    _check_scorer(scorer)
    frequency = _acceptable_frequency(items)
    rows = []
    if progress:
        from tqdm.auto import tqdm

        items = tqdm(items, desc="probes", unit="item")
    for item in items:
        _check_item(item)
        scores = _scores(scorer, item)
        often = frequency[item.category]
        order = sorted(
            range(len(item.candidates)),
            key=lambda i: (-scores[i], -often[item.candidates[i]], i),
        )
        ranked = [item.candidates[i] for i in order]
        rank = 1 + next(position for position, word in enumerate(ranked) if word in item.acceptable)
        baseline = min(item.candidates, key=lambda word: (-often[word], item.candidates.index(word)))
        rows.append({
            "category": item.category,
            "text": item.text,
            "answer": item.answer,
            "prediction": ranked[0],
            "rank": rank,
            "baseline_correct": baseline in item.acceptable,
        })
    return pd.DataFrame(rows, columns=["category", "text", "answer", "prediction", "rank", "baseline_correct"])


def score_probes(scorer, items: Sequence[ClozeItem], progress: bool = False):
    """A table with one row per category: n, top1, top5, mrr and the majority baseline.

    baseline_top1 is the accuracy of always answering, among an item's candidates,
    the word that is an acceptable answer most often in that category (for items
    sharing one candidate set: always predicting the most frequent acceptable answer).
    """
    import pandas as pd

    ranks = rank_items(scorer, items, progress=progress)
    rows = []
    present = list(dict.fromkeys(ranks["category"]))
    ordered = [c for c in CATEGORIES if c in present] + [c for c in present if c not in CATEGORIES]
    for category in ordered:
        group = ranks[ranks["category"] == category]
        rows.append({
            "category": category,
            "n": len(group),
            "top1": float((group["rank"] == 1).mean()),
            "top5": float((group["rank"] <= 5).mean()),
            "mrr": float((1.0 / group["rank"]).mean()),
            "baseline_top1": float(group["baseline_correct"].mean()),
        })
    return pd.DataFrame(rows, columns=["category", *COLUMNS]).set_index("category")


def trivia_by_fact(scorers: dict, items: Sequence[ClozeItem]):
    """Top-1 on the trivia probes split by the fact asked (birthplace, university, ...).

    ``scorers`` maps a column name to a model; ``items`` are trivia probes (others are
    ignored). One row per kind of fact: n, each model's top-1, and the majority answer's.
    """
    import pandas as pd

    from .writers.trivia import FACTS, fact_of

    trivia = [item for item in items if item.category == "trivia"]
    if not trivia:
        raise ValueError("no trivia probes given: pass probes(world, 'trivia').")
    if not scorers:
        raise ValueError("give at least one model, as {'name': model}.")
    table = pd.DataFrame({"fact": [fact_of(item) for item in trivia]})
    for name, scorer in scorers.items():
        ranks = rank_items(scorer, trivia)
        table[name] = (ranks["rank"] == 1).to_numpy()
    table["majority answer"] = ranks["baseline_correct"].to_numpy()
    summary = table.groupby("fact").mean()
    summary.insert(0, "n", table.groupby("fact").size())
    return summary.reindex([f for f in FACTS if f in summary.index])


def _acceptable_frequency(items) -> dict[str, Counter]:
    frequency: dict[str, Counter] = {}
    for item in items:
        frequency.setdefault(item.category, Counter()).update(item.acceptable)
    return frequency


def _check_scorer(scorer) -> None:
    if not callable(getattr(scorer, "score_candidates", None)):
        raise TypeError(
            f"{type(scorer).__name__} has no score_candidates(text_with_blank, candidates) method; "
            "load a model with lecturekit.load_model, or wrap your own function in a small class."
        )


def _check_item(item) -> None:
    if not isinstance(item, ClozeItem):
        raise TypeError(f"expected ClozeItem objects, got {type(item).__name__}")
    if item.text.count(BLANK) != 1:
        raise ValueError(f"a cloze text needs exactly one {BLANK!r} blank: {item.text!r}")
    if not item.acceptable or not item.acceptable <= set(item.candidates):
        raise ValueError(f"every acceptable answer must be a candidate: {item.text!r}")


def _scores(scorer, item: ClozeItem) -> list[float]:
    scores = list(scorer.score_candidates(item.text, item.candidates))
    if len(scores) != len(item.candidates):
        raise ValueError(
            f"{type(scorer).__name__}.score_candidates returned {len(scores)} scores for "
            f"{len(item.candidates)} candidates on {item.text!r}"
        )
    scores = [float(score) for score in scores]
    if any(math.isnan(score) for score in scores):
        raise ValueError(f"{type(scorer).__name__} returned NaN scores on {item.text!r}")
    return scores
