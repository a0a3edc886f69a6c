"""One place that turns (module, tokenizer, kind) into the right ``LanguageModel``.

The loaders (``lecture``, ``huggingface``) and the trainer's probe scorer find out
a model's kind; this picks the class that answers for it.
"""

from __future__ import annotations

import torch
from tokenizers import Tokenizer

from .causal_lm import CausalLM
from .encoder import Encoder
from .encoder_decoder import EncoderDecoder
from .kinds import KINDS
from .masked_lm import MaskedLM
from .model import LanguageModel

MODEL_CLASSES: dict[str, type[LanguageModel]] = {
    cls.kind: cls for cls in (MaskedLM, CausalLM, EncoderDecoder, Encoder)
}


def build_model(
    module: torch.nn.Module,
    tokenizer: Tokenizer,
    *,
    kind: str,
    decoder_start_id: int | None = None,
    uses_cache: bool = False,
    **settings,
) -> LanguageModel:
    """The ``LanguageModel`` for ``kind`` around ``module`` and ``tokenizer``.

    ``settings``: name, max_length, device, dtype, and optionally specials (see
    ``LanguageModel``). ``decoder_start_id`` matters to an encoder-decoder only,
    ``uses_cache`` to a causal LM only; other kinds ignore them.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}.")
    if kind == "encoder-decoder":
        settings["decoder_start_id"] = decoder_start_id
    if kind == "causal-lm":
        settings["uses_cache"] = uses_cache
    return MODEL_CLASSES[kind](module, tokenizer, **settings)
