"""Any Hugging Face model (``hf:<id or local folder>``) behind the lecturekit interface.

A local folder always works. A hub id needs the network: before handing it to
transformers (which would retry for a long while) we check in under 3 seconds
whether the hub answers; if it does not, a model already in the Hugging Face cache
is still used, and otherwise the error names the models that work offline.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from ..network import hub_reachable, offline_requested
from .errors import HubError, OfflineError
from .factory import build_model
from .model import LanguageModel
from .specials import find_special_tokens

OFFLINE_MODELS = "lecture-bert, lecture-gpt, lecture-t5, smollm2-135m, minilm-l6, or hf:<a local folder>"
HUB_TIMEOUT_S = 2.5
# owner/name or name, as the hub spells ids (letters, digits, - _ .).
_HUB_ID = re.compile(r"^[\w.-]+(/[\w.-]+)?$")


def _kind_of(config) -> str:
    """masked-lm / causal-lm / encoder-decoder / encoder, from the checkpoint's config."""
    if getattr(config, "is_encoder_decoder", False):
        return "encoder-decoder"
    for architecture in getattr(config, "architectures", None) or []:
        if architecture.endswith("ForMaskedLM"):
            return "masked-lm"
        if architecture.endswith(("ForCausalLM", "LMHeadModel")):
            return "causal-lm"
    if getattr(config, "architectures", None):
        return "encoder"  # e.g. BertModel, or a classifier: use its encoder
    # No architectures recorded: ask transformers which heads exist for this type.
    from transformers import MODEL_FOR_CAUSAL_LM_MAPPING, MODEL_FOR_MASKED_LM_MAPPING

    if type(config) in MODEL_FOR_CAUSAL_LM_MAPPING:
        return "causal-lm"
    if type(config) in MODEL_FOR_MASKED_LM_MAPPING:
        return "masked-lm"
    return "encoder"


def _auto_class(kind: str):
    import transformers

    return {
        "masked-lm": transformers.AutoModelForMaskedLM,
        "causal-lm": transformers.AutoModelForCausalLM,
        "encoder-decoder": transformers.AutoModelForSeq2SeqLM,
        "encoder": transformers.AutoModel,
    }[kind]


def _max_length(config, hf_tokenizer) -> int:
    for key in ("max_position_embeddings", "n_positions", "max_seq_len"):
        value = getattr(config, key, None)
        if isinstance(value, int) and value > 0:
            return value
    # Relative-position models (T5) have no hard limit; use the tokenizer's.
    stated = getattr(hf_tokenizer, "model_max_length", None)
    return stated if isinstance(stated, int) and 0 < stated < 1_000_000 else 512


def where_to_load(spec: str) -> tuple[str, bool]:
    """(what to pass to from_pretrained, local_files_only) for ``hf:<spec>``; checks offline."""
    target = spec.strip()
    if not target:
        raise HubError("Write the model after 'hf:', for example hf:gpt2 or hf:./my-model-folder.")
    path = Path(target).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise HubError(f"{target} is a folder but has no config.json: it is not a Hugging Face model folder.")
        return str(path), True
    if path.exists():
        raise HubError(f"{target} is a file; hf: needs a model folder (with config.json) or a hub id.")
    if target.startswith((".", "/", "~")) or "\\" in target or not _HUB_ID.match(target):
        raise HubError(f"No model folder at {target!r}, and it is not a hub id like 'gpt2' or 'org/name'.")
    if offline_requested():
        reachable, why = False, "HF_HUB_OFFLINE is set"
    else:
        reachable, why = hub_reachable(timeout=HUB_TIMEOUT_S)
    if reachable:
        return target, False
    if not _in_hf_cache(target):
        # Decided without importing transformers, so the answer comes in seconds.
        raise OfflineError(
            f"Cannot load hf:{target}: {why}, and it is not in the local Hugging Face cache. "
            f"Models that work offline: {OFFLINE_MODELS}."
        )
    return target, True


def _in_hf_cache(hub_id: str) -> bool:
    """Has this hub id been downloaded before (so it can load offline)?"""
    from huggingface_hub import constants

    folder = Path(constants.HF_HUB_CACHE) / ("models--" + hub_id.replace("/", "--"))
    return (folder / "snapshots").is_dir()


def _quietly(load, *args, **kwargs):
    """Call a transformers loader without its per-tensor progress bar (noise in a notebook)."""
    from transformers.utils import logging

    was_disabled = logging.is_progress_bar_enabled() is False
    logging.disable_progress_bar()
    try:
        return load(*args, **kwargs)
    finally:
        if not was_disabled:
            logging.enable_progress_bar()


def load_hf_model(
    spec: str, device: torch.device, dtype: torch.dtype, name: str | None = None
) -> LanguageModel:
    """Load ``hf:<spec>`` (the part after ``hf:``) on ``device`` in ``dtype``."""
    import transformers

    target, local_only = where_to_load(spec)
    try:
        config = transformers.AutoConfig.from_pretrained(target, local_files_only=local_only)
    except OSError as error:
        if local_only and not Path(target).expanduser().is_dir():
            raise OfflineError(
                f"Cannot load hf:{target}: the hub is not reachable and the cached copy is incomplete "
                f"({error}). Models that work offline: {OFFLINE_MODELS}."
            ) from error
        raise HubError(f"Cannot load hf:{target}: {error}") from error
    kind = _kind_of(config)
    hf_tokenizer = transformers.AutoTokenizer.from_pretrained(target, local_files_only=local_only)
    backend = getattr(hf_tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise HubError(f"hf:{target} has only a slow (Python) tokenizer; lecturekit needs a fast one (tokenizer.json).")
    try:
        # safetensors only: a pickled pytorch_model.bin can run code when loaded.
        module = _quietly(_auto_class(kind).from_pretrained, target, local_files_only=local_only,
                          use_safetensors=True)
    except OSError as error:
        raise HubError(
            f"Cannot load hf:{target}: lecturekit only loads safetensors weights (never pickled .bin "
            f"files, which can run code), and none were found ({error})."
        ) from error
    specials = find_special_tokens(
        backend,
        mask=hf_tokenizer.mask_token,
        pad=hf_tokenizer.pad_token,
        bos=hf_tokenizer.bos_token,
        eos=hf_tokenizer.eos_token,
        unk=hf_tokenizer.unk_token,
    )
    return build_model(
        module,
        backend,
        name=name or f"hf:{spec.strip()}",
        kind=kind,
        max_length=_max_length(config, hf_tokenizer),
        device=device,
        dtype=dtype,
        specials=specials,
        decoder_start_id=getattr(config, "decoder_start_token_id", None),
        uses_cache=kind == "causal-lm",
    )
