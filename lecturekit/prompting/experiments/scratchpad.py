"""Chain of thought, controlled: the same small decoder, the same compute, with and without a scratch pad.

Two tasks, each written two ways (the same problems; only the target differs):

- ``sum``: the sum of one-digit numbers, "3+5+9+2+7=26", or with the running
  sums written down, "3+5+9+2+7=8,17,19,26;26";
- ``chain``: operations applied left to right, keeping the last digit (mod 10):
  "4+3*2+5*3=7" since ((4+3)·2+5)·3 = 57, or "4+3*2+5*3=7,4,9,7;7".

A sum does not need steps: it does not depend on the order of the digits, so one
attention layer can average the digits and a feed-forward layer can read off the
total in a single pass. The chain does: each operation acts on the result of
the previous one, so answering at once needs the whole composition inside one
forward pass, while with the scratch pad each written digit is one small step
(one operation on the digit just written), the lecture's "more computation per answer".

Compute is identical: both runs are the same ``LectureGPT`` (``lecturekit.models``)
trained by ``lecturekit.train.loop.train`` with the same steps, batch size and
sequence length (every row is padded to the scratch pad's length, so both read the
same number of positions per step), the loss counted on the target tokens only.
Held-out accuracy is read on problems that never appear in training: the answer
after the last ";" (scratch pad) or after "=" must be the true sum.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch

from ...models.base import IGNORE_INDEX
from ...models.config import TransformerConfig
from ...models.gpt import LectureGPT
from ...runtime import seed_everything
from ...train.loop import TrainConfig, train

VOCABULARY = ["[PAD]", "[BOS]", *"0123456789", "+", "*", "=", ",", ";", "[EOS]"]
TOKEN = {token: i for i, token in enumerate(VOCABULARY)}
FORMATS = ("answer only", "scratch pad")
TASKS = ("sum", "chain")

# A problem is a tuple: the first digit, then (operation, digit) pairs; a sum uses "+" only.


def draw(rng: random.Random, task: str, terms: int) -> tuple:
    first = rng.randrange(10)
    operations = "+" if task == "sum" else "+*"
    return (first, *((rng.choice(operations), rng.randrange(10)) for _ in range(terms - 1)))


def problem(numbers) -> str:
    return str(numbers[0]) + "".join(f"{op}{d}" for op, d in numbers[1:]) + "="


def running_values(numbers, task: str) -> list[int]:
    """The value after each operation: running sums, or (chain) the last digit of each result."""
    value, values = numbers[0], []
    for op, d in numbers[1:]:
        value = value + d if op == "+" else value * d
        if task == "chain":
            value %= 10
        values.append(value)
    return values


def target(numbers, form: str, task: str = "sum") -> str:
    """What the model is trained to write after "=" (see the module docstring)."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}; got {task!r}.")
    values = running_values(numbers, task)
    if form == "answer only":
        return str(values[-1])
    if form == "scratch pad":
        return ",".join(str(v) for v in values) + f";{values[-1]}"
    raise ValueError(f"form must be one of {', '.join(FORMATS)}; got {form!r}.")


def read_answer(written: str) -> str:
    """The final answer in a model's output: after the last ";" if it wrote a scratch pad."""
    return written.rsplit(";", 1)[-1]


def encode(text: str) -> list[int]:
    ids, i = [], 0
    while i < len(text):
        ids.append(TOKEN[text[i]])
        i += 1
    return ids


def decode(ids) -> str:
    return "".join(VOCABULARY[i] for i in ids if VOCABULARY[i] not in ("[PAD]", "[BOS]", "[EOS]"))


def split_problems(task: str, terms: int, n_test: int, seed: int = 0) -> tuple[set, list]:
    """The held-out test problems and a membership set, fixed by the seed (the same for both formats)."""
    rng = random.Random(f"scratchpad-test-{task}-{terms}-{seed}")
    test = []
    seen = set()
    while len(test) < n_test:
        numbers = draw(rng, task, terms)
        if numbers not in seen:
            seen.add(numbers)
            test.append(numbers)
    return seen, test


@dataclass
class ScratchpadRun:
    form: str
    task: str
    accuracy: float
    final_loss: float
    seconds: float
    examples: list  # (problem, written, correct) for a few test items
    settings: dict


def length_needed(task: str, terms: int) -> int:
    """[BOS] problem "=" scratch pad [EOS] for the longest problem: all the positions a row gets."""
    longest = (9, *(("+", 9),) * (terms - 1))
    return 1 + len(problem(longest)) + len(target(longest, "scratch pad", "sum" if task == "sum" else "chain")) + 1


