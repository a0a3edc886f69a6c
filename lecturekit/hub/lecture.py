"""The lecture's own models (lecture-bert, lecture-gpt, lecture-t5) behind the interface.

A lecture checkpoint is a folder: ``config.json``, ``model.safetensors``,
``tokenizer.json`` (a Hugging Face ``tokenizers`` file) and a ``README.md`` model
card. ``lecturekit.models.load_pretrained(folder)`` rebuilds the module; it has
the Hugging Face forward signature, so the same ``LanguageModel`` classes drive it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import torch
from tokenizers import Tokenizer

from .errors import HubError, ModelNotShippedError
from .factory import build_model
from .kinds import KINDS
from .model import LanguageModel

LECTURE_MODELS = {
    "lecture-bert": "masked-lm",
    "lecture-gpt": "causal-lm",
    "lecture-t5": "encoder-decoder",
}
CHECKPOINT_FILES = ("config.json", "model.safetensors", "tokenizer.json")


def checkpoint_dir(name: str) -> Path:
    """Where a shipped lecture checkpoint lives inside the package."""
    return Path(__file__).resolve().parent.parent / "checkpoints" / name


def _default_loader() -> Callable[[Path], torch.nn.Module]:
    try:
        from ..models import load_pretrained
    except ImportError as error:
        raise ModelNotShippedError(
            "The lecture models' code (lecturekit.models) is not available in this installation; "
            "use minilm-l6 or smollm2-135m."
        ) from error
    return load_pretrained


def _kind_from_config(config: dict, fallback: str | None) -> str:
    stated = config.get("kind")
    if stated in KINDS:
        return stated
    if fallback is None:
        raise HubError("The checkpoint's config.json does not say its kind (masked-lm, causal-lm, ...).")
    return fallback


def _max_length(config: dict) -> int:
    for key in ("max_length", "max_position_embeddings", "max_positions", "context_length", "block_size"):
        value = config.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return 512


def load_lecture_checkpoint(
    folder: str | Path,
    device: torch.device,
    dtype: torch.dtype,
    name: str | None = None,
    kind: str | None = None,
    loader: Callable[[Path], torch.nn.Module] | None = None,
) -> LanguageModel:
    """Load a lecture-format checkpoint folder (shipped, or written by the trainer).

    ``loader`` rebuilds the module from the folder; it defaults to
    ``lecturekit.models.load_pretrained``.
    """
    folder = Path(folder).expanduser()
    missing = [f for f in CHECKPOINT_FILES if not (folder / f).is_file()]
    if missing:
        raise HubError(f"{folder} is not a lecture checkpoint: it lacks {', '.join(missing)}.")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except Exception as error:  # OSError, bad JSON, or a tokenizers parse error
        raise HubError(f"The checkpoint in {folder} is damaged: {error}") from error
    module = (loader or _default_loader())(folder)
    # The lecture modules state their kind (LectureBERT.kind == "masked-lm").
    stated = getattr(module, "kind", None)
    return build_model(
        module,
        tokenizer,
        name=name or folder.name,
        kind=stated if stated in KINDS else _kind_from_config(config, kind),
        max_length=_max_length(config),
        device=device,
        dtype=dtype,
        decoder_start_id=config.get("decoder_start_token_id"),
    )


def load_lecture_model(name: str, device: torch.device, dtype: torch.dtype) -> LanguageModel:
    """lecture-bert / lecture-gpt / lecture-t5, if its checkpoint has been shipped."""
    folder = checkpoint_dir(name)
    if not all((folder / f).is_file() for f in CHECKPOINT_FILES):
        raise ModelNotShippedError(
            f"{name} is not trained/shipped yet (no checkpoint in lecturekit/checkpoints/{name}); "
            "use minilm-l6 or smollm2-135m."
        )
    return load_lecture_checkpoint(folder, device, dtype, name=name, kind=LECTURE_MODELS[name])
