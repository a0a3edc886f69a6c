"""Interactive views for the notebooks.

Each widget is a pure function (text in, table/HTML/figure out; unit-tested) plus a
thin ipywidgets view that wires controls to it. They are imported on first use so
that ``import lecturekit.widgets`` does not load every model library at once.
"""

from __future__ import annotations

import importlib

_WIDGETS = {
    # name: module inside lecturekit.widgets
    "TokenizerExplorer": "tokenizer_explorer",
    "BPEStepper": "bpe_stepper",
    "ContextualEmbeddingExplorer": "contextual_embeddings",
    "MaskExplorer": "mask_explorer",
    "NextTokenExplorer": "next_token_explorer",
    "MaskingLab": "masking_lab",
    "AttentionMaskView": "attention_mask_view",
    "TemperatureDemo": "temperature_demo",
    "ComputeCalculator": "compute_calculator",
    "FineTuneDashboard": "finetune_dashboard",
    "QuestionAnswerer": "question_answerer",
}

__all__ = list(_WIDGETS)


def __getattr__(name: str):
    if name in _WIDGETS:
        value = getattr(importlib.import_module(f"{__name__}.{_WIDGETS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lecturekit.widgets' has no attribute {name!r}")
