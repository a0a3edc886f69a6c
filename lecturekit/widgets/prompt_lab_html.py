"""PromptLab's pure part: a task, k, a template, shuffling and label corruption in; the prompt,
each item's answer and the accuracy-vs-k curve out (as HTML a test can read).

``parse_pairs`` reads a typed task ("input => output" per line). ``run_lab``
asks the model with the same machinery as ``lecturekit.prompting`` (nested
seeded draws, oldest demonstrations dropped when a prompt is too long, batched
answers over a shared KV cache) and adds the two knobs of the widget:
``shuffle`` reorders the drawn demonstrations (a seed), ``corruption`` replaces
that share of their outputs with another pair's (Min et al. 2022).
"""

from __future__ import annotations

import base64
import io
import random
from dataclasses import dataclass, field

from ..prompting.effects import random_labels
from ..prompting.evaluation import (
    answer_queries,
    draw_demonstrations,
    query_indices,
    wilson_interval,
)
from ..prompting.prompts import few_shot_prompt
from ..prompting.tasks import Task, as_task
from ..text import escape

SEPARATOR_IN_TEXT = "=>"
CURVE_KS = (0, 1, 2, 4, 8)


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """Pairs typed one per line as "input => output" (blank lines skipped), or a message on what is wrong."""
    if not isinstance(text, str):
        raise TypeError(f"The pairs must be text, one 'input => output' per line; got {type(text).__name__}.")
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if SEPARATOR_IN_TEXT not in line:
            raise ValueError(f"Line {number} ({line.strip()!r}) has no '=>': write each pair as 'input => output'.")
        left, right = line.split(SEPARATOR_IN_TEXT, 1)
        pairs.append((left.strip(), right.strip()))
    return pairs


def corrupt(task: Task, shown: list[tuple[str, str]], corruption: float, seed: int) -> list[tuple[str, str]]:
    """``shown`` with round(corruption · k) outputs (chosen by the seed) replaced by random labels."""
    if not 0.0 <= float(corruption) <= 1.0:
        raise ValueError(f"corruption is the share of demonstration labels to replace, from 0 to 1; got {corruption!r}.")
    count = round(corruption * len(shown))
    if not count:
        return list(shown)
    chosen = set(random.Random(f"corrupt-{seed}").sample(range(len(shown)), count))
    wrong = random_labels(task, shown, seed)
    return [wrong[i] if i in chosen else pair for i, pair in enumerate(shown)]


def arrange(task: Task, queries, k: int, seed: int, shuffle: bool, corruption: float) -> list[tuple[str, str]]:
    """The k demonstrations the lab shows: drawn (seeded), maybe reordered, maybe relabelled."""
    shown = [task.pairs[i] for i in draw_demonstrations(task, queries, k, seed)]
    if shuffle:
        random.Random(f"shuffle-{seed}").shuffle(shown)
    return corrupt(task, shown, corruption, seed)


@dataclass
class LabResult:
    task: str
    k: int
    prompt: str  # the exact prompt of the first item
    rows: list[dict]  # input, expected, answer, correct
    curve: list[dict] = field(default_factory=list)  # k, accuracy, ci_low, ci_high
    note: str = ""

    @property
    def accuracy(self) -> float:
        return sum(r["correct"] for r in self.rows) / len(self.rows)


def run_lab(model, task, k: int = 4, items: int = 6, seed: int = 0, shuffle: bool = False, corruption: float = 0.0,
            template: str | None = None, curve_ks=CURVE_KS) -> LabResult:
    """Everything PromptLab shows for one setting (``curve_ks=()`` skips the curve)."""
    task = as_task(task)
    if template is not None and template != task.template:
        task = Task(task.name, task.pairs, template=template, separator=task.separator, compare=task.compare)
    queries = query_indices(task, items)
    cell = answer_queries(model, task, arrange(task, queries, k, seed, shuffle, corruption), queries)
    rows = [{"input": task.pairs[i][0], "expected": task.pairs[i][1], "answer": a, "correct": c}
            for i, a, c in zip(queries, cell.answers, cell.correct, strict=True)]
    prompt = few_shot_prompt(cell.shown, task.pairs[queries[0]][0], task.template, task.separator)
    curve = []
    available = len(task) - len(queries)
    for curve_k in [value for value in curve_ks if value <= available]:
        point = answer_queries(model, task, arrange(task, queries, curve_k, seed, shuffle, corruption), queries)
        low, high = wilson_interval(sum(point.correct), len(point.correct))
        curve.append({"k": curve_k, "accuracy": sum(point.correct) / len(point.correct), "ci_low": low, "ci_high": high})
    return LabResult(task.name, k, prompt, rows, curve, cell.note)


def prompt_html(prompt: str) -> str:
    return ("<pre class='lk-prompt' style='background:#f6f6f6;padding:6px;white-space:pre-wrap;margin:2px 0'>"
            f"{escape(prompt)}</pre>")


def answers_html(result: LabResult) -> str:
    body = "".join(
        f"<tr class='lk-answer-row'><td>{escape(r['input'])}</td><td>{escape(r['expected'])}</td>"
        f"<td class='lk-answer'>{escape(r['answer'])}</td>"
        f"<td class='lk-correct'>{'✓' if r['correct'] else '✗'}</td></tr>" for r in result.rows)
    return (f"<div class='lk-accuracy'>{result.k}-shot accuracy: {sum(r['correct'] for r in result.rows)}/"
            f"{len(result.rows)}</div><table class='lk-answers'><tr><th>input</th><th>expected</th>"
            f"<th>answer</th><th></th></tr>{body}</table>")


def curve_png(result: LabResult) -> str:
    """The accuracy-vs-k curve as a data-URL PNG (empty when there is no curve)."""
    if not result.curve:
        return ""
    # A bare Figure draws without pyplot, so the notebook's own backend is left alone (switching
    # it to Agg here made every later plt.show() in notebook 07 draw nothing).
    from matplotlib.figure import Figure

    from .base import drawable

    figure = Figure(figsize=(4.2, 2.6), dpi=90)
    ax = figure.subplots()
    ks = [p["k"] for p in result.curve]
    ax.plot(ks, [p["accuracy"] for p in result.curve], marker="o")
    ax.fill_between(ks, [p["ci_low"] for p in result.curve], [p["ci_high"] for p in result.curve], alpha=0.2)
    ax.set_xticks(ks)  # whole numbers of demonstrations only: no k = 0.5 or 2.5
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("k (demonstrations)")
    ax.set_ylabel("accuracy")
    ax.set_title(drawable(result.task), fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def lab_html(result: LabResult) -> str:
    note = f"<div class='lk-note' style='color:#a33'>{escape(result.note)}</div>" if result.note else ""
    curve = curve_png(result)
    image = f"<img class='lk-curve' style='max-width:100%' src='{curve}' alt='accuracy versus k'/>" if curve else ""
    return (f"<div class='lk-prompt-lab-result'>{note}<b>The prompt of the first item</b>{prompt_html(result.prompt)}"
            f"<div style='display:flex;gap:12px;align-items:flex-start'><div>{answers_html(result)}</div>"
            f"<div>{image}</div></div></div>")


def error_html(error: Exception) -> str:
    return f"<div class='lk-error' style='color:#a33'>{escape(str(error))}</div>"
