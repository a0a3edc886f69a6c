"""The ways to fine-tune, from "change everything" to "change almost nothing".

Fine-tuning starts from the pretrained parameters θ̂ and takes gradient steps on
the task's loss. The methods differ in *which* numbers those steps may change;
everything else stays frozen at θ̂, so it needs no gradient and no optimizer
state (the memory saving), and keeps what pretraining taught (the generality):

- ``full``: every parameter trains (BERT's recipe);
- ``linear_probe``: only the new classifier on top trains: how much does θ̂ already know?
- ``top_layers``: the last ``n_layers`` blocks and the classifier;
- ``prompt_tuning``: ``n_virtual_tokens`` trained input vectors before the text (``prompt.py``);
- ``prefix_tuning``: trained keys and values before the text at every layer (``prefix.py``);
- ``lora``: a low-rank update B A beside chosen weight matrices (``lora.py``).

The classifier on top always trains. ``prepare`` freezes and wraps a copy of the
model's network for one method and returns the method's ``Adaptation``.
"""

from __future__ import annotations

from torch import nn

from ..hub.errors import NotSupportedError
from .backbone import Adaptation, blocks, family, reading_parameters, reading_root
from .lora import apply_lora, linear_layer_names
from .prefix import add_prefix_tuning
from .prompt import add_prompt_tuning, check_virtual_tokens

METHODS = ("full", "linear_probe", "top_layers", "prompt_tuning", "prefix_tuning", "lora")

# Each method's settings and their defaults (what ``train_classifier`` accepts as **method_options).
OPTIONS = {
    "full": {},
    "linear_probe": {},
    "top_layers": {"n_layers": 1},
    "prompt_tuning": {"n_virtual_tokens": 8},
    "prefix_tuning": {"n_virtual_tokens": 8},
    "lora": {"r": 8, "alpha": 16.0, "dropout": 0.0, "targets": None},
}

# A peak learning rate that works for each method on the lecture models (width 128):
# the fewer numbers train, the larger the step each may take.
LEARNING_RATES = {
    "full": 3e-4, "linear_probe": 1e-2, "top_layers": 1e-3,
    "prompt_tuning": 1e-2, "prefix_tuning": 1e-2, "lora": 3e-3,
}
REFERENCE_WIDTH = 128


def default_learning_rate(method: str, width: int) -> float:
    """``LEARNING_RATES[method]``, smaller for wider models.

    Adam moves every weight by about the learning rate, whatever its gradient, so
    the classifier's output moves in proportion to the width of the vector it
    reads: SmolLM2's 576 dimensions take steps 128/576 as large.
    """
    return LEARNING_RATES[method] * min(1.0, REFERENCE_WIDTH / width)


# LoRA's layers when none are named: the attention's query and value projections
# (Hu et al.), or the fused query-key-value matrix where there is one.
DEFAULT_LORA_TARGETS = {
    "lecture": ("qkv",),
    "bert": ("query", "value"), "roberta": ("query", "value"), "distilbert": ("q_lin", "v_lin"),
    "gpt2": ("c_attn",), "llama": ("q_proj", "v_proj"), "qwen2": ("q_proj", "v_proj"),
    "mistral": ("q_proj", "v_proj"), "t5": ("q", "v"), "bart": ("q_proj", "v_proj"),
}
_PROMPT_KINDS = ("masked-lm", "causal-lm", "encoder")


def applies(method: str, kind: str, model_family: str) -> str | None:
    """Why ``method`` cannot fine-tune a model of this kind and family; None when it can."""
    if method in ("prompt_tuning", "prefix_tuning") and kind not in _PROMPT_KINDS:
        return (f"{method} puts virtual tokens in front of the text the model reads; it is implemented for "
                f"encoders and decoders, not for {kind} models. Use lora, top_layers, linear_probe or full.")
    if method in ("prompt_tuning", "prefix_tuning", "top_layers") and model_family == "other":
        return f"{method} needs a lecture model or a Hugging Face model; use lora, linear_probe or full."
    return None


def check_options(method: str, options: dict) -> dict:
    """The method's settings, defaults filled in; an unknown setting is an error."""
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
    unknown = sorted(set(options) - set(OPTIONS[method]))
    if unknown:
        allowed = ", ".join(OPTIONS[method]) or "none"
        raise TypeError(f"method={method!r} takes no setting {', '.join(unknown)} (its settings: {allowed}).")
    return {**OPTIONS[method], **options}


def default_lora_targets(module: nn.Module) -> tuple[str, ...]:
    if family(module) == "lecture":
        return DEFAULT_LORA_TARGETS["lecture"]
    model_type = getattr(getattr(module, "config", None), "model_type", None)
    if model_type in DEFAULT_LORA_TARGETS:
        return DEFAULT_LORA_TARGETS[model_type]
    names = sorted({n.rsplit(".", 1)[-1] for n in linear_layer_names(module)})
    raise ValueError(f"No default LoRA layers for this model; name them with targets=[...] from: {', '.join(names)}.")


def prepare(module: nn.Module, method: str, kind: str, *, max_length: int, seed: int = 0,
            name: str = "this model", **options) -> tuple[Adaptation, dict]:
    """Freeze/wrap ``module`` (in place) for ``method``; returns (adaptation, settings)."""
    settings = check_options(method, options)
    reason = applies(method, kind, family(module))
    if reason is not None:
        raise NotSupportedError(f"{name}: {reason}")
    adaptation = Adaptation()
    for parameter in module.parameters():
        parameter.requires_grad_(False)
    if method == "full":  # everything the hidden states depend on (an unused LM head stays frozen)
        for parameter in reading_parameters(module, kind):
            parameter.requires_grad_(True)
    elif method == "top_layers":
        stack = blocks(module, kind)
        n = settings["n_layers"]
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= len(stack):
            raise ValueError(f"n_layers must be between 1 and {len(stack)} (the blocks of {name}), got {n!r}.")
        for block in stack[len(stack) - n:]:
            for parameter in block.parameters():
                parameter.requires_grad_(True)
    elif method == "prompt_tuning":
        n = check_virtual_tokens(settings["n_virtual_tokens"], max_length, method)
        adaptation = add_prompt_tuning(module, n, seed)
    elif method == "prefix_tuning":
        n = check_virtual_tokens(settings["n_virtual_tokens"], max_length, method)
        adaptation = add_prefix_tuning(module, kind, n, seed)
    elif method == "lora":
        targets = settings["targets"] or default_lora_targets(module)
        settings["targets"] = tuple([targets] if isinstance(targets, str) else targets)
        root = reading_root(module, kind)
        apply_lora(root, settings["targets"], settings["r"], settings["alpha"], settings["dropout"])
    # linear_probe: the network stays frozen; only the classifier on top will train.
    return adaptation, settings
