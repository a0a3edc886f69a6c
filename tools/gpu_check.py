"""The suite on a GPU, in one go: every notebook at the GPU scale, the speed benchmarks, one report.

Usage:
    python tools/gpu_check.py                      # on a CUDA machine: the whole check
    python tools/gpu_check.py --dry-run            # anywhere: every stage, at its smallest, on this device
    python tools/gpu_check.py --out DIR            # where report.md and report.json go

Stages:

1. The machine: GPU name, memory, torch and CUDA versions.
2. Every lesson notebook executed top to bottom in a fresh kernel. The notebooks choose
   ``SCALE = "gpu"`` themselves when ``lecturekit.device()`` is CUDA, so their heavier variants
   run; a cell appended here reads back the scale, the device and the peak GPU memory. Cells in
   the lessons that name the CPU explicitly are listed, since on a GPU they would not use it.
3. Widget latency (benchmarks/bench_widgets.py), fine-tuning speed (benchmarks/bench_finetune.py)
   and bf16 pretraining of the three lecture models with tokens/s and model-FLOPs utilisation
   (benchmarks/bench_pretrain.py), each as its own process; their tables go into the report.

The dry run (what CI runs, so this script cannot rot) executes one short notebook and each
benchmark at its smallest size, on whatever device there is. Nothing is written to the
notebooks: they are executed in memory.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DRY_NOTEBOOKS = ["00_welcome.ipynb"]
# Appended to each notebook: what the run actually used.
PROBE_CELL = """
import json as _json, torch as _torch, lecturekit as _lk
_peak = _torch.cuda.max_memory_allocated() / 2**30 if _torch.cuda.is_available() else None
print("LECTUREKIT-GPU-CHECK", _json.dumps({"SCALE": globals().get("SCALE"), "device": str(_lk.device()),
                                          "peak_gib": _peak}))
"""
# Code that ties a lesson to the CPU: on a GPU machine these cells would not use the GPU.
CPU_PINNED = re.compile(r"""device\s*=\s*["']cpu["']|\.cpu\(\)\s*[,)]|\.to\(\s*["']cpu["']\s*\)""")


def machine() -> dict:
    import torch

    info = {"python": platform.python_version(), "torch": torch.__version__, "cuda": torch.version.cuda,
            "host": platform.node(), "cpu": platform.processor() or platform.machine()}
    if torch.cuda.is_available():
        properties = torch.cuda.get_device_properties(0)
        info |= {"gpu": properties.name, "gpu_memory_gib": round(properties.total_memory / 2**30, 1),
                 "gpus": torch.cuda.device_count(), "bf16": torch.cuda.is_bf16_supported()}
    return info


def cpu_pinned_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    found = []
    for index, cell in enumerate(cells):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and CPU_PINNED.search(source):
            line = next(line for line in source.splitlines() if CPU_PINNED.search(line))
            found.append(f"cell {index}: {line.strip()}")
    return found


