"""Re-execute notebooks in place so their stored outputs are fresh (``make notebooks``).

Usage: python tools/refresh_notebooks.py [NOTEBOOK_OR_FOLDER ...]

Runs each notebook top to bottom in this Python environment on the CPU (stored
outputs must be the CPU ones, which are deterministic), then removes widget state:
the metadata's saved state and each output's widget-view reference (a random model
id that points at state we do not keep). What stays is the widget's static HTML
picture, which is what a reader without a kernel should see anyway; running the
cell brings the live widget back.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def refresh(path: Path, timeout: int = 600) -> float:
    notebook = nbformat.read(path, as_version=4)
    # The display name ipykernel itself writes: anything else and JupyterLab marks the
    # notebook changed the moment it opens.
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    start = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    seconds = time.perf_counter() - start
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # wall-clock timestamps: noise in diffs
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nbformat.write(notebook, path)
    return seconds


def main(arguments: list[str]) -> int:
    # Stored outputs are the CPU's, whatever machine refreshes them.
    os.environ.setdefault("LECTUREKIT_DEVICE", "cpu")
    targets = [Path(a) for a in arguments] or [Path("notebooks")]
    paths: list[Path] = []
    for target in targets:
        paths.extend(sorted(target.rglob("*.ipynb")) if target.is_dir() else [target])
    paths = [p for p in paths if ".ipynb_checkpoints" not in p.parts]
    for path in paths:
        seconds = refresh(path)
        print(f"{path}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
