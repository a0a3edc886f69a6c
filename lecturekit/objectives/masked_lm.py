"""BERT's masked language modelling, and whole-word masking.

Choose some tokens (15% by default) and ask the model to reconstruct them. Of the
chosen tokens, 80% are replaced by [MASK], 10% by a random token and 10% are left
unchanged; the loss is computed on all chosen tokens and only there. Why not
always [MASK]? At test time there is no [MASK] in the input, so the model must
keep building good vectors for every token, including ones that look normal.

Whole-word masking chooses whole words: masking "##ing" alone is too easy when
"play" next to it is visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import torch

from lecturekit.models import IGNORE_INDEX
from lecturekit.objectives._common import (
    Vocabulary,
    as_ids,
    check_rate,
    check_token_id,
    make_generator,
    pad_sequences,
    token_strings,
)

# How each position was corrupted; stored as small integers in a tensor.
NOT_CHOSEN, REPLACED_BY_MASK, REPLACED_BY_RANDOM, KEPT = 0, 1, 2, 3
CORRUPTION_NAMES = {NOT_CHOSEN: "", REPLACED_BY_MASK: "mask", REPLACED_BY_RANDOM: "random", KEPT: "keep"}


@dataclass
class MaskedExample:
    """The result of masking: what the model reads, what it must predict, and why.

    ``labels`` holds the original id at chosen positions and -100 elsewhere, so the
    loss sees only chosen positions. ``corruption`` says per position what
    happened (see ``CORRUPTION_NAMES``). Tensors are 1-D for one sequence or 2-D for
    a batch. ``spans`` (span masking only) lists the (start, end) token ranges.
    """

    original_ids: torch.Tensor
    input_ids: torch.Tensor
    labels: torch.Tensor
    corruption: torch.Tensor
    spans: list[tuple[int, int]] = field(default_factory=list)
    sampled_span_lengths: list[int] = field(default_factory=list)

    @property
    def chosen(self) -> torch.Tensor:
        """True where the model must reconstruct the token (these carry the loss)."""
        return self.corruption != NOT_CHOSEN

    def counts(self) -> dict[str, int]:
        """How many positions were chosen and how each was corrupted."""
        result = {"tokens": self.corruption.numel(), "chosen": int(self.chosen.sum())}
        for code in (REPLACED_BY_MASK, REPLACED_BY_RANDOM, KEPT):
            result[CORRUPTION_NAMES[code]] = int((self.corruption == code).sum())
        return result

    def table(self, vocabulary: Vocabulary = None, row: int | None = None):
        """One row per position: original token, what the model sees, its target."""
        import pandas as pd

        original, seen, corruption = self.original_ids, self.input_ids, self.corruption
        if original.dim() == 2:
            if row is None:
                raise ValueError("This is a batch: pass row=i to show sequence i.")
            original, seen, corruption = original[row], seen[row], corruption[row]
        codes = corruption.tolist()
        originals = token_strings(original.tolist(), vocabulary)
        return pd.DataFrame({
            "position": range(len(codes)),
            "original": originals,
            "model sees": token_strings(seen.tolist(), vocabulary),
            "corruption": [CORRUPTION_NAMES[c] for c in codes],
            "target": [originals[i] if c else "" for i, c in enumerate(codes)],
            "carries loss": [bool(c) for c in codes],
        })


def _random_candidates(vocab_size: int, excluded: Sequence[int]) -> torch.Tensor:
    """Token ids a "random token" may be: any id except special tokens and [MASK]."""
    allowed = torch.ones(vocab_size, dtype=torch.bool)
    allowed[[i for i in excluded if 0 <= i < vocab_size]] = False
    candidates = allowed.nonzero().squeeze(1)
    if candidates.numel() == 0:
        raise ValueError("Every id in the vocabulary is special: there is no random token to use.")
    return candidates


def _check_split(replace_with_mask: float, replace_with_random: float) -> None:
    check_rate("replace_with_mask", replace_with_mask)
    check_rate("replace_with_random", replace_with_random)
    if replace_with_mask + replace_with_random > 1.0 + 1e-9:
        raise ValueError(
            f"replace_with_mask + replace_with_random = {replace_with_mask + replace_with_random:g} "
            "is more than 1; the rest (1 - both) is the share kept unchanged."
        )


def corrupt_chosen(
    ids: torch.Tensor,
    chosen: torch.Tensor,
    *,
    mask_token_id: int,
    vocab_size: int,
    special_ids: Sequence[int] = (),
    replace_with_mask: float = 0.8,
    replace_with_random: float = 0.1,
    generator: torch.Generator | None = None,
    groups: torch.Tensor | None = None,
) -> MaskedExample:
    """Apply the 80/10/10 rule to the positions in ``chosen`` (a boolean tensor).

    Each chosen position draws independently, unless ``groups`` gives a group
    number per position (-1 = none): then a whole group (a SpanBERT span) shares
    one draw, as in the SpanBERT paper.
    """
    _check_split(replace_with_mask, replace_with_random)
    draw = torch.rand(ids.shape, generator=generator)
    if groups is not None and bool((groups >= 0).any()):  # no groups at all: nothing to share
        group_draws = torch.rand(int(groups.max()) + 1, generator=generator)
        draw = torch.where(groups >= 0, group_draws[groups.clamp(min=0)], draw)
    corruption = torch.full(ids.shape, NOT_CHOSEN, dtype=torch.int8)
    use_mask = chosen & (draw < replace_with_mask)
    use_random = chosen & (draw >= replace_with_mask) & (draw < replace_with_mask + replace_with_random)
    corruption[use_mask] = REPLACED_BY_MASK
    corruption[use_random] = REPLACED_BY_RANDOM
    corruption[chosen & ~use_mask & ~use_random] = KEPT

    input_ids = ids.clone()
    input_ids[use_mask] = mask_token_id
    if bool(use_random.any()):
        candidates = _random_candidates(vocab_size, [*special_ids, mask_token_id])
        picks = torch.randint(len(candidates), (int(use_random.sum()),), generator=generator)
        input_ids[use_random] = candidates[picks]
    labels = torch.where(chosen, ids, torch.full_like(ids, IGNORE_INDEX))
    return MaskedExample(original_ids=ids, input_ids=input_ids, labels=labels, corruption=corruption)


def _maskable(ids: torch.Tensor, special_ids: Sequence[int]) -> torch.Tensor:
    special = torch.as_tensor(list(special_ids), dtype=torch.long)
    return ~torch.isin(ids, special) if special.numel() else torch.ones_like(ids, dtype=torch.bool)


def _check_common(ids, mask_token_id, vocab_size, special_ids, mask_rate):
    if not isinstance(vocab_size, int) or vocab_size < 2:
        raise ValueError(f"vocab_size must be an integer of at least 2, got {vocab_size!r}.")
    check_token_id("mask_token_id", mask_token_id, vocab_size)
    for special in special_ids:
        check_token_id("a special id", special)
    check_rate("mask_rate", mask_rate)
    if int(ids.max()) >= vocab_size:
        raise ValueError(f"ids contain {int(ids.max())}, outside the vocabulary of {vocab_size} tokens.")


def mask_tokens(
    ids,
    *,
    mask_token_id: int,
    vocab_size: int,
    special_ids: Sequence[int] = (),
    mask_rate: float = 0.15,
    replace_with_mask: float = 0.8,
    replace_with_random: float = 0.1,
    generator: torch.Generator | int | None = None,
) -> MaskedExample:
    """BERT masking of one sequence (1-D) or a padded batch (2-D).

    Each token that is not special is chosen independently with probability
    ``mask_rate`` (as in Hugging Face's masked-LM data collator, so the share is
    15% on average, not exactly). Put [CLS], [SEP] and [PAD] in ``special_ids``:
    they are never chosen and never drawn as random replacements. A short
    sequence may, by chance, get no chosen token: it then carries no loss.
    """
    ids = as_ids(ids, allow_2d=True)
    _check_common(ids, mask_token_id, vocab_size, special_ids, mask_rate)
    _check_split(replace_with_mask, replace_with_random)
    generator = make_generator(generator)
    chosen = (torch.rand(ids.shape, generator=generator) < mask_rate) & _maskable(ids, special_ids)
    return corrupt_chosen(
        ids, chosen, mask_token_id=mask_token_id, vocab_size=vocab_size, special_ids=special_ids,
        replace_with_mask=replace_with_mask, replace_with_random=replace_with_random, generator=generator,
    )


def word_groups(word_ids: Sequence[int | None], length: int) -> list[list[int]]:
    """Token positions grouped by word: [[0], [1, 2], ...]; None marks non-word tokens."""
    if len(word_ids) != length:
        raise ValueError(f"word_ids has {len(word_ids)} entries but there are {length} tokens.")
    groups: list[list[int]] = []
    previous = object()
    for position, word in enumerate(word_ids):
        if word is None or (isinstance(word, int) and word < 0):
            previous = object()
            continue
        if word == previous:
            groups[-1].append(position)
        else:
            groups.append([position])
        previous = word
    return groups


def whole_word_mask(
    ids,
    word_ids: Sequence[int | None],
    *,
    mask_token_id: int,
    vocab_size: int,
    special_ids: Sequence[int] = (),
    mask_rate: float = 0.15,
    replace_with_mask: float = 0.8,
    replace_with_random: float = 0.1,
    generator: torch.Generator | int | None = None,
) -> MaskedExample:
    """Whole-word masking: choose whole words until ``mask_rate`` of the tokens is chosen.

    ``word_ids`` gives each token's word number (as Hugging Face fast tokenizers'
    ``word_ids()`` do); None (or -1) marks tokens outside words, like [CLS]. As in
    Google's BERT code, words are visited in random order and a word that would
    overshoot the budget round(mask_rate x maskable tokens) is skipped; each chosen
    token then gets the 80/10/10 treatment.
    """
    ids = as_ids(ids)
    _check_common(ids, mask_token_id, vocab_size, special_ids, mask_rate)
    generator = make_generator(generator)
    maskable = _maskable(ids, special_ids).tolist()
    words = [w for w in word_groups(word_ids, len(ids)) if all(maskable[p] for p in w)]
    budget = round(mask_rate * sum(len(w) for w in words))
    chosen = torch.zeros_like(ids, dtype=torch.bool)
    count = 0
    for index in torch.randperm(len(words), generator=generator).tolist():
        word = words[index]
        if count + len(word) > budget:
            continue
        chosen[word] = True
        count += len(word)
        if count == budget:
            break
    return corrupt_chosen(
        ids, chosen, mask_token_id=mask_token_id, vocab_size=vocab_size, special_ids=special_ids,
        replace_with_mask=replace_with_mask, replace_with_random=replace_with_random, generator=generator,
    )


def collate_masked_lm(
    sequences: Sequence,
    *,
    pad_id: int,
    mask_token_id: int,
    vocab_size: int,
    special_ids: Sequence[int] = (),
    token_type_ids: Sequence | None = None,
    mask_rate: float = 0.15,
    replace_with_mask: float = 0.8,
    replace_with_random: float = 0.1,
    generator: torch.Generator | int | None = None,
) -> dict[str, torch.Tensor]:
    """A training batch: pad, then mask afresh (a new masking every time, as RoBERTa does).

    Returns ``input_ids``, ``attention_mask``, ``labels`` (-100 off the chosen
    positions, padding included) and ``token_type_ids`` when given.
    """
    ids, attention_mask = pad_sequences(sequences, pad_id)
    masked = mask_tokens(
        ids, mask_token_id=mask_token_id, vocab_size=vocab_size,
        special_ids=[*special_ids, pad_id], mask_rate=mask_rate, replace_with_mask=replace_with_mask,
        replace_with_random=replace_with_random, generator=generator,
    )
    # The pad id counts as special, so padding is never chosen and carries no loss.
    batch = {"input_ids": masked.input_ids, "attention_mask": attention_mask, "labels": masked.labels}
    if token_type_ids is not None:
        batch["token_type_ids"], _ = pad_sequences(token_type_ids, 0)
    return batch


def collate_masked_examples(examples: Sequence[MaskedExample], *, pad_id: int) -> dict[str, torch.Tensor]:
    """Pad already-masked examples (whole-word or span masking) into a batch:
    ``input_ids``, ``attention_mask`` and ``labels`` (-100 on padding)."""
    for example in examples:
        if example.input_ids.dim() != 1:
            raise ValueError("collate_masked_examples takes single-sequence examples (1-D), not batches.")
    input_ids, attention_mask = pad_sequences([e.input_ids for e in examples], pad_id)
    labels, _ = pad_sequences([e.labels for e in examples], IGNORE_INDEX)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