def run_notebook(path: Path, timeout: int) -> dict:
    """Execute one notebook in memory; how long it took, what it used, the first error."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE_CELL))
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    started, error = time.perf_counter(), None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as failure:
        error = str(failure).strip().splitlines()[-1][:300] if str(failure).strip() else type(failure).__name__
    result = {"notebook": path.name, "seconds": round(time.perf_counter() - started, 1), "error": error}
    for output in notebook.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith("LECTUREKIT-GPU-CHECK "):
                result |= json.loads(line.split(" ", 1)[1])
    result["cpu_pinned"] = cpu_pinned_cells(path)
    return result


def run_benchmark(name: str, arguments: list[str], timeout: int) -> dict:
    """One benchmark script as its own process: its printed table, or why there is none."""
    command = [sys.executable, str(ROOT / "benchmarks" / name), *arguments]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        output, error = done.stdout, (None if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[-500:]}")
    except subprocess.TimeoutExpired as expired:
        output, error = (expired.stdout or b"").decode(errors="replace") if isinstance(expired.stdout, bytes) else (expired.stdout or ""), f"stopped after {timeout} s"
    return {"benchmark": name, "arguments": arguments, "seconds": round(time.perf_counter() - started, 1),
            "output": output.strip(), "error": error}


def benchmarks(dry_run: bool) -> list[tuple[str, list[str]]]:
    if dry_run:  # the smallest size of each; a lecture model instead of SmolLM2 (no conversion)
        return [("bench_widgets.py", ["--repeats", "2", "--causal-lm", "lecture-gpt"]),
                ("bench_finetune.py", ["--quick"]),
                ("bench_pretrain.py", ["--steps", "2"])]
    return [("bench_widgets.py", ["--repeats", "50"]),
            ("bench_finetune.py", ["--models", "minilm-l6"]),
            ("bench_pretrain.py", ["--steps", "50"])]


def report_markdown(report: dict) -> str:
    info = report["machine"]
    where = info.get("gpu", f"no GPU (CPU: {info['cpu']})")
    lines = [f"# GPU check{' (dry run)' if report['dry_run'] else ''}", "",
             f"{report['started']} on {where}; torch {info['torch']}, CUDA {info['cuda']}, "
             f"Python {info['python']}. {report['seconds']:.0f} s in all.", ""]
    if "gpu" in info:
        lines += [f"{info['gpus']} GPU(s), {info['gpu_memory_gib']} GiB each, bf16: {info['bf16']}.", ""]
    lines += ["## Notebooks", "", "| notebook | seconds | SCALE | device | peak GPU memory | result |",
              "| --- | ---: | --- | --- | ---: | --- |"]
    for row in report["notebooks"]:
        peak = f"{row['peak_gib']:.2f} GiB" if row.get("peak_gib") is not None else "-"
        outcome = "ok" if not row["error"] else f"failed: {row['error']}"
        lines.append(f"| {row['notebook']} | {row['seconds']} | {row.get('SCALE')} | {row.get('device', '?')} | {peak} | {outcome} |")
    pinned = [(row["notebook"], cell) for row in report["notebooks"] for cell in row["cpu_pinned"]]
    lines += ["", "Cells that name the CPU (they stay on it on a GPU machine):" if pinned else
              "No lesson cell names the CPU.", ""]
    lines += [f"- {notebook} {cell}" for notebook, cell in pinned]
    for bench in report["benchmarks"]:
        lines += ["", f"## {bench['benchmark']} {' '.join(bench['arguments'])}", "",
                  f"{bench['seconds']} s" + (f"; failed: {bench['error']}" if bench["error"] else ""), "",
                  *("    " + line for line in bench["output"].splitlines())]
    return "\n".join(lines) + "\n"


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="every stage at its smallest, on this device")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "gpu-check")
    parser.add_argument("--notebooks", nargs="*", help="only these notebook names")
    parser.add_argument("--cell-timeout", type=int, default=1800)
    args = parser.parse_args(arguments)

    import torch

    if not args.dry_run and not torch.cuda.is_available():
        print("No CUDA GPU here: the full check needs one. `--dry-run` runs every stage at its smallest "
              "on this machine.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    names = args.notebooks or (DRY_NOTEBOOKS if args.dry_run else [p.name for p in NOTEBOOKS])
    unknown = sorted(set(names) - {p.name for p in NOTEBOOKS})
    if unknown:
        print(f"unknown notebooks: {', '.join(unknown)}; there are {', '.join(p.name for p in NOTEBOOKS)}",
              file=sys.stderr)
        return 2
    report = {"dry_run": args.dry_run, "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "machine": machine(), "notebooks": [], "benchmarks": []}
    for path in NOTEBOOKS:
        if path.name in names:
            print(f"notebook {path.name} ...", flush=True)
            report["notebooks"].append(run_notebook(path, args.cell_timeout))
    for name, options in benchmarks(args.dry_run):
        print(f"benchmark {name} {' '.join(options)} ...", flush=True)
        report["benchmarks"].append(run_benchmark(name, options, timeout=300 if args.dry_run else 3600))
    report["seconds"] = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    (args.out / "report.md").write_text(report_markdown(report))
    failed = [row["notebook"] for row in report["notebooks"] if row["error"]]
    failed += [bench["benchmark"] for bench in report["benchmarks"] if bench["error"]]
    print(f"wrote {args.out / 'report.md'}" + (f"; failed: {', '.join(failed)}" if failed else "; everything ran"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
