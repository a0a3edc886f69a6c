"""A class on one JupyterHub server: how long students wait and how many one machine carries.

Usage: python benchmarks/bench_class.py [--students N] [--clicks N]

Runs the class tests/test_class_hub.py runs (deploy/jupyterhub/one_server's config in its trial
mode, on 127.0.0.1; helpers in tests/class_hub.py) and measures, per student:

- server: seconds from "start my server" (POST /hub/api/users/<name>/server) until it is ready,
  all students logging in at once;
- first prediction: seconds from running notebook 04's mask-explorer cells (imports,
  ``load_model("lecture-bert")``, the widget) in a fresh kernel to its guesses: one student
  alone, then everyone at once;
- click: round trip of one mask-explorer click (``MaskExplorer.toggle``) and one SmolLM2
  next-token call, one student alone vs all clicking at once (the CPU is shared: with 2 cores,
  4 kernels queue);
- memory (RSS and PSS, /proc) of the server, of the kernel after lecture-bert, and after
  notebook 04's SmolLM2 cell (``load_model("smollm2-135m")`` and its NextTokenExplorer).

Then a capacity estimate, the smaller of two bounds:

- memory: students = (memory - headroom) / memory per student, with the RSS after SmolLM2 (the
  most a notebook-04 kernel holds; RSS counts shared library pages in every process, so it
  over-counts a little on one machine, which is the safe side, and is what a pod is charged);
- CPU: each kernel computes on one thread, so a click keeps one core busy for its alone-time,
  and n students clicking at the same moment on c cores wait ceil(n / c) alone-times. The bound
  is the most students whose simultaneous clicks all answer within CLICK_BUDGET_MS. The run
  prints this model's prediction for its own class beside the measured all-at-once time.
SmolLM2 is read from the converted copy in the lecturekit cache, as the hub config shares it
(run any SmolLM2 notebook once first, or this includes a ~30 s conversion).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from class_hub import (  # noqa: E402  (tests/class_hub.py)
    PROXY,
    Kernel,
    helper_processes,
    mask_explorer_cells,
    memory_mb,
    request,
    start_hub,
    start_server,
    stop_class,
    user_token,
)

from lecturekit.paths import cache_dir  # noqa: E402

GIB = 1024  # MiB per GiB: /proc counts KiB, the table shows MiB
OS_HEADROOM_GIB = 2.0  # kernel, sshd, page cache for the shared libraries, a reverse proxy
NODE_HEADROOM_GIB = 4.0  # a Kubernetes node: kubelet, system reservations, daemonsets, eviction
CLICK = "explorer.toggle(2)"  # mask / unmask 'Larsen' (chip 2): one click, one prediction
EXPLORER = "explorer = MaskExplorer(bert, text='Liam Larsen was born in Montreal.', masked=('Montreal',))"
NEXT = "gpt.next_token('Stanford University is located in', top_k=8);"
# A click during class should answer within a second even when the instructor says "now click".
CLICK_BUDGET_MS = 1000


def smollm2_cell() -> str:
    import json

    cells = json.loads((ROOT / "notebooks" / "04_encoders_and_decoders.ipynb").read_text())["cells"]
    return next("".join(c["source"]) for c in cells
                if c["cell_type"] == "code" and "".join(c["source"]).startswith('gpt = load_model("smollm2-135m")'))


def timed(kernel: Kernel, code: str, start: threading.Barrier | None = None) -> float:
    if start is not None:
        start.wait(timeout=60)
    began = time.perf_counter()
    kernel.execute(code, timeout=300)
    return time.perf_counter() - began


def click_latency(kernels: list[Kernel], code: str, clicks: int) -> tuple[float, float]:
    """Median round trip (ms) of ``code``: each kernel alone in turn, then all at the same moment."""
    for kernel in kernels:
        timed(kernel, code)  # warm-up: first calls allocate buffers
    alone = [timed(k, code) for _ in range(clicks) for k in kernels]
    together = []
    with ThreadPoolExecutor(len(kernels)) as pool:
        for _ in range(clicks):
            barrier = threading.Barrier(len(kernels))
            together += pool.map(lambda k, b=barrier: timed(k, code, b), kernels)
    return statistics.median(alone) * 1000, statistics.median(together) * 1000


def run_class(students: list[str], clicks: int, folder: Path) -> dict:
    cells, _ = mask_explorer_cells()
    hub = start_hub(folder / "hub", {"LECTUREKIT_HUB_CACHE": str(cache_dir())})
    kernels: dict[str, Kernel] = {}
    found: dict = {"students": students}
    try:
        with ThreadPoolExecutor(len(students)) as pool:
            found["server_s"] = dict(zip(students, pool.map(lambda n: start_server(hub, n), students), strict=True))
            tokens = {name: user_token(hub, name) for name in students}
            time.sleep(2)  # let the servers settle before reading their memory
            found["server_mb"] = {n: memory_mb(pid) for n, (_, pid) in found["server_s"].items()}
            helpers = [psutil.Process(hub.process.pid), *helper_processes(hub)]
            found["hub_mb"] = sum(memory_mb(p.pid)[0] for p in helpers)

            # One student alone first, in a kernel thrown away afterwards ...
            first = Kernel(hub, students[0], tokens[students[0]])
            found["first_alone_s"] = timed(first, "\n".join(cells))
            request(hub, "DELETE", f"/user/{students[0]}/api/kernels/{first.id}", token=tokens[students[0]])
            first.close()
            # ... then the whole class runs the same cells at the same moment.
            kernels = dict(zip(students, pool.map(lambda n: Kernel(hub, n, tokens[n]), students), strict=True))
            barrier = threading.Barrier(len(students))
            found["first_together_s"] = dict(zip(students, pool.map(
                lambda n: timed(kernels[n], "\n".join(cells), barrier), students), strict=True))
            found["bert_mb"] = {n: memory_mb(k.pid) for n, k in kernels.items()}
            for kernel in kernels.values():
                kernel.execute(EXPLORER)
            found["click_ms"] = click_latency(list(kernels.values()), CLICK, clicks)

            barrier = threading.Barrier(len(students))
            found["smollm2_s"] = dict(zip(students, pool.map(
                lambda n: timed(kernels[n], smollm2_cell(), barrier), students), strict=True))
            found["smollm2_mb"] = {n: memory_mb(k.pid) for n, k in kernels.items()}
            found["next_ms"] = click_latency(list(kernels.values()), NEXT, clicks)
    finally:
        for kernel in kernels.values():
            kernel.close()
        stop_class(hub)
    return found


def capacity(memory_gib: float, headroom_gib: float, per_student_mib: float) -> int:
    return int((memory_gib - headroom_gib) * GIB // per_student_mib)


def per_core(alone_ms: float) -> int:
    """Students per core whose simultaneous clicks all answer within CLICK_BUDGET_MS."""
    return int(CLICK_BUDGET_MS // alone_ms)


def queued_ms(students: int, cores: int, alone_ms: float) -> float:
    """The one-thread-per-kernel model: simultaneous clicks queue for the cores."""
    return math.ceil(students / cores) * alone_ms


def report(found: dict) -> None:
    students = found["students"]
    print(f"{len(students)} students on one JupyterHub, {psutil.cpu_count()} CPU cores, "
          f"{psutil.virtual_memory().total / GIB**3:.1f} GiB; OMP_NUM_THREADS=1 per kernel")
    print(f"{'student':8} {'server s':>9} {'1st pred s':>11} {'server MiB':>11} {'kernel+bert MiB':>16} "
          f"{'PSS':>6} {'SmolLM2 cell s':>15} {'kernel+SmolLM2 MiB':>19} {'PSS':>6}")
    for n in students:
        (server_s, _), (server_rss, _) = found["server_s"][n], found["server_mb"][n]
        bert_rss, bert_pss = found["bert_mb"][n]
        smol_rss, smol_pss = found["smollm2_mb"][n]
        print(f"{n:8} {server_s:9.1f} {found['first_together_s'][n]:11.1f} {server_rss:11.0f} {bert_rss:16.0f} "
              f"{bert_pss:6.0f} {found['smollm2_s'][n]:15.1f} {smol_rss:19.0f} {smol_pss:6.0f}")
    together = statistics.median(found["first_together_s"].values())
    print(f"first prediction (notebook 04's mask-explorer cells, fresh kernel): one student alone "
          f"{found['first_alone_s']:.1f} s, all {len(students)} at once {together:.1f} s (median)")
    cores = psutil.cpu_count()
    for label, key in (("mask-explorer click (lecture-bert)", "click_ms"), ("SmolLM2 next_token", "next_ms")):
        alone, at_once = found[key]
        print(f"{label}: alone {alone:.0f} ms, all {len(students)} at once {at_once:.0f} ms "
              f"({at_once / alone:.1f}x; the queueing model says {queued_ms(len(students), cores, alone):.0f} ms)")
    print(f"hub + proxy + idle culler: {found['hub_mb']:.0f} MiB RSS")

    server = max(rss for rss, _ in found["server_mb"].values())
    per_bert = server + max(rss for rss, _ in found["bert_mb"].values())
    per_smol = server + max(rss for rss, _ in found["smollm2_mb"].values())
    hub_gib = found["hub_mb"] / GIB
    print(f"\nmemory per student (server + kernel, RSS): {per_bert:.0f} MiB with lecture-bert, "
          f"{per_smol:.0f} MiB with SmolLM2 as well (notebook 04)")
    headroom = OS_HEADROOM_GIB + hub_gib
    print(f"\none 24 GiB, 2-core server ({OS_HEADROOM_GIB:.0f} GiB for the OS + {hub_gib:.1f} GiB hub; "
          f"CPU bound: every student clicks at once, all answered within {CLICK_BUDGET_MS} ms):")
    workloads = (("with SmolLM2 loaded (notebook 04)", per_smol, found["next_ms"][0]),
                 ("with lecture models only", per_bert, found["click_ms"][0]))
    for label, per_student, alone in workloads:
        memory_bound, cpu_bound = capacity(24, headroom, per_student), 2 * per_core(alone)
        carried = min(memory_bound, cpu_bound)
        print(f"  {label}: {carried} students ({memory_bound} by memory at {per_student:.0f} MiB, "
              f"{cpu_bound} by CPU at {alone:.0f} ms a click); all {carried} opening notebook 04 "
              f"at once wait ~{queued_ms(carried, 2, found['first_alone_s']):.0f} s for a first prediction")
    node = capacity(64, NODE_HEADROOM_GIB, per_smol)
    print(f"a 64 GiB Kubernetes node ({NODE_HEADROOM_GIB:.0f} GiB headroom): {node} students at "
          f"{per_smol:.0f} MiB each (memory-bound), which need {math.ceil(node / per_core(found['next_ms'][0]))} "
          f"cores for simultaneous SmolLM2 clicks within {CLICK_BUDGET_MS} ms "
          f"({per_core(found['next_ms'][0])} students a core)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=4, help="how many students log in (default 4)")
    parser.add_argument("--clicks", type=int, default=5, help="clicks per student per measurement (default 5)")
    arguments = parser.parse_args()
    # `make bench` runs every benchmark, also where Node.js (so the proxy) is not installed.
    if not PROXY.exists():
        print(f"bench_class skipped: no JupyterHub proxy at {PROXY} (make hub-proxy)", file=sys.stderr)
        return
    students = [f"student{i + 1}" for i in range(arguments.students)]
    with tempfile.TemporaryDirectory(prefix="bench-class-") as folder:
        report(run_class(students, arguments.clicks, Path(folder)))


if __name__ == "__main__":
    main()
