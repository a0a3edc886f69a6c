"""The four kinds of model, and which methods each one can answer.

The lecture's three architectures are pretrained differently, so they can answer
different questions: a masked LM fills blanks it can see both sides of; a causal
LM continues text; an encoder-decoder writes an output for an input (T5 writes the
missing spans). An encoder with no language-model head (like all-MiniLM-L6-v2)
gives vectors only.
"""

from __future__ import annotations

from .errors import NotSupportedError

KINDS = ("masked-lm", "causal-lm", "encoder-decoder", "encoder")

DESCRIPTION = {
    "masked-lm": "a masked LM (it reads the whole text and fills [MASK] tokens)",
    "causal-lm": "a causal LM (it reads left to right and predicts the next token)",
    "encoder-decoder": "an encoder-decoder (its decoder writes text for the encoder's input)",
    "encoder": "an encoder without a language-model head (it gives vectors, not token predictions)",
}

METHODS = {
    "masked-lm": ("tokenize", "fill_mask", "hidden_states", "score", "score_candidates"),
    "causal-lm": ("tokenize", "next_token", "generate", "hidden_states", "score", "score_candidates"),
    "encoder-decoder": (
        "tokenize", "next_token", "generate", "hidden_states", "score", "score_candidates",
    ),
    "encoder": ("tokenize", "hidden_states"),
}

# Where to go instead, for each method.
SUGGESTION = {
    "fill_mask": "lecture-bert or a masked LM such as hf:bert-base-uncased",
    "next_token": "smollm2-135m, lecture-gpt or lecture-t5",
    "generate": "smollm2-135m, lecture-gpt or lecture-t5",
    "score": "smollm2-135m, lecture-gpt or lecture-bert",
    "score_candidates": "lecture-bert, lecture-gpt or smollm2-135m",
}


def not_supported_message(method: str, name: str, kind: str) -> str | None:
    """Why a model of ``kind`` cannot answer ``method`` and what to use instead; None when it can.

    The model methods raise it (``require``); the widgets show it in place of a result.
    """
    if method in METHODS[kind]:
        return None
    available = ", ".join(METHODS[kind])
    return (
        f"{name} is {DESCRIPTION[kind]}: it has no {method}. On {name} use {available}; "
        f"for {method}, load {SUGGESTION[method]}."
    )


def require(method: str, name: str, kind: str) -> None:
    """Raise a clear NotSupportedError when ``method`` does not apply to ``kind``."""
    message = not_supported_message(method, name, kind)
    if message is not None:
        raise NotSupportedError(message)
