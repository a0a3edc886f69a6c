"""How long a room waits for the first live widget: `lecturekit present` in its two views.

Usage: python benchmarks/bench_present.py [--lesson 00] [--visits 3]

For each view, a fresh server over a fresh working copy, then ``--visits`` page loads in
headless Chromium (Debian's) at a projector's size, each timed from ``page.goto`` until the
first widget's slider is on the page and answers a key press (the table it drives changes):

- Voilà, cold (``--preheat_kernel=False``): each visit starts a kernel and runs the notebook;
- Voilà, preheated (what ``present --view voila`` does): a kernel that already ran the notebook
  waits for each visitor; the next is prepared in the background (a pause between visits lets
  it finish, as between two classes);
- JupyterLab: open the notebook, Run All, until the widget answers.

The reference in the same run is the cold Voilà page: the ratio shows what preheating saves.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from lab_process import free_port, stop  # noqa: E402  (tests/lab_process.py)

from lecturekit import workspace  # noqa: E402
from lecturekit.present import find_lesson, present_command, present_environment  # noqa: E402

TOKEN = "bench-present"
SLIDER = ".widget-slider .noUi-handle"


def serve(view: str, name: str, folder: Path, preheat: bool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**present_environment(folder), "JUPYTER_TOKEN": TOKEN, "OMP_NUM_THREADS": "1",
           "JUPYTER_RUNTIME_DIR": str(folder.parent / "runtime")}
    log = open(folder.parent / f"{view}.log", "w")
    server = subprocess.Popen(present_command(view, name, port, folder, preheat=preheat), env=env,
                              stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    base = f"http://127.0.0.1:{port}"
    probe = f"{base}/api/status?token={TOKEN}" if view == "lab" else f"{base}/voila/static/voila.js"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return server, base
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stop(server) if server.poll() is None else None
                raise SystemExit(f"{view} server did not start; see {folder.parent / (view + '.log')}") from None
            time.sleep(0.5)


def first_answer(page) -> None:
    """Until the first widget is on the page and its table follows a key press."""
    handle = page.locator(SLIDER).first
    handle.wait_for(timeout=180_000)
    caption = page.locator(".jp-OutputArea-output table caption").first
    caption.wait_for(timeout=60_000)
    before = caption.text_content()
    handle.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("before => document.querySelector('.jp-OutputArea-output table caption')"
                           ".textContent !== before", arg=before, timeout=60_000)


def visit(browser, view: str, base: str, name: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=1.5)
    page = context.new_page()
    started = time.perf_counter()
    if view == "lab":
        page.goto(f"{base}/doc/tree/{name}?token={TOKEN}&reset")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click(timeout=10_000)
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click(timeout=10_000)
    else:
        page.goto(f"{base}/", timeout=180_000)
    first_answer(page)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="00")
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--pause", type=float, default=15.0, help="seconds between visits (the pool refills)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-present-") as work, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for label, view, preheat in (("voila, cold", "voila", False), ("voila, preheated", "voila", True),
                                     ("jupyterlab, run all", "lab", False)):
            folder = Path(work) / label.replace(", ", "-").replace(" ", "-") / "my-notebooks"
            workspace.sync(workspace=folder)
            name = find_lesson(args.lesson, folder)
            server, base = serve(view, name, folder, preheat)
            try:
                if preheat:
                    time.sleep(args.pause)  # the first preheated kernel runs the notebook now
                times = []
                for index in range(args.visits):
                    times.append(visit(browser, view, base, name))
                    if index + 1 < args.visits:
                        time.sleep(args.pause)
            finally:
                stop(server)
            rows.append((label, times))
        browser.close()
    reference = statistics.median(rows[0][1])
    print(f"lesson {args.lesson}: page load to the first widget answering a key press, "
          f"{args.visits} visits each, {os.cpu_count()} cores")
    print(f"{'view':22} {'median s':>9} {'all visits (s)':>22} {'vs cold voila':>14}")
    for label, times in rows:
        median = statistics.median(times)
        print(f"{label:22} {median:9.2f} {' '.join(f'{t:.2f}' for t in times):>22} {median / reference:14.2f}")


if __name__ == "__main__":
    main()
