"""Run notebook 05's fine-tuning experiments and write their results, settings and timings.

    python tools/finetune_experiments.py                       # all of them: about 30-40 min on 2 CPU cores
    python tools/finetune_experiments.py --only smollm2_lora   # one (others kept in the file)
    python tools/finetune_experiments.py --preset gpu --out lecturekit/finetune/results/gpu.json

The notebook draws its precomputed curves from lecturekit/finetune/results/cpu.json
(``lecturekit.finetune.experiments.load_results("cpu")``) and names this command
beside them. The settings are ``lecturekit.finetune.experiments.presets.PRESETS``;
each result stores them with every default it used, the seeds and the seconds.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from lecturekit.finetune.experiments import RESULTS_DIR
from lecturekit.finetune.experiments.presets import PRESETS, run_experiments


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="cpu")
    parser.add_argument("--only", nargs="*", help="experiments to run (default: all of the preset's)")
    parser.add_argument("--out", help="results file (default: lecturekit/finetune/results/<preset>.json)")
    parser.add_argument("--device", help="cpu, cuda, ... (default: lecturekit.device())")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's own choice)")
    args = parser.parse_args(argv)

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    out = Path(args.out) if args.out else RESULTS_DIR / f"{args.preset}.json"
    data = run_experiments(args.preset, only=args.only, device=args.device, log=print)
    given = sys.argv[1:] if argv is None else list(argv)
    data["command"] = "python " + " ".join(shlex.quote(a) for a in ["tools/finetune_experiments.py", *given])
    if args.only and out.is_file():  # keep the experiments this run did not redo
        earlier = json.loads(out.read_text())
        data["results"] = {**earlier.get("results", {}), **data["results"]}
        data["earlier_commands"] = [*earlier.get("earlier_commands", []), earlier.get("command", "")]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {out} ({data['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
