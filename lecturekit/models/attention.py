"""Attention, and the masks that decide who may look at whom.

The three architectures of the lecture share one attention function; only the mask
differs. A mask here is a boolean matrix with one row per query position and one
column per key position: True means "this query may attend to that key".

- ``bidirectional_mask``: an encoder (BERT) lets every token see every token.
- ``causal_mask``: a decoder (GPT) lets token t see tokens 0..t only, so predicting
  the next token is never a matter of copying it.
- ``prefix_lm_mask``: the first ``prefix_len`` tokens see each other fully (like an
  encoder); the rest see the prefix and their own past (like a decoder).
- ``cross_attention_mask``: in an encoder-decoder, every decoder position may read
  every encoder position.

``choose_mask`` is where the models pick theirs: it adds padding (no query may read
a padding token) to the structure above, for a whole batch.

The arithmetic itself is ``torch.nn.functional.scaled_dot_product_attention``,
which computes softmax(Q Kᵀ / √d_head + mask) V with fused, memory-saving kernels.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from lecturekit.models.config import TransformerConfig


def _check_length(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}.")


def bidirectional_mask(n: int) -> torch.Tensor:
    """(n, n) all True: every position attends to every position (encoder)."""
    _check_length("n", n)
    return torch.ones(n, n, dtype=torch.bool)


def causal_mask(n: int) -> torch.Tensor:
    """(n, n) lower triangle: position t attends to positions 0..t (decoder)."""
    _check_length("n", n)
    return torch.ones(n, n, dtype=torch.bool).tril()


def prefix_lm_mask(n: int, prefix_len: int) -> torch.Tensor:
    """(n, n): full attention inside the first ``prefix_len`` positions, causal after."""
    _check_length("n", n)
    _check_length("prefix_len", prefix_len)
    if prefix_len > n:
        raise ValueError(f"prefix_len={prefix_len} is longer than the sequence (n={n}).")
    mask = causal_mask(n)
    mask[:, :prefix_len] = True  # every position may read the whole prefix...
    mask[:prefix_len, prefix_len:] = False  # ...but the prefix never reads the continuation
    return mask


def cross_attention_mask(n_dec: int, n_enc: int) -> torch.Tensor:
    """(n_dec, n_enc) all True: each decoder position reads every encoder position."""
    _check_length("n_dec", n_dec)
    _check_length("n_enc", n_enc)
    return torch.ones(n_dec, n_enc, dtype=torch.bool)


def prefix_lm_masks(prefix_lengths: torch.Tensor, n: int) -> torch.Tensor:
    """A batch of prefix-LM masks, shape (batch, n, n), one prefix length per row."""
    positions = torch.arange(n, device=prefix_lengths.device)
    query, key = positions[:, None], positions[None, :]
    in_prefix = key[None] < prefix_lengths[:, None, None]
    query_in_prefix = query[None] < prefix_lengths[:, None, None]
    # causal outside the prefix, plus everyone may read the prefix
    return ((key <= query)[None] & ~query_in_prefix) | in_prefix


def has_padding(attention_mask: torch.Tensor | None) -> bool:
    """True if some position is padding (all-ones masks take the fast path)."""
    return attention_mask is not None and not bool(attention_mask.bool().all())


def combine_with_padding(
    mask: torch.Tensor | None, key_padding: torch.Tensor | None, n_query: int
) -> torch.Tensor | None:
    """Join a structural mask (n_q, n_k) or (batch, n_q, n_k) with a padding mask.

    ``key_padding`` is the usual (batch, n_k) attention_mask: 1 for real tokens,
    0 for padding, which no query may attend to. The result has shape
    (batch, 1, n_q, n_k), broadcast over heads; ``None`` means "no mask at all".
    """
    if key_padding is None:
        return None if mask is None else (mask if mask.dim() == 3 else mask[None])[:, None]
    keys = key_padding.bool()[:, None, None, :]  # (batch, 1, 1, n_k)
    if mask is None:
        full = keys.expand(-1, 1, n_query, -1)
    else:
        full = (mask if mask.dim() == 3 else mask[None])[:, None] & keys
    # A query row that may see nothing (a left-padding position in a causal model)
    # would give softmax over nothing = NaN. Let such a row see itself: its output
    # belongs to a padding position and is ignored anyway.
    empty_rows = ~full.any(dim=-1, keepdim=True)
    if bool(empty_rows.any()):
        n_key = full.shape[-1]
        diagonal = torch.eye(n_query, n_key, dtype=torch.bool, device=full.device)
        full = full | (empty_rows & diagonal)
    return full


def choose_mask(
    n_query: int,
    attention_mask: torch.Tensor | None = None,
    *,
    causal: bool = False,
    prefix_lengths: torch.Tensor | None = None,
) -> tuple[torch.Tensor | None, bool]:
    """The mask one attention layer uses, as ``(mask, is_causal)`` for ``MultiHeadAttention``.

    ``attention_mask`` (batch, n_k) is 1 for real tokens and 0 for padding.
    Bidirectional (BERT, T5's encoder, cross-attention) by default; ``causal=True``
    for a decoder; ``prefix_lengths`` (one per row, in place of ``causal``) for a
    prefix LM. Without padding or prefix no mask is built at all, because the fused
    kernels are fastest without one: ``(None, False)`` reads everything, and
    ``(None, True)`` asks for the kernel's built-in causal mask.
    """
    if prefix_lengths is not None:
        return combine_with_padding(prefix_lm_masks(prefix_lengths, n_query), attention_mask, n_query), False
    if not has_padding(attention_mask):
        return None, causal
    structure = causal_mask(n_query).to(attention_mask.device) if causal else None
    return combine_with_padding(structure, attention_mask, n_query), False


class MultiHeadAttention(nn.Module):
    """Multi-head attention: self-attention, or cross-attention to an encoder.

    Self-attention projects queries, keys and values with one fused matrix
    (``qkv``, like GPT-2's ``c_attn``): one big matrix multiply is faster than three
    small ones. Cross-attention takes queries from the decoder and keys/values from
    the encoder, so it keeps two projections.
    """

    def __init__(self, config: TransformerConfig, cross: bool = False):
        super().__init__()
        self.n_heads = config.n_heads
        self.head_dim = config.head_dim
        self.cross = cross
        d = config.d_model
        if cross:
            self.query = nn.Linear(d, d)
            self.key_value = nn.Linear(d, 2 * d)
        else:
            self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.attention_dropout = config.attention_dropout
        # Prefix tuning hooks in here (lecturekit.finetune.prefix): a module that
        # prepends trained keys and values, and widens the mask to match.
        self.prefix = None

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, n, d_model) -> (batch, heads, n, head_dim)."""
        batch, n, _ = x.shape
        return x.view(batch, n, self.n_heads, self.head_dim).transpose(1, 2)

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None = None,
        is_causal: bool = False,
        memory: torch.Tensor | None = None,
        return_weights: bool = False,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attend from ``x`` (and to ``memory`` for cross-attention).

        ``mask`` is boolean, broadcastable to (batch, heads, n_q, n_k), or None;
        ``is_causal=True`` (without a mask) is the fast path equal to ``causal_mask``.
        Returns the output and, if ``return_weights``, the attention probabilities.
        """
        if is_causal and mask is not None:
            raise ValueError("Give either a mask or is_causal=True, not both (fold causality into the mask).")
        if self.cross:
            q = self.query(x)
            k, v = self.key_value(memory).chunk(2, dim=-1)
        else:
            q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = self._heads(q), self._heads(k), self._heads(v)
        if self.prefix is not None:
            k, v, mask, is_causal = self.prefix(k, v, mask, is_causal)
        dropout = self.attention_dropout if self.training else 0.0

        if return_weights:
            # The same computation written out, so the probabilities can be shown.
            scores = q @ k.transpose(-2, -1) / self.head_dim**0.5
            if is_causal:
                mask = causal_mask(q.shape[-2]).to(q.device)
            if mask is not None:
                scores = scores.masked_fill(~mask, float("-inf"))
            weights = scores.softmax(dim=-1)
            context = F.dropout(weights, dropout, self.training) @ v
        else:
            weights = None
            context = F.scaled_dot_product_attention(
                q, k, v, attn_mask=mask, dropout_p=dropout, is_causal=is_causal
            )
        batch, _, n, _ = context.shape
        context = context.transpose(1, 2).reshape(batch, n, self.n_heads * self.head_dim)
        return self.out(context), weights
