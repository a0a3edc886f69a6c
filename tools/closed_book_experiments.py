"""Run notebook 06's closed-book question answering and write its results, settings and timings.

    python tools/closed_book_experiments.py                          # lecture-gpt and lecture-t5
    python tools/closed_book_experiments.py --models lecture-t5      # one model (others kept in the file)

For each model: does it know the held-out people's birthplaces before fine-tuning
(a cloze over the world's cities); the fine-tuning recipe chosen on validation
people taken from the training people (the best of a small grid, per model);
then pretrained and from-scratch fine-tuning with three seeds, exact match on
the held-out people. Writes
lecturekit/finetune/results/closed_book_cpu.json, which the notebook reads.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "lecturekit" / "finetune" / "results" / "closed_book_cpu.json"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=["lecture-gpt", "lecture-t5"])
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's own choice)")
    args = parser.parse_args(argv)

    import torch

    from lecturekit.finetune.experiments.closed_book import (
        best_recipe,
        choose_recipe,
        closed_book,
        knows_birthplaces,
    )
    from lecturekit.world.splits import birthplace_qa

    if args.threads:
        torch.set_num_threads(args.threads)
    data = json.loads(args.out.read_text()) if args.out.is_file() else {"models": {}}
    split = birthplace_qa()
    for name in args.models:
        started = time.perf_counter()
        known = knows_birthplaces(name, split.test)
        print(f"{name}: knows {int(known['correct'].sum())}/{len(known)} held-out birthplaces as a cloze")
        recipe = choose_recipe(name)
        print(recipe.to_string(index=False))
        chosen = best_recipe(recipe)  # chosen on validation people: held-out people play no part
        result = closed_book([name], seeds=tuple(args.seeds), recipe=chosen, log=print)
        print(result.table().to_string(index=False))
        data["models"][name] = {"cloze": {"correct": int(known["correct"].sum()), "total": len(known)},
                                "recipe_search": recipe.to_dict("records"), "closed_book": result.to_dict(),
                                "seconds": time.perf_counter() - started}
    given = sys.argv[1:] if argv is None else list(argv)
    command = "python " + " ".join(shlex.quote(a) for a in ["tools/closed_book_experiments.py", *given])
    if command not in data.setdefault("commands", []):  # a rerun of the same command is listed once
        data["commands"].append(command)
    data["device"] = f"cpu, torch {torch.__version__}"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
