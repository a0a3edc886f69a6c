"""`make notebooks` is deterministic: re-running a notebook reproduces the stored file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_refreshing_the_welcome_notebook_changes_nothing(tmp_path):
    copy = tmp_path / "00_welcome.ipynb"
    shutil.copy(ROOT / "notebooks" / "00_welcome.ipynb", copy)
    subprocess.run([sys.executable, str(ROOT / "tools" / "refresh_notebooks.py"), str(copy)],
                   check=True, capture_output=True, cwd=ROOT)
    assert copy.read_text() == (ROOT / "notebooks" / "00_welcome.ipynb").read_text()
