"""How fast an accuracy-vs-k curve is: batched answers over a shared KV-cache prefix versus one prompt at a time.

Usage: python benchmarks/bench_prompting.py [--items N] [--model NAME]

For each of the lecture's six tasks, the whole curve (k = 0, 1, 2, 4, 8; 10 items;
one seed) is answered twice on SmolLM2 on the CPU:

- reference: ``answers_vs_k(..., batched=False)``, the loop a reader would write:
  ``model.stream(prompt, temperature=0)`` for one prompt after another, stopping
  at the newline;
- ours: ``answers_vs_k(...)``: the shared demonstrations run once per (seed, k),
  their key/value cache is copied for the queries, equal-length queries run in
  one batch (target: at least 3x faster).

The two tables of answers must be identical (the script stops if they are not).
It prints the times, the ratio, and SmolLM2's accuracy at each k.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lecturekit.hub import load_model  # noqa: E402
from lecturekit.prompting import LECTURE_TASKS, answers_vs_k, summarise  # noqa: E402

KS = (0, 1, 2, 4, 8)


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--model", default="smollm2-135m")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs, "
          f"load average {load:.1f}, device cpu, model {args.model}, k = {KS}, {args.items} items, seed 0")
    model = load_model(args.model, device="cpu")
    answers_vs_k(model, "antonyms", ks=(0, 1), items=2)  # warm-up: first calls allocate buffers
    rows, curves = [], []
    for number, task in enumerate(LECTURE_TASKS):
        run = {
            "batched": lambda task=task: answers_vs_k(model, task, KS, args.items),
            "plain": lambda task=task: answers_vs_k(model, task, KS, args.items, batched=False),
        }
        # Alternate which goes first, so that a machine getting busier slows both alike.
        order = ["batched", "plain"] if number % 2 == 0 else ["plain", "batched"]
        results = {name: timed(run[name]) for name in order}
        (batched, ours), (plain, reference) = results["batched"], results["plain"]
        if not batched.equals(plain):
            differ = batched[batched.answer != plain.answer]
            print(f"{task}: batched answers differ from the plain loop:\n{differ}")
            return 1
        rows.append((task, reference, ours))
        curves.append(summarise(batched))
    print(f"\n{'task (5 k x ' + str(args.items) + ' items)':<28} {'plain s':>9} {'batched s':>10} {'speed-up':>9}"
          "  answers")
    for task, reference, ours in rows:
        print(f"{task:<28} {reference:>9.1f} {ours:>10.1f} {reference / ours:>8.1f}x  identical")
    total_plain, total_ours = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"{'all six tasks':<28} {total_plain:>9.1f} {total_ours:>10.1f} {total_plain / total_ours:>8.1f}x"
          "  identical   (target >= 3x)")
    print(f"one accuracy-vs-k curve (batched): {total_ours / len(rows):.1f} s on average, "
          f"{min(r[2] for r in rows):.1f}-{max(r[2] for r in rows):.1f} s")
    print(f"\n{args.model} accuracy (correct of {args.items}) at k = {', '.join(map(str, KS))}:")
    for curve in curves:
        cells = "  ".join(f"{int(c):>2}" for c in curve.correct)
        print(f"  {curve.task.iloc[0]:<16} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
