"""Can this machine reach the Hugging Face hub? Answered within seconds, never a long hang.

Every notebook runs offline, so the question only decides whether the network
is worth trying: ``doctor`` reports it, the ``hf:`` model loader and the dataset
loader ask it before handing an id to a library that would retry for minutes.
This module sits at the bottom of the package (it imports nothing from lecturekit).
"""

from __future__ import annotations

import os
import socket
import threading

HUB_HOST = "huggingface.co"
HUB_PORT = 443  # HTTPS


def offline_requested() -> bool:
    """Has the user switched the hub off? (``HF_HUB_OFFLINE``, as huggingface_hub reads it.)"""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def hub_reachable(timeout: float = 3.0) -> tuple[bool, str]:
    """(whether a connection to the hub opens within ``timeout`` seconds, a sentence saying so).

    The name lookup has no timeout of its own in Python, so the attempt runs in a
    daemon thread that we simply stop waiting for.
    """
    if offline_requested():
        return False, "HF_HUB_OFFLINE is set: hub models are off"
    host = HUB_HOST  # read now, so a test (or a mirror) can point it elsewhere
    result: dict[str, object] = {}

    def attempt() -> None:
        try:
            with socket.create_connection((host, HUB_PORT), timeout=timeout):
                result["ok"] = True
        except OSError as error:
            result["error"] = error

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout)
    if result.get("ok"):
        return True, f"{host} reachable: `hf:<id>` models can be downloaded"
    reason = result.get("error") or f"no answer in {timeout:.0f} s"
    return False, f"{host} not reachable ({reason}); the bundled and lecture models work offline"
