'''Checks for the exercises of notebook 05 (fine-tuning and parameter-efficient fine-tuning).

Every check recomputes its answer with the library (``LoRALinear``, ``build_network`` on
lecture-bert, ``heads.pool``) and judges only the learner's answer: nothing else passed in is
read. The functions the learner writes are tried on random tensors the check makes itself.

The questions and worked solutions, for the notebook (answer cell, then its hidden solution):

**lora_parameters.** lecture-bert computes a block's queries, keys and values with one fused
linear layer ``qkv`` from 128 numbers to 384 (3 × 128). LoRA of rank r = 8 on that layer: how
many numbers train? (The frozen W and its bias do not count.)

    answer = ...
    check("lora_parameters", answer)

    # Solution: A is r × d_in and B is d_out × r, so LoRA trains r·(d_in + d_out) numbers
    # (instead of the d_in·d_out = 49,152 of W itself).
    d_in, d_out, r = 128, 384, 8
    answer = r * d_in + d_out * r
    check("lora_parameters", answer)

**merged_lora_weight.** After training, LoRA's update can be folded into the frozen weight, so
the model runs at no extra cost. Write ``merge(W, A, B, alpha, r)`` returning the merged weight;
W is laid out like ``nn.Linear.weight`` (d_out × d_in), A is r × d_in, B is d_out × r.

    def merge(W, A, B, alpha, r):
        ...

    check("merged_lora_weight", merge)

    # Solution: W' = W + (alpha / r) · B A; B @ A is d_out × d_in, the shape of W.
    def merge(W, A, B, alpha, r):
        return W + (alpha / r) * (B @ A)

    check("merged_lora_weight", merge)

**prefix_tuning_parameters.** Prompt tuning with n = 8 virtual tokens on lecture-bert
(width d = 128, L = 4 blocks) trains n·d = 1,024 numbers besides the head. How many does
prefix tuning with the same n = 8 train besides the head?

    answer = ...
    check("prefix_tuning_parameters", answer)

    # Solution: at every block, each virtual token has a trained key and a trained value of
    # width d: 2·n·d per block, 2·n·d·L in all (2·L = 8 times prompt tuning's n·d).
    n, d, L = 8, 128, 4
    answer = 2 * n * d * L
    check("prefix_tuning_parameters", answer)

**last_token_pooling.** A decoder classifier reads one vector per text. Write
``pool_last(hidden, attention_mask)``: ``hidden`` is (batch, positions, width), the mask is
(batch, positions) with 1 for real tokens and 0 for padding, texts padded on the right;
return the (batch, width) vectors the classifier should read.

    def pool_last(hidden, attention_mask):
        ...

    check("last_token_pooling", pool_last)

    # Solution: in a decoder, token t has read tokens 0..t only, so only the last *real* token
    # has read the whole text. With right padding it sits at (number of real tokens) - 1;
    # hidden[:, -1] would read padding for every text shorter than the batch.
    import torch

    def pool_last(hidden, attention_mask):
        last = attention_mask.sum(dim=1) - 1
        return hidden[torch.arange(hidden.shape[0]), last]

    check("last_token_pooling", pool_last)
'''

from __future__ import annotations

from functools import lru_cache

from .base import call_answer, whole_number

# lora_parameters: lecture-bert's fused query-key-value layer, and the rank asked about.
LORA_IN, LORA_OUT, LORA_RANK = 128, 384, 8
# prefix_tuning_parameters: the virtual tokens asked about, on lecture-bert.
VIRTUAL_TOKENS = 8
PREFIX_MODEL = "lecture-bert"


def _whole_or_hint(answer):
    value = whole_number(answer)
    return value, "answer with a whole number (a count of trained numbers)"


def _lora_parameters(answer):
    from torch import nn

    from ..finetune import LoRALinear

    value, hint = _whole_or_hint(answer)
    if value is None:
        return False, hint
    layer = LoRALinear(nn.Linear(LORA_IN, LORA_OUT), r=LORA_RANK, alpha=16.0)
    expected = sum(p.numel() for p in layer.parameters() if p.requires_grad)
    if value == LORA_IN * LORA_OUT:
        return False, "that is the size of the frozen W; LoRA trains only A and B"
    return value == expected, "A is r × d_in and B is d_out × r: count the numbers in both"


