"""The settings notebook 05 uses, and one function that runs every experiment with them.

- ``"cpu"``: what ``tools/finetune_experiments.py`` runs to make ``results/cpu.json``
  (the precomputed curves; about half an hour on a 2-core CPU, most of it MiniLM);
- ``"live"``: the smaller runs the notebook trains while it is read (under two
  minutes on a 2-core CPU): one seed, lecture models only;
- ``"gpu"``: more seeds and SmolLM2 at its larger scale.

Every experiment of a preset trains with equal data, steps and batch size
across the arms it compares; the arms differ only in what the experiment asks.
"""

from __future__ import annotations

import platform
import time

from .domain import domain_adaptive_pretraining
from .near_start import compare_optimizers, distance_from_start
from .real_model import smollm2_lora
from .side_by_side import compare_methods
from .transfer import pretrained_vs_scratch

EXPERIMENTS = {
    "pretrained_vs_scratch": pretrained_vs_scratch,
    "methods_side_by_side": compare_methods,
    "distance_from_start": distance_from_start,
    "compare_optimizers": compare_optimizers,
    "domain_adaptive_pretraining": domain_adaptive_pretraining,
    "smollm2_lora": smollm2_lora,
}

CPU = {
    "pretrained_vs_scratch": {"sizes": (16, 64, 256, None), "seeds": (0, 1, 2), "steps": 60, "batch_size": 16},
    # 150 steps: at 60, lecture-gpt fully fine-tuned and with LoRA r=8 fit only 0.94 and 0.90 of their own
    # training reviews (three seeds), so the table compared how fast methods start, not what they reach.
    "methods_side_by_side": {"models": ("lecture-bert", "lecture-gpt"), "seeds": (0, 1, 2), "steps": 150,
                             "batch_size": 16},
    "distance_from_start": {"steps": 60, "record_every": 10, "batch_size": 16, "seed": 0},
    "compare_optimizers": {"seeds": (0, 1, 2), "steps": 60, "batch_size": 16},
    "domain_adaptive_pretraining": {"n_tokens": 200_000, "pretrain_steps": 300, "pretrain_batch_size": 32,
                                    "steps": 60, "batch_size": 16, "seeds": (0, 1, 2)},
    "smollm2_lora": {"scale": "cpu"},
}
LIVE = {
    "pretrained_vs_scratch": {"arms": ("pretrained", "scratch"), "sizes": (64, None), "seeds": (0,), "steps": 60,
                              "batch_size": 16},
    "methods_side_by_side": {"models": ("lecture-bert",), "seeds": (0,), "steps": 60, "batch_size": 16},
    "distance_from_start": {"steps": 60, "record_every": 10, "batch_size": 16, "seed": 0},
}
GPU = {**CPU,
       "pretrained_vs_scratch": {**CPU["pretrained_vs_scratch"], "seeds": (0, 1, 2, 3, 4)},
       "methods_side_by_side": {**CPU["methods_side_by_side"], "seeds": (0, 1, 2, 3, 4)},
       "smollm2_lora": {"scale": "gpu"}}
PRESETS = {"cpu": CPU, "live": LIVE, "gpu": GPU}


def checkpoint_digests() -> dict[str, str]:
    """A short digest of each shipped lecture checkpoint's weights: which models made the results."""
    import hashlib

    from ...hub.lecture import checkpoint_dir

    digests = {}
    for name in ("lecture-bert", "lecture-gpt"):
        weights = checkpoint_dir(name) / "model.safetensors"
        digests[name] = hashlib.sha1(weights.read_bytes()).hexdigest()[:12] if weights.is_file() else "missing"
    return digests


def describe_machine() -> str:
    import torch

    if torch.cuda.is_available():
        return f"cuda ({torch.cuda.get_device_name(0)})"
    return f"cpu ({platform.processor() or platform.machine()}, {torch.get_num_threads()} torch thread(s))"


def run_experiments(preset: str = "cpu", only=None, device=None, log=print) -> dict:
    """Run the preset's experiments (or those named in ``only``); a dict ready for JSON.

    Each entry of ``"results"`` is a result's ``to_dict()``: its rows, its
    settings (the preset's and every default it used) and its seconds.
    """
    import torch

    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {', '.join(PRESETS)}; got {preset!r}.")
    chosen = list(only or PRESETS[preset])
    unknown = sorted(set(chosen) - set(PRESETS[preset]))
    if unknown:
        raise ValueError(f"Preset {preset!r} has no experiment {unknown}; it has {', '.join(PRESETS[preset])}.")
    started = time.perf_counter()
    results = {}
    for name in chosen:
        if log:
            log(f"--- {name}")
        result = EXPERIMENTS[name](**PRESETS[preset][name], device=device, log=log)
        entry = result.to_dict()
        entry["preset_settings"] = {k: list(v) if isinstance(v, tuple) else v for k, v in PRESETS[preset][name].items()}
        results[name] = entry
        if log:
            log(f"    {name}: {result.seconds:.0f} s")
    return {"format_version": 1, "preset": preset, "checkpoints": checkpoint_digests(),
            "device": describe_machine(), "torch": torch.__version__,
            "python": platform.python_version(), "seconds": round(time.perf_counter() - started, 1),
            "results": results}
