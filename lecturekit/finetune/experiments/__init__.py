"""The fine-tuning experiments of notebook 05, one module each (issue 15).

1. ``transfer.pretrained_vs_scratch``: held-out sentiment words; lecture-bert,
   its random twin and MiniLM against the number of labelled examples.
2. ``side_by_side.compare_methods``: every method on lecture-bert and
   lecture-gpt: accuracy and what each costs.
3. ``near_start.distance_from_start`` and ``near_start.compare_optimizers``:
   fine-tuning stays near θ̂; SGD, AdamW and AdaGrad end up alike.
4. ``domain.domain_adaptive_pretraining``: more masked LM on recipes, then the
   dish-course task.
5. ``real_model.smollm2_lora``: LoRA on SmolLM2-135M behind a ``scale`` switch.

Each returns a result with ``rows`` (one per training run), ``settings`` (every
number the run used, seeds included), ``seconds`` and ``table()``; most have a
plot function. ``presets.PRESETS`` holds the notebook's settings ("cpu" for the
precomputed curves, "live" for what the notebook trains as it runs);
``tools/finetune_experiments.py`` runs the "cpu" preset and writes
``results/cpu.json``; ``load_results`` reads it back as the same result objects,
so the notebook can draw the precomputed curves.
"""

from __future__ import annotations

import json
from pathlib import Path

from .common import ExperimentResult, SentimentTask, balanced_subsets, from_scratch, sentiment_task
from .domain import DomainResult, continue_pretraining, domain_adaptive_pretraining, plot_domain
from .near_start import (
    DistanceResult,
    OptimizerResult,
    compare_optimizers,
    distance_from_start,
    plot_distances,
)
from .presets import PRESETS, run_experiments
from .real_model import RealModelResult, smollm2_lora
from .side_by_side import METHOD_ARMS, MethodsResult, compare_methods, plot_methods
from .transfer import ARMS, TransferResult, plot_sample_efficiency, pretrained_vs_scratch

RESULTS_DIR = Path(__file__).resolve().parent.parent / "results"
RESULT_TYPES = {cls.experiment: cls for cls in (TransferResult, MethodsResult, DistanceResult, OptimizerResult,
                                               DomainResult, RealModelResult)}


def load_results(name_or_path="cpu") -> dict:
    """A results file (committed by name, "cpu", or any path): its header and each experiment's result.

    Returns ``{"command": ..., "settings": ..., ..., "results": {experiment: result object}}``.
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = RESULTS_DIR / f"{name_or_path}.json"
    if not path.is_file():
        raise FileNotFoundError(f"No fine-tuning results at {path}; make them with "
                                "`python tools/finetune_experiments.py`.")
    data = json.loads(path.read_text())
    results = {name: RESULT_TYPES[name].from_dict(entry) for name, entry in data["results"].items()}
    return {**data, "results": results}


__all__ = [
    "ARMS",
    "METHOD_ARMS",
    "PRESETS",
    "RESULTS_DIR",
    "DistanceResult",
    "DomainResult",
    "ExperimentResult",
    "MethodsResult",
    "OptimizerResult",
    "RealModelResult",
    "SentimentTask",
    "TransferResult",
    "balanced_subsets",
    "compare_methods",
    "compare_optimizers",
    "continue_pretraining",
    "distance_from_start",
    "domain_adaptive_pretraining",
    "from_scratch",
    "load_results",
    "plot_distances",
    "plot_domain",
    "plot_methods",
    "plot_sample_efficiency",
    "pretrained_vs_scratch",
    "run_experiments",
    "sentiment_task",
    "smollm2_lora",
]
