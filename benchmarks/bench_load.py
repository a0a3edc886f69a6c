"""SmolLM2's one-time conversion from GGUF: transformers as it is, and with lecturekit's
read-once wrapper (``lecturekit.bundled._gguf_read_once``), each in a fresh process.

Usage: python benchmarks/bench_load.py [--repeats N]

Prints one table (seconds to a loaded tokenizer and model, median of N fresh processes)
and the ratio, and checks that both give the same tokenizer and bit-identical weights.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONVERT = r"""
import contextlib, hashlib, json, sys, time
start = time.perf_counter()
from transformers import AutoModelForCausalLM, AutoTokenizer
from lecturekit.bundled import _gguf_read_once, smollm2_gguf
gguf = smollm2_gguf()
with (_gguf_read_once() if sys.argv[1] == "read-once" else contextlib.nullcontext()):
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
seconds = time.perf_counter() - start
digest = hashlib.sha256()
for name, tensor in sorted(model.state_dict().items()):
    digest.update(name.encode()); digest.update(tensor.detach().float().numpy().tobytes())
vocab = hashlib.sha256(json.dumps(sorted(tokenizer.get_vocab().items())).encode()).hexdigest()
print(json.dumps({"seconds": seconds, "weights": digest.hexdigest(), "vocab": vocab}))
"""


def run(mode: str) -> dict:
    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run([sys.executable, "-c", CONVERT, mode], capture_output=True, text=True, cwd=ROOT,
                             env={"LECTUREKIT_CACHE": cache, "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HOME": str(Path.home()),
                                  "OMP_NUM_THREADS": "1"}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results = {mode: [run(mode) for _ in range(args.repeats)] for mode in ("transformers", "read-once")}
    medians = {mode: statistics.median(r["seconds"] for r in runs) for mode, runs in results.items()}
    print(f"| conversion (fresh process, 1 thread, median of {args.repeats}) | seconds |")
    print("| --- | --- |")
    for mode, seconds in medians.items():
        print(f"| {mode} | {seconds:.1f} |")
    print(f"ratio transformers / read-once: {medians['transformers'] / medians['read-once']:.2f}x")
    same = {(r["weights"], r["vocab"]) for runs in results.values() for r in runs}
    print("same tokenizer and weights:", len(same) == 1)
    return 0 if len(same) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
