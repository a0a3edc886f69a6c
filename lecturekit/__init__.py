"""lecturekit: the ideas of the "Pretraining" lecture as small, tested, readable code.

Areas, one per part of the lecture; imports point down this list, never round in a circle
(``tests/test_package_layout.py`` checks):

- ``widgets`` (interactive views) and ``exercises`` (the notebooks' checks), on top;
- ``subword`` (§1 tokenizers), ``contextual`` (§2 contextual embeddings), ``world`` (the
  generated lecture corpus and its probes), ``objectives`` (§3-§5 pretraining
  objectives), ``train`` (the pretraining loop), ``finetune`` (§3-§4 fine-tuning and its
  parameter-efficient methods), ``prompting`` (§6 in-context learning),
  ``scaling`` (§6 compute and scale);
- ``hub`` (one interface over every model) and ``models`` (the Transformer itself);
- ``text``, ``network``, ``paths``, ``runtime``: small foundations everyone shares.

``lab`` and ``workspace`` open the learner's working copy in JupyterLab; ``doctor``
checks a machine. Heavy areas are imported on first use, so ``import lecturekit``
stays fast.
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
