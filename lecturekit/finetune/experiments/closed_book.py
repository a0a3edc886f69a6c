"""Notebook 06's closed-book question answering, measured (issue 16, experiments 2 and 4).

The course's homework in miniature: fine-tune on "Where was X born?" for the
training people of ``lecturekit.world.splits.birthplace_qa``, then ask about the
held-out people, whose birthplaces are only in the pretraining biographies.

- ``knows_birthplaces``: before any fine-tuning, does the model know the
  held-out people's cities? Each city of the world is ranked as the blank of
  "<name> was born in ___." (``score_candidates``). Fine-tuning cannot create
  facts; if this is near the most-common-city baseline, no recipe will help.
- ``choose_recipe``: the fine-tuning steps and learning rate, picked on a
  validation split *of the training people* (the held-out people are never
  looked at to choose anything).
- ``closed_book``: each model pretrained and from random initialisation
  (``from_scratch``), fine-tuned alike with several seeds, exact match on the
  held-out people with 95% intervals, beside always answering the commonest city.
- ``fluent_and_wrong``: of the held-out answers, how many are cities of the
  world at all, how many are right, and the wrong ones said with the most
  confidence.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...prompting.evaluation import wilson_interval
from ...world import make_world
from ...world.splits import birthplace_qa
from ..closed_book import answer, exact_match, fine_tune_qa, prompt_for
from .common import from_scratch, resolve_model

RECIPE = {"steps": 100, "learning_rate": 3e-4, "batch_size": 16}  # chosen by choose_recipe (see results)
VALIDATION_PEOPLE = 40  # the last training people, for choose_recipe only
RESULTS = Path(__file__).resolve().parent.parent / "results"
MARGIN = 0.10  # pretrained must beat scratch and the baseline by this much to count as "answers from memory"


def validation_split(split=None):
    """(fine-tuning questions, validation questions), both from the training people only."""
    split = split or birthplace_qa()
    return split.train[:-VALIDATION_PEOPLE], split.train[-VALIDATION_PEOPLE:]


def knows_birthplaces(model, questions, world=None, style: str = "blank") -> pd.DataFrame:
    """Rank the world's cities as the blank of "<name> was born in ___." for each person.

    ``style="blank"`` uses the model's own cloze (``score_candidates``; for an
    encoder-decoder, span corruption's sentinel). A model pretrained as a prefix LM
    never saw a sentinel, so ``style="prefix"`` asks it in its own format: the
    encoder reads "<name> was born in", the decoder writes "<city> .".
    """
    model = resolve_model(model)
    world = world or make_world(0)
    cities = list(world.cities)
    if style not in ("blank", "span", "prefix"):
        raise ValueError(f"style must be 'blank' (or 'span') or 'prefix', not {style!r}")
    rows = []
    for question in questions:
        if style == "prefix":
            scored = model.score([f"{city} ." for city in cities], context=f"{question.person} was born in")
            scores = [score.log_prob for score in scored]
        else:
            scores = model.score_candidates(f"{question.person} was born in ___.", cities)
        best = max(range(len(cities)), key=scores.__getitem__)
        rows.append({"person": question.person, "answer": question.answer, "top city": cities[best],
                     "correct": cities[best] == question.answer})
    return pd.DataFrame(rows)


def choose_recipe(model, grid=((100, 1e-3), (300, 3e-4), (100, 3e-4)), seed: int = 0) -> pd.DataFrame:
    """Exact match on the validation people for each (steps, learning rate) of ``grid``."""
    model = resolve_model(model)
    fit, validation = validation_split()
    rows = []
    for steps, learning_rate in grid:
        tuned = fine_tune_qa(model, fit, steps=steps, learning_rate=learning_rate, seed=seed)
        result = exact_match(tuned, validation)
        rows.append({"model": model.name, "steps": steps, "learning rate": learning_rate,
                     "validation exact match": result.accuracy, "n": result.total})
    return pd.DataFrame(rows)


def best_recipe(search: pd.DataFrame) -> dict:
    """The recipe of a ``choose_recipe`` table with the best validation score (the first of equals)."""
    best = search.iloc[int(search["validation exact match"].to_numpy().argmax())]
    return {"steps": int(best["steps"]), "learning_rate": float(best["learning rate"])}


@dataclass
class ClosedBookResult:
    rows: list[dict]  # one per (model, init, seed)
    baseline: dict  # the most-common-city answer and its exact match on the held-out people
    settings: dict
    seconds: float
    answers: dict = field(default_factory=dict)  # (model, init) -> the seed-0 answer table, as records

    def table(self) -> pd.DataFrame:
        """Exact match per model and initialisation: mean over seeds, and the pooled 95% interval."""
        frame = pd.DataFrame(self.rows)
        out = []
        for (model, init), group in frame.groupby(["model", "init"], sort=False):
            correct, total = int(group["correct"].sum()), int(group["total"].sum())
            low, high = wilson_interval(correct, total)
            out.append({"model": model, "init": init, "exact match": correct / total, "95% CI low": low,
                        "95% CI high": high, "seeds": len(group), "held-out people": int(group["total"].iloc[0])})
        low, high = wilson_interval(self.baseline["correct"], self.baseline["total"])
        out.append({"model": f"always {self.baseline['answer']!r}", "init": "-",
                    "exact match": self.baseline["correct"] / self.baseline["total"], "95% CI low": low,
                    "95% CI high": high, "seeds": 1, "held-out people": self.baseline["total"]})
        return pd.DataFrame(out)

    def accuracy(self, model: str, init: str) -> float:
        table = self.table()
        row = table[(table["model"] == model) & (table["init"] == init)]
        return float(row["exact match"].iloc[0]) if len(row) else math.nan

    @property
    def baseline_accuracy(self) -> float:
        return self.baseline["correct"] / self.baseline["total"]

    def to_dict(self) -> dict:
        return {"rows": self.rows, "baseline": self.baseline, "settings": self.settings, "seconds": self.seconds,
                "answers": {f"{m}|{i}": records for (m, i), records in self.answers.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> ClosedBookResult:
        answers = {tuple(key.split("|", 1)): records for key, records in data.get("answers", {}).items()}
        return cls(data["rows"], data["baseline"], data["settings"], data["seconds"], answers)


def closed_book(models=("lecture-gpt",), seeds=(0, 1, 2), recipe=None, test=None, device=None,
                log=None) -> ClosedBookResult:
    """Fine-tune each model, pretrained and from scratch, on the training people; score the held-out ones."""
    started = time.perf_counter()
    recipe = {**RECIPE, **(recipe or {})}
    split = birthplace_qa()
    fit = split.train
    test = split.test if test is None else test
    rows, answers = [], {}
    for name in models:
        pretrained = resolve_model(name, device=device)
        for init in ("pretrained", "scratch"):
            for seed in seeds:
                base = pretrained if init == "pretrained" else from_scratch(pretrained, seed=seed)
                tuned = fine_tune_qa(base, fit, seed=seed, **recipe)
                result = exact_match(tuned, test)
                rows.append({"model": pretrained.name, "init": init, "seed": seed, "correct": result.correct,
                             "total": result.total, "final training loss": tuned.history[-1]})
                if seed == seeds[0]:
                    answers[(pretrained.name, init)] = result.table.to_dict("records")
                if log:
                    log(f"{pretrained.name} {init} seed {seed}: {result}")
    baseline = {"answer": split.baseline_answer, "correct": sum(q.answer == split.baseline_answer for q in test),
                "total": len(test)}
    names = [m if isinstance(m, str) else m.name for m in models]
    settings = {"models": names, "seeds": list(seeds), **recipe, "fine-tuning questions": len(fit),
                "held-out questions": len(test), "prompt": prompt_for("Where was X born?")}
    return ClosedBookResult(rows, baseline, settings, time.perf_counter() - started, answers)


def fluent_and_wrong(records, world=None) -> dict:
    """How the held-out answers look: cities of the world, right ones, and the wrong ones."""
    world = world or make_world(0)
    table = pd.DataFrame(records)
    is_city = table["predicted"].isin(list(world.cities))
    wrong = table[is_city & ~table["correct"]]
    return {"answers": len(table), "cities of the world": int(is_city.sum()), "right": int(table["correct"].sum()),
            "wrong but a real city": len(wrong), "wrong examples": wrong.head(5)[["person", "answer", "predicted"]]}


def ask(model, question: str) -> str:
    """The model's answer to any question (a thin alias the notebook and widget share)."""
    return answer(model, question)


def committed_results() -> dict:
    """The committed runs the notebook reads: ``{"closed_book": {model: entry}, "encoder_decoder": {...}}``.

    Each closed-book entry keeps its cloze count and recipe search, with ``"closed_book"`` as a
    ``ClosedBookResult``; ``encoder_decoder`` holds the objective pair and the salient-span arms
    (``tools/encoder_decoder_experiments.py``) as written, with the commands that made both files."""
    paths = {"closed_book": RESULTS / "closed_book_cpu.json", "encoder_decoder": RESULTS / "encoder_decoder_cpu.json"}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"No committed results at {', '.join(missing)}; make them with "
                                "`python tools/closed_book_experiments.py` and `python tools/encoder_decoder_experiments.py pair salient`.")
    closed = json.loads(paths["closed_book"].read_text())
    models = {name: {**entry, "closed_book": ClosedBookResult.from_dict(entry["closed_book"])}
              for name, entry in closed["models"].items()}
    return {"closed_book": models, "closed_book_commands": closed.get("commands", []),
            "encoder_decoder": json.loads(paths["encoder_decoder"].read_text())}
