"""Accuracy versus the number of demonstrations k: the curve of GPT-3's few-shot plots.

For each seed and each k, k demonstrations are drawn (seeded) from the task's
pairs that are not being asked about, and every query item gets the same
demonstrations in front of it. Draws are nested: for one seed, the 4-shot
demonstrations are the first 4 of the 8-shot ones, so a curve shows what adding
examples does, not a new random draw at every k.

An answer is the model's greedy continuation up to the end of the line; it counts
when the task's ``compare`` accepts it. With a handful of items an accuracy is a
rough number, so each comes with a 95% Wilson score interval.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..hub.errors import InputError
from .answers import greedy_answers, plain_answers
from .prompts import few_shot_prompt, stops_for
from .tasks import Task, as_task

MAX_NEW_TOKENS = 8  # the built-in answers are a few tokens; the stop usually comes first


def wilson_interval(correct: int, total: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95% by default; Wilson 1927).

    Unlike p ± z·sqrt(p(1-p)/n) it stays inside [0, 1] and is not zero-width at 0/n
    or n/n, which matters for the small samples a notebook can afford.
    """
    if total <= 0:
        return (math.nan, math.nan)
    p = correct / total
    spread = z * z / total
    centre = (p + spread / 2) / (1 + spread)
    half = z * math.sqrt(p * (1 - p) / total + spread / (4 * total)) / (1 + spread)
    # At 0/n and n/n one end is exactly 0 or 1; say so rather than leave a rounding error.
    low = 0.0 if correct == 0 else max(0.0, centre - half)
    high = 1.0 if correct == total else min(1.0, centre + half)
    return (low, high)


def query_indices(task: Task, items) -> list[int]:
    """Which pairs are asked about: the first ``items`` pairs, or the given inputs or indices."""
    if isinstance(items, int) and not isinstance(items, bool):
        if not 1 <= items < len(task):
            raise ValueError(
                f"items={items}: {task.name} has {len(task)} pairs, and at least one must stay "
                f"out of the queries to be shown as a demonstration; ask 1 to {len(task) - 1}."
            )
        return list(range(items))
    position = {text: i for i, text in enumerate(task.inputs)}
    chosen = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item < len(task):
            chosen.append(item)
        elif isinstance(item, str) and item in position:
            chosen.append(position[item])
        else:
            raise ValueError(f"{item!r} is neither an input of {task.name} nor a pair index (0 to {len(task) - 1}).")
    if not chosen:
        raise ValueError("items is empty: ask about at least one pair.")
    return list(dict.fromkeys(chosen))


