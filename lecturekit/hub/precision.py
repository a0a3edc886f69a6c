"""Where a model runs and in which number format, and what to say when it does not fit.

On a CPU every model runs in float32: CPUs gain little from 16-bit numbers and
float32 keeps stored notebook outputs reproducible. On a GPU, 16-bit halves the
memory and doubles the speed; bfloat16 keeps float32's range (no overflow in
attention scores), so it is preferred where the GPU supports it, else float16.
"""

from __future__ import annotations

from contextlib import contextmanager

import torch

from ..runtime import device as best_device
from .errors import OutOfMemoryError

_DTYPES = {
    "float32": torch.float32,
    "fp32": torch.float32,
    "bfloat16": torch.bfloat16,
    "bf16": torch.bfloat16,
    "float16": torch.float16,
    "fp16": torch.float16,
}


def resolve_device(wanted: str | torch.device | None) -> torch.device:
    """``None`` means the best device here (``lecturekit.device()``)."""
    if wanted is None:
        return best_device()
    try:
        chosen = torch.device(wanted)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"{wanted!r} is not a device; use 'cpu', 'cuda', 'cuda:1' or 'mps'.") from error
    if chosen.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={wanted!r}, but this torch build sees no CUDA GPU; use device='cpu'.")
    if chosen.type == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ValueError(f"device={wanted!r}, but Apple MPS is not available here; use device='cpu'.")
    return chosen


def default_dtype(device: torch.device, bf16_supported: bool | None = None) -> torch.dtype:
    """float32 on the CPU; bfloat16 on a GPU that supports it, otherwise float16."""
    if device.type == "cpu":
        return torch.float32
    if device.type == "cuda":
        if bf16_supported is None:
            bf16_supported = torch.cuda.is_bf16_supported()
        return torch.bfloat16 if bf16_supported else torch.float16
    return torch.float16  # Apple MPS and other accelerators


def resolve_dtype(wanted: str | torch.dtype | None, device: torch.device) -> torch.dtype:
    if wanted is None:
        return default_dtype(device)
    if isinstance(wanted, torch.dtype):
        return wanted
    key = str(wanted).lower().removeprefix("torch.")
    if key not in _DTYPES:
        raise ValueError(f"dtype {wanted!r} is not one of {', '.join(_DTYPES)}.")
    return _DTYPES[key]


def size_in_gb(num_parameters: int, dtype: torch.dtype) -> float:
    """Memory the weights alone take (activations and caches come on top)."""
    bytes_per_number = torch.tensor([], dtype=dtype).element_size()
    return num_parameters * bytes_per_number / 1e9


@contextmanager
def explain_out_of_memory(name: str, num_parameters: int, dtype: torch.dtype, device: torch.device):
    """Turn an accelerator out-of-memory error into a message a learner can act on."""
    try:
        yield
    except torch.OutOfMemoryError as error:
        if device.type == "cuda":
            torch.cuda.empty_cache()
        raise OutOfMemoryError(
            f"{name} ran out of memory on {device}. The model has "
            f"{num_parameters / 1e6:,.1f}M parameters, {size_in_gb(num_parameters, dtype):.2f} GB "
            f"in {str(dtype).removeprefix('torch.')}, before activations. Try shorter or fewer "
            "texts, a smaller model, or load it with device='cpu'."
        ) from error
