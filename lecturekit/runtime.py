"""Which device to compute on, and how to make runs repeatable."""

from __future__ import annotations

import os
import random

import torch

_VALID = ("cuda", "mps", "cpu")


def device() -> torch.device:
    """The best available device: CUDA, then Apple's MPS, then the CPU.

    Set ``LECTUREKIT_DEVICE`` (for example ``cpu`` or ``cuda:1``) to override the
    choice, e.g. to compare speeds in class or to keep a busy GPU free.
    """
    wanted = os.environ.get("LECTUREKIT_DEVICE", "").strip()
    if wanted:
        kind = wanted.split(":")[0]
        if kind not in _VALID:
            raise ValueError(
                f"LECTUREKIT_DEVICE={wanted!r} is not a device; use one of "
                f"{', '.join(_VALID)} (optionally with an index, like cuda:1)."
            )
        if kind == "cuda" and not torch.cuda.is_available():
            raise RuntimeError(
                f"LECTUREKIT_DEVICE={wanted!r} asks for CUDA, but this torch build sees no "
                "CUDA GPU. Unset LECTUREKIT_DEVICE or install a CUDA build of torch."
            )
        if kind == "mps" and not _mps_available():
            raise RuntimeError(
                f"LECTUREKIT_DEVICE={wanted!r} asks for Apple MPS, which is not available here."
            )
        return torch.device(wanted)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if _mps_available():
        return torch.device("mps")
    return torch.device("cpu")


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy (if installed) and torch on every device.

    The same seed gives the same numbers on the CPU; GPUs may still differ in the
    last digits because some of their kernels add numbers in a varying order.
    """
    random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    try:
        import numpy as np

        np.random.seed(seed % 2**32)
    except ImportError:  # numpy is optional for the core
        pass
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