def draw_demonstrations(task: Task, queries: Sequence[int], k: int, seed: int) -> list[int]:
    """k pair indices, none of them a query, in a seeded order (nested as k grows)."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"k must be a whole number of demonstrations (0 or more); got {k!r}.")
    asked = set(queries)
    pool = [i for i in range(len(task)) if i not in asked]
    if k > len(pool):
        raise ValueError(
            f"k={k} needs {k} demonstrations, but {task.name} has {len(task)} pairs and {len(asked)} "
            f"are being asked about, which leaves {len(pool)} to show. Ask about fewer items or use k <= {len(pool)}."
        )
    random.Random(seed).shuffle(pool)
    return pool[:k]


@dataclass
class Cell:
    """The answers for one set of demonstrations (one seed and k, or one order, ...)."""

    answers: list[str]
    correct: list[bool]
    shown: list[tuple[str, str]]  # the demonstrations actually in the prompt
    dropped: int
    note: str


def fit_demonstrations(model, task: Task, demonstrations, queries: Sequence[str], max_new_tokens: int):
    """Drop the oldest demonstrations until every prompt, and its answer, fits the model's context.

    Returns (the demonstrations kept, how many were dropped, a note saying why, or "").
    """
    demonstrations = list(demonstrations)

    def longest(shown) -> int:
        prompts = [few_shot_prompt(shown, q, task.template, task.separator) for q in queries]
        return max(len(e.ids) for e in model.tokenizer.encode_batch(prompts))

    room = model.max_length - max_new_tokens
    first = longest(demonstrations)
    if first <= room:
        return demonstrations, 0, ""
    alone = longest([])
    if alone > room:
        raise InputError(
            f"Even with no demonstrations a {task.name} prompt is {alone} tokens; with {max_new_tokens} "
            f"for the answer that is {alone - room} over the {model.max_length} tokens {model.name} reads."
        )
    dropped = 0
    while longest(demonstrations[dropped:]) > room:
        dropped += 1
    note = (f"the {len(demonstrations)}-shot prompt is {first} tokens, {first - room} over the "
            f"{model.max_length} tokens {model.name} reads (keeping {max_new_tokens} for the answer): "
            f"dropped the {dropped} oldest demonstration{'s' if dropped != 1 else ''}")
    return demonstrations[dropped:], dropped, note


def answer_queries(model, task: Task, demonstrations, queries: Sequence[int],
                   max_new_tokens: int = MAX_NEW_TOKENS, batched: bool = True) -> Cell:
    """Ask every query with the same demonstrations (pairs, possibly relabelled) in front."""
    questions = [task.pairs[i][0] for i in queries]
    shown, dropped, note = fit_demonstrations(model, task, demonstrations, questions, max_new_tokens)
    prompts = [few_shot_prompt(shown, q, task.template, task.separator) for q in questions]
    answer = greedy_answers if batched else plain_answers
    answers = answer(model, prompts, max_new_tokens, stops_for(task.separator))
    correct = [task.is_correct(a, task.pairs[i][1]) for a, i in zip(answers, queries, strict=True)]
    return Cell(answers, correct, shown, dropped, note)


def _seeds(seeds) -> list[int]:
    return [seeds] if isinstance(seeds, int) else list(seeds)


def answers_vs_k(model, task, ks=(0, 1, 2, 4, 8), items=10, seeds=(0,),
                 max_new_tokens: int = MAX_NEW_TOKENS, batched: bool = True) -> pd.DataFrame:
    """Every answer of an accuracy-vs-k curve: one row per (seed, k, item)."""
    task = as_task(task)
    queries = query_indices(task, items)
    rows = []
    for seed in _seeds(seeds):
        for k in ks:
            drawn = [task.pairs[i] for i in draw_demonstrations(task, queries, k, seed)]
            cell = answer_queries(model, task, drawn, queries, max_new_tokens, batched)
            for i, answer, correct in zip(queries, cell.answers, cell.correct, strict=True):
                rows.append({"task": task.name, "k": k, "seed": seed, "item": i, "input": task.pairs[i][0],
                             "expected": task.pairs[i][1], "answer": answer, "correct": correct,
                             "shown": len(cell.shown), "dropped": cell.dropped, "note": cell.note})
    return pd.DataFrame(rows)


def summarise(answers: pd.DataFrame, by=("task", "k", "seed")) -> pd.DataFrame:
    """Accuracy with its Wilson interval per group of answers (default: per task, k and seed)."""
    rows = []
    for key, group in answers.groupby(list(by), sort=False):
        correct, total = int(group.correct.sum()), len(group)
        low, high = wilson_interval(correct, total)
        row = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True))
        row.update(items=total, correct=correct, accuracy=correct / total, ci_low=low, ci_high=high,
                   answers=tuple(group.answer))
        if "dropped" in group:
            row.update(shown=int(group.shown.min()), dropped=int(group.dropped.max()),
                       note=next((n for n in group.note if n), ""))
        rows.append(row)
    return pd.DataFrame(rows)


def accuracy_vs_k(model, task, ks=(0, 1, 2, 4, 8), items=10, seeds=(0,),
                  max_new_tokens: int = MAX_NEW_TOKENS, batched: bool = True) -> pd.DataFrame:
    """Accuracy per k and seed: items, correct, accuracy, ci_low, ci_high (95% Wilson),
    answers (the model's answers, in item order), shown (demonstrations in the
    prompt), dropped (cut to fit the context) and a note.

    ``task``: a ``Task`` or a built-in name; ``items``: how many pairs to ask about
    (the first ones) or which; ``seeds``: one draw of demonstrations each. For a
    table of every answer with its expected output, use ``answers_vs_k`` (and
    ``summarise`` it to get this table from the same run).
    """
    return summarise(answers_vs_k(model, task, ks, items, seeds, max_new_tokens, batched))
