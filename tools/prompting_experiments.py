"""Run notebook 07's bigger experiments and write their tables, settings and timings.

    python tools/prompting_experiments.py                    # all of them (about 30 min on one CPU thread)
    python tools/prompting_experiments.py --only nli         # one; the others already in the file are kept

Settings: ``lecturekit.prompting.experiments.results.EXPERIMENTS``. The notebook
reads lecturekit/prompting/results/cpu.json through ``load_results()`` and names
this command beside what it shows.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from lecturekit.prompting.experiments.results import EXPERIMENTS, RESULTS_DIR, record


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(EXPERIMENTS), help="experiments to run (default: all)")
    parser.add_argument("--out", help="results file (default: lecturekit/prompting/results/cpu.json)")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else RESULTS_DIR / "cpu.json"
    data = json.loads(out.read_text()) if out.is_file() else {"results": {}, "commands": {}}
    given = sys.argv[1:] if argv is None else list(argv)
    command = "python " + " ".join(shlex.quote(a) for a in ["tools/prompting_experiments.py", *given])
    for name in args.only or list(EXPERIMENTS):
        print(f"running {name} ...", flush=True)
        data["results"][name] = record(name)
        data["commands"][name] = command
        print(f"  {name}: {data['results'][name]['seconds']:.0f} s", flush=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, indent=1) + "\n")  # after each, so a long run keeps what it finished
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
