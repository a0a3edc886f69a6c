"""Where lecturekit keeps files it makes at run time (converted models, corpora)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The user cache folder: ``$LECTUREKIT_CACHE`` if set, else ``~/.cache/lecturekit``.

    Created on first use. Nothing in it is precious: deleting it only means the
    next load converts the bundled models again.
    """
    root = os.environ.get("LECTUREKIT_CACHE")
    if root:
        path = Path(root).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        path = Path(base) / "lecturekit"
    path.mkdir(parents=True, exist_ok=True)
    return path
