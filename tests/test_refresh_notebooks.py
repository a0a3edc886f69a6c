"""`make notebooks` is deterministic: re-running a notebook reproduces the stored file.

Cells tagged ``nbval-ignore-output`` say why their output varies (the device, the network,
this machine); everything else, sources and metadata included, must come back identical.
The refresh runs both with and without ``HF_HUB_OFFLINE`` set: offline users set it, and
the stored notebook must not depend on it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IGNORE_TAG = "nbval-ignore-output"


def comparable(path: Path) -> dict:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if IGNORE_TAG in cell.get("metadata", {}).get("tags", []):
            cell["outputs"] = "varies"
    return notebook


@pytest.mark.slow
@pytest.mark.parametrize("offline", [False, True], ids=["hub-env-unset", "HF_HUB_OFFLINE=1"])
def test_refreshing_the_welcome_notebook_changes_nothing(tmp_path, offline):
    copy = tmp_path / "00_welcome.ipynb"
    shutil.copy(ROOT / "notebooks" / "00_welcome.ipynb", copy)
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    if offline:
        env["HF_HUB_OFFLINE"] = "1"
    subprocess.run([sys.executable, str(ROOT / "tools" / "refresh_notebooks.py"), str(copy)],
                   check=True, capture_output=True, cwd=ROOT, env=env)
    assert comparable(copy) == comparable(ROOT / "notebooks" / "00_welcome.ipynb")
    # The varying cells still ran and printed something.
    refreshed = json.loads(copy.read_text(encoding="utf-8"))
    assert all(cell["outputs"] for cell in refreshed["cells"] if cell["cell_type"] == "code")
