"""`lecturekit doctor`: is this machine ready for the notebooks?

Each check gives one row (check, ok, detail, what to do). The command prints them
as a table and exits non-zero if anything the suite *needs* is broken. Being
offline is not a failure: every notebook runs without a network.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass
from importlib import metadata

# Notebook 00 asks the same question: `from lecturekit.doctor import hub_reachable`.
from .network import hub_reachable


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _check_python() -> Check:
    ok = sys.version_info >= (3, 10)
    return Check("Python", ok, platform.python_version(), "" if ok else "Use Python 3.10 or newer.")


def _check_package(dist: str, why: str) -> Check:
    version = _version(dist)
    if version is None:
        return Check(dist, False, "not installed", f"Run `make setup` ({why}).")
    return Check(dist, True, version)


def _check_device() -> Check:
    try:
        import torch

        from .runtime import device

        dev = device()
    except Exception as error:  # a bad LECTUREKIT_DEVICE, a broken torch
        return Check("device", False, str(error), "Unset LECTUREKIT_DEVICE or reinstall torch.")
    if dev.type == "cuda":
        props = torch.cuda.get_device_properties(dev)
        detail = f"cuda: {props.name}, {props.total_memory / 2**30:.1f} GiB"
    elif dev.type == "mps":
        detail = "mps: Apple GPU (shares system memory)"
    else:
        detail = f"cpu: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, {_ram_gib()}"
    return Check("device", True, detail)


def _ram_gib() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        return f"{pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        return "RAM unknown"


def _check_minilm() -> Check:
    from .bundled import BundledModelMissing, minilm_dir

    try:
        folder = minilm_dir()
        config = json.loads((folder / "config.json").read_text())
        from safetensors import safe_open

        with safe_open(str(folder / "model.safetensors"), framework="pt") as f:
            n_tensors = len(list(f.keys()))
    except (BundledModelMissing, OSError, ValueError) as error:
        return Check("model minilm-l6", False, str(error), "Run `make setup`.")
    return Check(
        "model minilm-l6",
        True,
        f"all-MiniLM-L6-v2, {config.get('num_hidden_layers')} layers, {n_tensors} tensors",
    )


def _check_smollm2() -> Check:
    from .bundled import BundledModelMissing, smollm2_gguf
    from .paths import cache_dir

    try:
        gguf = smollm2_gguf()
        with open(gguf, "rb") as f:
            magic = f.read(4)
        if magic != b"GGUF":
            raise ValueError(f"{gguf} is not a GGUF file (starts with {magic!r})")
    except (BundledModelMissing, OSError, ValueError) as error:
        return Check("model smollm2-135m", False, str(error), "Run `make setup`.")
    converted = any(cache_dir().glob("smollm2-135m-v*/lecturekit.json"))
    state = "converted in cache" if converted else "converts on first load (~30 s)"
    return Check("model smollm2-135m", True, f"SmolLM2-135M-Instruct GGUF, {state}")


def _check_checkpoints() -> Check:
    """The shipped lecture models: every file there, and weights that safetensors can read."""
    from safetensors import SafetensorError, safe_open

    from .hub.lecture import CHECKPOINT_FILES, LECTURE_MODELS, checkpoint_dir

    problems, tensors = [], 0
    for name in LECTURE_MODELS:
        folder = checkpoint_dir(name)
        missing = [f for f in CHECKPOINT_FILES if not (folder / f).is_file()]
        if missing:
            problems.append(f"{name} lacks {', '.join(missing)}")
            continue
        try:
            with safe_open(str(folder / "model.safetensors"), framework="pt") as weights:
                tensors += len(list(weights.keys()))
            json.loads((folder / "config.json").read_text(encoding="utf-8"))
        except (SafetensorError, OSError, ValueError) as error:
            problems.append(f"{name}: {error}")
    if problems:
        return Check("lecture models", False, "; ".join(problems),
                     "Reinstall lecturekit from a clone, or retrain with `make checkpoints`.")
    return Check("lecture models", True, f"{', '.join(LECTURE_MODELS)}: {tensors} tensors, readable")


def _check_browser() -> Check:
    """What the browser tests need: Debian's Chromium and Playwright for Python."""
    import shutil

    path = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None)
    path = path or shutil.which("chromium")
    if path is None:
        return Check("browser (tests)", False, "chromium not found", "apt-get install chromium")
    if _version("playwright") is None:
        return Check("browser (tests)", False, "playwright not installed", "Run `make setup`.")
    return Check("browser (tests)", True, f"{path}, playwright {_version('playwright')}")