def _merged_lora_weight(answer):
    import torch
    from torch import nn

    from ..finetune import LoRALinear

    if not callable(answer):
        return False, "answer with the function itself: check('merged_lora_weight', merge)"
    generator = torch.Generator().manual_seed(5)
    # Non-square, with alpha / r not 1, so that swapped factors or a missing scale show.
    for d_in, d_out, r, alpha in ((6, 5, 2, 3.0), (7, 4, 3, 12.0)):
        layer = LoRALinear(nn.Linear(d_in, d_out, dtype=torch.float64), r=r, alpha=alpha)
        with torch.no_grad():  # B starts at zero; a random B makes the update visible
            for weight in (layer.base.weight, layer.lora_A.weight, layer.lora_B.weight):
                weight.copy_(torch.randn(weight.shape, generator=generator, dtype=torch.float64))
        W, A, B = (w.detach().clone() for w in (layer.base.weight, layer.lora_A.weight, layer.lora_B.weight))
        try:
            got = torch.as_tensor(call_answer(answer, W, A, B, alpha, r), dtype=torch.float64)
        except (RuntimeError, TypeError, ValueError) as error:
            return False, (f"with W {d_out}×{d_in}, A {r}×{d_in}, B {d_out}×{r} your function raised "
                           f"{type(error).__name__}: {error}; which product of A and B has W's shape?")
        layer.merge()
        expected = layer.base.weight.detach()
        if tuple(got.shape) != tuple(expected.shape):
            return False, (f"with W {d_out}×{d_in} your function returns shape {tuple(got.shape)}; "
                           "the merged weight has the shape of W")
        if not torch.allclose(got, expected, rtol=1e-9, atol=1e-9):
            return False, (f"with W {d_out}×{d_in}, r = {r} and alpha = {alpha:g} your weight differs from "
                           "LoRALinear.merge(): the update is B A scaled by alpha / r, added to W")
    return True, ""


@lru_cache(maxsize=1)
def _trained_besides_the_head() -> dict[str, int]:
    """What prompt and prefix tuning train on lecture-bert besides the head, counted in the built classifier."""
    from ..finetune import build_network
    from ..hub import load_model

    model, counts = load_model(PREFIX_MODEL, device="cpu"), {}
    for method in ("prompt_tuning", "prefix_tuning"):
        classifier, _ = build_network(model, method, 2, device="cpu", n_virtual_tokens=VIRTUAL_TOKENS)
        head = sum(p.numel() for p in classifier.head.parameters())
        counts[method] = sum(p.numel() for p in classifier.parameters() if p.requires_grad) - head
    return counts


def _prefix_tuning_parameters(answer):
    value, hint = _whole_or_hint(answer)
    if value is None:
        return False, hint
    counts = _trained_besides_the_head()
    expected = counts["prefix_tuning"]
    if value == counts["prompt_tuning"]:
        return False, "that is prompt tuning's count: prefix tuning adds vectors at more than the input"
    if value * 2 == expected:
        return False, "each virtual token gets a trained key and a trained value: two vectors, not one"
    return value == expected, "count what trains at one block's attention, then at every block"


def _last_token_pooling(answer):
    import torch

    from ..finetune import pool

    if not callable(answer):
        return False, "answer with the function itself: check('last_token_pooling', pool_last)"
    generator = torch.Generator().manual_seed(7)
    # Texts of different lengths (one fills the batch, one is a single token), padded on the right.
    for lengths, positions in (((6, 2, 4, 1), 6), ((3, 5), 7)):
        hidden = torch.randn(len(lengths), positions, 4, generator=generator, dtype=torch.float64)
        mask = torch.tensor([[1] * n + [0] * (positions - n) for n in lengths])
        try:
            got = torch.as_tensor(call_answer(answer, hidden.clone(), mask.clone()), dtype=torch.float64)
        except (RuntimeError, TypeError, ValueError, IndexError) as error:
            return False, f"on a padded batch your function raised {type(error).__name__}: {error}"
        expected = pool(hidden, mask, "last")
        if tuple(got.shape) != tuple(expected.shape):
            return False, f"for hidden of shape {tuple(hidden.shape)} return one vector per text, {tuple(expected.shape)}"
        if not torch.allclose(got, expected):
            return False, (f"on texts of {', '.join(map(str, lengths))} real tokens padded to {positions} your "
                           "vectors differ: which position has read the whole text, and is it padding?")
    return True, ""


CHECKS = {
    "lora_parameters": _lora_parameters,
    "merged_lora_weight": _merged_lora_weight,
    "prefix_tuning_parameters": _prefix_tuning_parameters,
    "last_token_pooling": _last_token_pooling,
}