def batches(form: str, task: str, terms: int, held_out: set, batch_size: int, length: int, seed: int):
    """Endless training batches of fresh problems (none held out), padded to ``length``."""
    rng = random.Random(f"scratchpad-train-{task}-{seed}")
    while True:
        ids = torch.full((batch_size, length), TOKEN["[PAD]"])
        labels = torch.full((batch_size, length), IGNORE_INDEX)
        for row in range(batch_size):
            numbers = draw(rng, task, terms)
            while numbers in held_out:
                numbers = draw(rng, task, terms)
            prompt = [TOKEN["[BOS]"], *encode(problem(numbers))]
            answer = [*encode(target(numbers, form, task)), TOKEN["[EOS]"]]
            tokens = prompt + answer
            ids[row, : len(tokens)] = torch.tensor(tokens)
            # labels[t] is predicted from position t - 1: the answer's tokens, not the problem's
            labels[row, len(prompt): len(tokens)] = torch.tensor(answer)
        yield {"input_ids": ids, "attention_mask": (ids != TOKEN["[PAD]"]).long(), "labels": labels}


@torch.inference_mode()
def greedy(model: LectureGPT, problems: list, new_tokens: int) -> list[str]:
    """Each problem's greedy continuation (all problems have one length, so one batch, no padding)."""
    ids = torch.tensor([[TOKEN["[BOS]"], *encode(problem(p))] for p in problems])
    done = torch.zeros(len(problems), dtype=torch.bool)
    written = []
    for _ in range(new_tokens):
        nxt = model(ids).logits[:, -1].argmax(dim=-1)
        nxt = torch.where(done, torch.full_like(nxt, TOKEN["[EOS]"]), nxt)
        done |= nxt == TOKEN["[EOS]"]
        written.append(nxt)
        ids = torch.cat([ids, nxt[:, None]], dim=1)
        if bool(done.all()):
            break
    rows = torch.stack(written, dim=1).tolist()
    return [decode(row[: row.index(TOKEN["[EOS]"])] if TOKEN["[EOS]"] in row else row) for row in rows]


def train_and_test(form: str, task: str = "chain", *, terms: int = 5, steps: int = 600, batch_size: int = 32, d_model: int = 64,
                   n_layers: int = 2, learning_rate: float = 3e-3, n_test: int = 200, seed: int = 0) -> ScratchpadRun:
    """Train one small decoder on ``form`` and score it on the held-out problems."""
    import time

    if form not in FORMATS:
        raise ValueError(f"form must be one of {', '.join(FORMATS)}; got {form!r}.")
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}; got {task!r}.")
    held_out, test = split_problems(task, terms, n_test, seed=0)  # the same test items for every run
    length = length_needed(task, terms)
    seed_everything(seed)
    config = TransformerConfig(vocab_size=len(VOCABULARY), max_positions=length, d_model=d_model, n_heads=4,
                               n_layers=n_layers, d_ff=4 * d_model, dropout=0.0, attention_dropout=0.0,
                               pad_token_id=TOKEN["[PAD]"])
    model = LectureGPT(config)
    schedule = TrainConfig(steps=steps, learning_rate=learning_rate, warmup_steps=max(1, steps // 10),
                           eval_every=steps, seed=seed)
    started = time.perf_counter()
    history = train(model, batches(form, task, terms, held_out, batch_size, length, seed), schedule, device="cpu",
                    progress=False)
    written = greedy(model.eval(), test, length)
    correct = [read_answer(w) == str(running_values(p, task)[-1]) for p, w in zip(test, written, strict=True)]
    settings = {"task": task, "terms": terms, "steps": steps, "batch_size": batch_size, "d_model": d_model, "n_layers": n_layers,
                "learning_rate": learning_rate, "n_test": n_test, "seed": seed, "positions_per_row": length}
    examples = [(problem(p), w, c) for p, w, c in list(zip(test, written, correct, strict=True))[:5]]
    return ScratchpadRun(form, task, sum(correct) / len(correct), float(sum(history.train_loss[-20:]) / 20),
                         time.perf_counter() - started, examples, settings)


def scratchpad_experiment(task: str = "chain", seeds=(0,), **settings):
    """Both formats for each seed, with identical settings: a table (form, seed, accuracy, ...)."""
    import pandas as pd

    runs = [train_and_test(form, task, seed=seed, **settings) for seed in seeds for form in FORMATS]
    table = pd.DataFrame([{"task": task, "form": r.form, "seed": r.settings["seed"], "accuracy": r.accuracy,
                           "final loss": r.final_loss, "seconds": r.seconds} for r in runs])
    table.attrs["examples"] = {r.form: r.examples for r in runs}
    table.attrs["settings"] = {k: v for k, v in runs[0].settings.items() if k != "seed"}
    return table
