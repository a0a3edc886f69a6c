"""Chain-of-thought prompting on simple word problems, on and off (Wei et al. 2022).

Each problem has two steps ("Mia has 3 apples. She buys 4 more and gives 2
away. How many apples does she have now?"). The same demonstrations are shown
two ways:

- direct: "Q: ... A: 5"
- chain of thought: "Q: ... A: Mia starts with 3. 3 + 4 = 7. 7 - 2 = 5. The answer is 5."

The model's answer is the last number it writes on the answer line. Wei et al.
found that writing the steps helps only large models (around 100B parameters);
below that it can even hurt. This measures it on whatever model is given.
"""

from __future__ import annotations

import random
import re

import pandas as pd

from ..answers import greedy_answers
from ..evaluation import wilson_interval
from ..prompts import few_shot_prompt

NAMES = ("Mia", "Tom", "Ana", "Leo", "Sara", "Ben", "Nina", "Omar", "Lucy", "Ravi", "Emma", "Jack")
THINGS = ("apples", "pencils", "stickers", "books", "marbles", "cookies", "stamps", "shells")
TEMPLATE = "Q: {input}\nA: {output}"
SEPARATOR = "\n\n"
STYLES = ("direct", "chain of thought")


def word_problem(rng: random.Random) -> tuple[str, str, int]:
    """(question, worked steps, answer): start, add, then take away."""
    name, thing = rng.choice(NAMES), rng.choice(THINGS)
    pronoun = "She" if name in ("Mia", "Ana", "Sara", "Nina", "Lucy", "Emma") else "He"
    start, more = rng.randint(2, 9), rng.randint(2, 9)
    away = rng.randint(1, start + more - 1)
    middle, answer = start + more, start + more - away
    question = (f"{name} has {start} {thing}. {pronoun} gets {more} more and gives {away} away. "
                f"How many {thing} does {name} have now?")
    steps = f"{name} starts with {start}. {start} + {more} = {middle}. {middle} - {away} = {answer}."
    return question, steps, answer


def problems(n: int, seed: int) -> list[tuple[str, str, int]]:
    rng = random.Random(f"word-problems-{seed}")
    return [word_problem(rng) for _ in range(n)]


def last_number(text: str) -> int | None:
    numbers = re.findall(r"-?\d+", text)
    return int(numbers[-1]) if numbers else None


def demonstration(item, style: str) -> tuple[str, str]:
    question, steps, answer = item
    if style == "direct":
        return question, str(answer)
    if style == "chain of thought":
        return question, f"{steps} The answer is {answer}."
    raise ValueError(f"style must be one of {', '.join(STYLES)}; got {style!r}.")


def cot_prompting(model, k: int = 4, items: int = 20, seed: int = 0, max_new_tokens: int = 48) -> pd.DataFrame:
    """Per style: accuracy on ``items`` held-out problems with k demonstrations (same problems, same demos).

    ``table.attrs["answers"]`` holds each style's raw answers; ``attrs["prompt"]``
    the chain-of-thought prompt of the first item.
    """
    demos, tests = problems(k, seed + 1000), problems(items, seed)
    rows, answers = [], {}
    for style in STYLES:
        shown = [demonstration(item, style) for item in demos]
        prompts = [few_shot_prompt(shown, q, TEMPLATE, SEPARATOR) for q, _, _ in tests]
        written = greedy_answers(model, prompts, max_new_tokens if style != "direct" else 6, ("\n",))
        correct = [last_number(w) == a for w, (_, _, a) in zip(written, tests, strict=True)]
        low, high = wilson_interval(sum(correct), len(correct))
        rows.append({"style": style, "k": k, "items": len(correct), "correct": sum(correct),
                     "accuracy": sum(correct) / len(correct), "ci_low": low, "ci_high": high})
        answers[style] = written
    table = pd.DataFrame(rows)
    table.attrs.update(answers=answers, model=model.name,
                       prompt=few_shot_prompt([demonstration(i, "chain of thought") for i in demos], tests[0][0],
                                              TEMPLATE, SEPARATOR))
    return table
