"""`lecturekit lab`: open the notebooks in JupyterLab, on this machine only."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def lab_command(port: int = 8888, notebook_dir: str | os.PathLike | None = None) -> list[str]:
    """The JupyterLab command line `make lab` runs (kept separate so a test can run it)."""
    folder = Path(notebook_dir) if notebook_dir else Path(__file__).resolve().parent.parent / "notebooks"
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",          # usable over ssh / headless: the URL is printed instead
        "--ip=127.0.0.1",        # never listen on the network
        f"--port={port}",
        f"--ServerApp.root_dir={folder}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and Binder-like machines run as root
    return command


def main(port: int = 8888) -> int:
    command = lab_command(port)
    print("Starting JupyterLab; open the http://127.0.0.1 URL it prints below (Ctrl-C stops it).")
    os.execv(command[0], command)
    return 0  # not reached
