"""lecturekit: the ideas of the "Pretraining" lecture as small, tested, readable code.

Areas (one per part of the lecture): ``subword`` (tokenizers), ``world`` (the
generated lecture corpus and its probes), ``models`` and ``objectives`` (the
Transformer and how it is pretrained), ``train``, ``hub`` (one interface over every
model) and ``widgets`` (interactive views). Heavy areas are imported on first use,
so ``import lecturekit`` stays fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "device": ("lecturekit.runtime", "device"),
    "seed_everything": ("lecturekit.runtime", "seed_everything"),
    "cache_dir": ("lecturekit.paths", "cache_dir"),
    "load_model": ("lecturekit.hub", "load_model"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lecturekit' has no attribute {name!r}")
