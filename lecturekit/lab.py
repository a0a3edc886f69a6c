"""`lecturekit lab`: open the learner's working copy of the lessons in JupyterLab, on this machine only."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import workspace

# Default settings JupyterLab reads from <config dir>/labconfig (a learner's own settings
# still win): no "Would you like to get notified about official Jupyter news?" toast and
# no update check, which cover the widgets in front of a class.
LAB_CONFIG = Path(__file__).resolve().parent / "lab_config"


def lab_environment(environment: dict | None = None) -> dict:
    """The environment JupyterLab runs in: ``environment`` (default: this one) plus our defaults."""
    environment = dict(os.environ if environment is None else environment)
    paths = [str(LAB_CONFIG), *filter(None, environment.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    return environment


def lab_command(port: int = 8888, notebook_dir: str | os.PathLike | None = None) -> list[str]:
    """The JupyterLab command line `make lab` runs (kept separate so a test can run it)."""
    folder = Path(notebook_dir) if notebook_dir else workspace.WORKSPACE
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",          # usable over ssh / headless: the URL is printed instead
        "--ip=127.0.0.1",        # never listen on the network
        f"--port={port}",
        f"--ServerApp.root_dir={folder}",
        # Nothing fetched in the background (and nothing to fail offline): no news feed,
        # no update check. The toasts asking about them are off in LAB_CONFIG.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and Binder-like machines run as root
    return command


def main(port: int = 8888, folder: str | os.PathLike | None = None) -> int:
    target = Path(folder) if folder else workspace.WORKSPACE
    print(workspace.sync(workspace=target).message())
    command = lab_command(port, target)
    print("Starting JupyterLab; open the http://127.0.0.1 URL it prints below (Ctrl-C stops it).", flush=True)
    os.execve(command[0], command, lab_environment())
    return 0  # not reached


def reset_main(which: str, folder: str | os.PathLike | None = None) -> int:
    target = Path(folder) if folder else workspace.WORKSPACE
    try:
        backups = workspace.reset(which, workspace=target)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    for backup in backups:
        print(f"your previous copy is saved as {backup}")
    print(f"{which}: the working copy in {target} is now the lesson as shipped.")
    return 0
