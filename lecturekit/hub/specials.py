"""Which special tokens a tokenizer has, whatever it calls them.

BERT writes ``[MASK]`` and ``[SEP]``, RoBERTa ``<mask>`` and ``</s>``, GPT-2 has a
single ``<|endoftext|>``, T5 marks hidden spans with sentinels ``<extra_id_0>``,
``<extra_id_1>``, ... and the lecture models use ``[MASK]``, ``[BOS]``, ``[EOS]``.
The model methods only need to know the *role* of each token, so we look the
roles up once, here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tokenizers import Tokenizer

# Spellings of each role, most common first. Lookups are exact (case matters).
_SPELLINGS = {
    "mask": ["[MASK]", "<mask>", "[mask]"],
    "pad": ["[PAD]", "<pad>", "<|pad|>"],
    "bos": ["[BOS]", "<s>", "<bos>", "<|startoftext|>"],
    "eos": ["[EOS]", "</s>", "<eos>", "<|endoftext|>"],
    "unk": ["[UNK]", "<unk>"],
    # The token that separates documents in a causal LM's training stream; a
    # prompt with no text starts from it.
    "document": ["<|endoftext|>", "[BOS]", "<s>", "<bos>"],
}

# Sentinels for span corruption: T5 spells them <extra_id_N>; other spellings
# that a from-scratch tokenizer might use are accepted too.
_SENTINEL = re.compile(r"^(?:<extra_id_(\d+)>|\[SENTINEL_?(\d+)\]|<sentinel_?(\d+)>|\[S(\d+)\])$", re.I)


@dataclass(frozen=True)
class SpecialTokens:
    """Token ids by role (``None`` when the tokenizer has no such token)."""

    mask: int | None = None
    pad: int | None = None
    bos: int | None = None
    eos: int | None = None
    unk: int | None = None
    document: int | None = None
    sentinels: tuple[int, ...] = field(default=())
    mask_text: str | None = None

    def start_of_text(self) -> int | None:
        """The id a causal LM's input starts from when the prompt is empty."""
        for candidate in (self.document, self.bos, self.eos):
            if candidate is not None:
                return candidate
        return None


def find_special_tokens(tokenizer: Tokenizer, **known: str | None) -> SpecialTokens:
    """Look up each role in ``tokenizer``'s vocabulary.

    ``known`` overrides the guess for a role with the token's text, as a Hugging
    Face tokenizer states it (``mask="<mask>"``, ``eos="<|im_end|>"``).
    """
    vocab = tokenizer.get_vocab(with_added_tokens=True)
    ids: dict[str, int | None] = {}
    texts: dict[str, str | None] = {}
    for role, spellings in _SPELLINGS.items():
        stated = known.get(role)
        options = [stated] if stated else spellings
        text = next((s for s in options if s in vocab), None)
        ids[role] = vocab[text] if text is not None else None
        texts[role] = text
    numbered = []
    for text, index in vocab.items():
        match = _SENTINEL.match(text)
        if match:
            number = int(next(g for g in match.groups() if g is not None))
            numbered.append((number, index))
    sentinels = tuple(index for _, index in sorted(numbered))
    return SpecialTokens(sentinels=sentinels, mask_text=texts["mask"], **ids)
