"""Load a saved lecture model, and say precisely what is wrong when it cannot be.

A checkpoint folder holds ``config.json`` (the architecture's name and its
configuration) and ``model.safetensors`` (the weights: plain tensors, so loading
never runs code, unlike pickle files).
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors import safe_open

from lecturekit.models.base import CONFIG_FILE, WEIGHTS_FILE, LectureModel
from lecturekit.models.config import TransformerConfig

_HEADER_KEYS = ("architecture", "format_version")


def _architectures() -> dict[str, type[LectureModel]]:
    from lecturekit.models.bert import LectureBERT
    from lecturekit.models.gpt import LectureGPT
    from lecturekit.models.t5 import LectureT5

    return {cls.architecture: cls for cls in (LectureBERT, LectureGPT, LectureT5)}


class CheckpointError(ValueError):
    """A checkpoint folder that cannot be loaded; the message says why."""


def _read_config(folder: Path) -> tuple[type[LectureModel], TransformerConfig, dict]:
    path = folder / CONFIG_FILE
    if not path.is_file():
        raise CheckpointError(f"{folder}: no {CONFIG_FILE} here, so this is not a saved lecture model.")
    try:
        raw = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckpointError(f"{path} is not valid JSON ({error}).") from None
    if not isinstance(raw, dict):
        raise CheckpointError(f"{path} should hold a JSON object, found {type(raw).__name__}.")
    known = _architectures()
    architecture = raw.get("architecture")
    if architecture not in known:
        raise CheckpointError(
            f"{path}: architecture {architecture!r} is not one of {', '.join(known)}."
        )
    values = {k: v for k, v in raw.items() if k not in _HEADER_KEYS}
    try:
        config = TransformerConfig.from_dict(values)
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"{path}: {error}") from None
    return known[architecture], config, values


def _read_weights(folder: Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    path = folder / WEIGHTS_FILE
    if not path.is_file():
        raise CheckpointError(f"{folder}: {WEIGHTS_FILE} is missing (config.json alone has no weights).")
    try:
        with safe_open(str(path), framework="pt") as file:
            metadata = file.metadata() or {}
            weights = {name: file.get_tensor(name) for name in file.keys()}
    except Exception as error:  # safetensors raises its own error types for damaged files
        raise CheckpointError(
            f"{path} is not a readable safetensors file ({type(error).__name__}: {error}); "
            "it may be truncated or corrupted: save the model again."
        ) from None
    return weights, metadata


def _compare(folder: Path, model: LectureModel, weights: dict[str, torch.Tensor]) -> None:
    expected = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    found = {name: tuple(t.shape) for name, t in weights.items()}
    problems = []
    missing = sorted(set(expected) - set(found))
    unexpected = sorted(set(found) - set(expected))
    wrong_shape = [n for n in sorted(set(expected) & set(found)) if expected[n] != found[n]]
    if missing:
        problems.append(f"{len(missing)} weights missing (e.g. {', '.join(missing[:3])})")
    if unexpected:
        problems.append(f"{len(unexpected)} unexpected weights (e.g. {', '.join(unexpected[:3])})")
    for name in wrong_shape[:3]:
        problems.append(f"{name} has shape {found[name]} but the config needs {expected[name]}")
    if len(wrong_shape) > 3:
        problems.append(f"and {len(wrong_shape) - 3} more shape mismatches")
    if problems:
        raise CheckpointError(
            f"{folder}: the weights do not fit config.json: " + "; ".join(problems) + "."
        )


def load_pretrained(folder: str | Path, device: str | torch.device | None = None) -> LectureModel:
    """The model saved in ``folder`` by ``save_pretrained``, in eval mode.

    ``device=None`` picks ``lecturekit.device()`` (a GPU when there is one).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CheckpointError(f"{folder} is not a folder; save_pretrained writes a folder.")
    model_class, config, values = _read_config(folder)
    weights, metadata = _read_weights(folder)
    if "config" in metadata:
        saved = json.loads(metadata["config"])
        changed = sorted(k for k in set(saved) | set(values) if saved.get(k) != values.get(k))
        if changed or metadata.get("architecture", model_class.architecture) != model_class.architecture:
            details = ", ".join(f"{k}: config.json {values.get(k)!r} vs weights {saved.get(k)!r}" for k in changed)
            raise CheckpointError(
                f"{folder}: config.json differs from the configuration the weights were saved "
                f"with ({details or 'architecture'}); restore the matching config.json."
            )
    model = model_class(config)
    _compare(folder, model, weights)
    model.load_state_dict(weights, strict=True)
    if device is None:
        from lecturekit.runtime import device as best_device

        device = best_device()
    return model.to(device).eval()