def _check_cache() -> Check:
    from .paths import cache_dir

    try:
        folder = cache_dir()
        probe = folder / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        return Check("cache", False, str(error), "Set LECTUREKIT_CACHE to a writable folder.")
    return Check("cache", True, _tilde(folder))


def _tilde(path) -> str:
    """Show a path under the home folder as ~/..., shorter and not personal."""
    from pathlib import Path

    home = str(Path.home())
    text = str(path)
    return "~" + text[len(home):] if home != "/" and text.startswith(home + "/") else text


def _check_hub() -> Check:
    ok, detail = hub_reachable()
    return Check("model hub", ok, detail, required=False)


def run_checks(tests: bool = False) -> list[Check]:
    """All the doctor's checks, in the order they are printed (``tests``: also what tests need)."""
    checks = [_check_python()]
    for dist, why in [
        ("torch", "tensors and models"),
        ("transformers", "real models"),
        ("tokenizers", "real tokenizers"),
        ("ipywidgets", "widgets"),
        ("jupyterlab", "the notebooks"),
    ]:
        checks.append(_check_package(dist, why))
    checks.append(_check_device())
    checks.append(_check_checkpoints())
    checks.append(_check_minilm())
    checks.append(_check_smollm2())
    checks.append(_check_cache())
    checks.append(_check_hub())
    if tests:
        checks.append(_check_browser())
    return checks


class Report:
    """The doctor's checks for notebook 00: a whole-width table, nothing cut, no bare index."""

    def __init__(self, checks: list[Check]):
        self.checks = checks

    @property
    def table(self):
        import pandas as pd

        rows = [{"check": c.name, "status": _status(c), "detail": c.detail, "what to do": c.fix}
                for c in self.checks]
        return pd.DataFrame(rows).set_index("check")

    def _repr_html_(self) -> str:
        from .text import escape

        colours = {"ok": "#2e7d32", "note": "#a15c00", "FAIL": "#b00020"}
        cell = "padding:3px 10px;text-align:left;vertical-align:top"
        rows = "".join(
            f"<tr><td style='{cell}'><b>{escape(c.name)}</b></td>"
            f"<td style='{cell};color:{colours[_status(c)]}'>{_status(c)}</td>"
            f"<td style='{cell}'>{escape(c.detail)}</td><td style='{cell}'>{escape(c.fix)}</td></tr>"
            for c in self.checks
        )
        header = "".join(f"<th style='{cell}'>{h}</th>" for h in ("check", "status", "detail", "what to do"))
        return (f"<table class='lk-doctor' style='border-collapse:collapse;font-size:1em'>"
                f"<tr>{header}</tr>{rows}</table>")

    def __repr__(self) -> str:
        return "\n".join(f"{_status(c):4}  {c.name}: {c.detail}" for c in self.checks)


def report_table(checks: list[Check] | None = None) -> Report:
    """The doctor's report (for notebook 00); ``.table`` is the same as a DataFrame."""
    return Report(run_checks() if checks is None else checks)


def _status(check: Check) -> str:
    if check.ok:
        return "ok"
    return "FAIL" if check.required else "note"


def main(tests: bool = False) -> int:
    checks = run_checks(tests=tests)
    width = max(len(c.name) for c in checks)
    print("lecturekit doctor")
    for c in checks:
        print(f"  {_status(c):4}  {c.name:<{width}}  {c.detail}")
        if c.fix and not c.ok:
            print(f"        {'':<{width}}  -> {c.fix}")
    broken = [c for c in checks if c.required and not c.ok]
    if broken:
        print(f"\n{len(broken)} problem(s): the notebooks will not all run until they are fixed.")
        return 1
    print("\nReady: every notebook can run on this machine.")
    return 0
