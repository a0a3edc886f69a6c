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


def run_checks() -> list[Check]:
    """All the doctor's checks, in the order they are printed."""
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
    checks.append(_check_minilm())
    checks.append(_check_smollm2())
    checks.append(_check_cache())
    checks.append(_check_hub())
    return checks


def report_table(checks: list[Check] | None = None):
    """The doctor's report as a pandas DataFrame (for notebook 00)."""
    import pandas as pd

    checks = run_checks() if checks is None else checks
    return pd.DataFrame(
        [
            {"check": c.name, "status": _status(c), "detail": c.detail, "what to do": c.fix}
            for c in checks
        ]
    )


def _status(check: Check) -> str:
    if check.ok:
        return "ok"
    return "FAIL" if check.required else "note"


def main() -> int:
    checks = run_checks()
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
