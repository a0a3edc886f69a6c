"""Small helpers shared by the objectives: input checks, randomness, display, padding."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import torch

Vocabulary = Sequence[str] | Mapping[int, str] | Callable[[int], str] | Any | None


def as_ids(ids: Any, name: str = "ids", allow_2d: bool = False) -> torch.Tensor:
    """A list or tensor of token ids as a long tensor, with clear errors for bad input."""
    if isinstance(ids, str):
        raise TypeError(
            f"{name} must be token ids, not text: encode the text with a tokenizer first."
        )
    try:
        tensor = torch.as_tensor(ids)
    except (TypeError, ValueError, RuntimeError) as error:
        raise TypeError(f"{name} must be a list or tensor of integer token ids ({error}).") from None
    if tensor.numel() and (tensor.is_floating_point() or tensor.is_complex() or tensor.dtype == torch.bool):
        raise TypeError(f"{name} must hold integer token ids, got dtype {tensor.dtype}.")
    tensor = tensor.long()
    if tensor.dim() == 0 or tensor.dim() > (2 if allow_2d else 1):
        shape = "a 1-D or 2-D" if allow_2d else "a 1-D"
        raise ValueError(f"{name} must be {shape} sequence of token ids, got shape {tuple(tensor.shape)}.")
    if tensor.numel() == 0:
        raise ValueError(f"{name} is empty: there is nothing to train on.")
    if bool((tensor < 0).any()):
        raise ValueError(f"{name} contains negative token ids ({int(tensor.min())}).")
    return tensor


def check_rate(name: str, value: float) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a fraction between 0 and 1, got {value!r}.")
    return float(value)


def check_token_id(name: str, value: int, vocab_size: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a token id (a non-negative integer), got {value!r}.")
    if vocab_size is not None and value >= vocab_size:
        raise ValueError(f"{name}={value} is outside the vocabulary of {vocab_size} tokens.")
    return value


def make_generator(generator: torch.Generator | int | None) -> torch.Generator | None:
    """An int seeds a fresh generator; None uses torch's global one (see seed_everything)."""
    if generator is None or isinstance(generator, torch.Generator):
        return generator
    if isinstance(generator, int) and not isinstance(generator, bool):
        if not 0 <= generator < 2**64:  # torch keeps seeds in 64 bits
            raise ValueError(f"a seed must be a whole number from 0 to {2**64 - 1:,}, got {generator}.")
        return torch.Generator().manual_seed(generator)
    raise TypeError(f"generator must be a torch.Generator, an int seed or None, got {generator!r}.")


def token_strings(ids: Iterable[int], vocabulary: Vocabulary = None) -> list[str]:
    """Token ids as display strings.

    ``vocabulary`` may be a list (id -> string by index), a dict, a function, a
    Hugging Face tokenizer (``convert_ids_to_tokens``), a ``tokenizers.Tokenizer``
    (``id_to_token``), or None to show the ids themselves. The objectives never
    need it: it only makes tables readable.
    """
    ids = [int(i) for i in ids]
    if vocabulary is None:
        return [str(i) for i in ids]
    if hasattr(vocabulary, "convert_ids_to_tokens"):
        return [str(t) for t in vocabulary.convert_ids_to_tokens(ids)]
    if hasattr(vocabulary, "id_to_token"):
        lookup = vocabulary.id_to_token
    elif callable(vocabulary):
        lookup = vocabulary
    elif isinstance(vocabulary, Mapping):
        lookup = lambda i: vocabulary.get(i, f"<{i}?>")  # noqa: E731
    else:
        lookup = lambda i: vocabulary[i] if 0 <= i < len(vocabulary) else f"<{i}?>"  # noqa: E731
    return [str(lookup(i)) if lookup(i) is not None else f"<{i}?>" for i in ids]


def pad_sequences(sequences: Sequence[Any], pad_value: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad sequences of different lengths into (batch, longest).

    Returns the padded tensor and the attention mask (1 = real token, 0 = padding).
    """
    if len(sequences) == 0:
        raise ValueError("Cannot make a batch from zero sequences.")
    rows = [torch.as_tensor(s, dtype=torch.long).reshape(-1) for s in sequences]
    longest = max(len(r) for r in rows)
    if longest == 0:
        raise ValueError("Every sequence in the batch is empty.")
    padded = torch.full((len(rows), longest), pad_value, dtype=torch.long)
    attention_mask = torch.zeros((len(rows), longest), dtype=torch.long)
    for i, row in enumerate(rows):
        padded[i, : len(row)] = row
        attention_mask[i, : len(row)] = 1
    return padded, attention_mask
