"""Byte-level BPE (GPT-2 style) with SmolLM2's real vocabulary and merges.

Why bytes: any text, in any script, with emoji or typos, is a sequence of UTF-8
bytes, and there are only 256 byte values. Start BPE from all of them and
nothing is ever unknown: there is no UNK token at all.

Steps to encode:
1. special tokens such as ``<|im_start|>`` are cut out first and keep their own id;
2. the rest is split into chunks by the GPT-2 pattern: a word with its leading
   space (" hello"), a run of digits, a run of punctuation, runs of whitespace;
3. each chunk's bytes are written as printable characters (a space is "Ġ",
   a newline "Ċ") so that the vocabulary is plain text;
4. the merges are replayed on each chunk, earliest learned first.

Decoding turns the pieces back into bytes and the bytes into text, so
``decode(encode(text)) == text`` for ordinary text. Two exceptions: lone
surrogates, which UTF-8 cannot hold, are replaced by U+FFFD first; and a byte
that has no token in the vocabulary is dropped, as the Hugging Face tokenizer
drops it (SmolLM2 lacks a few, see ``missing_bytes``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import regex

from ..text import as_text
from .bpe_fast import apply_merges_fast
from .bpe_huggingface import parse_merges
from .wordpiece import VocabularyError

# GPT-2's pre-tokenisation pattern: English contractions, then optional space +
# letters, optional space + digits, optional space + other symbols, whitespace
# (a run of spaces before a word leaves its last space to that word).
GPT2_PATTERN = regex.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
)


@lru_cache(maxsize=1)
def bytes_to_unicode() -> dict[int, str]:
    """Each of the 256 bytes -> one printable character (GPT-2's table).

    Printable Latin-1 bytes stand for themselves; the others (space, control
    bytes, ...) are moved to code points from 256 up, e.g. space -> "Ġ".
    """
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    table, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            table[byte] = chr(byte)
        else:
            table[byte] = chr(256 + extra)
            extra += 1
    return table


class ByteLevelBPETokenizer:
    """Byte-level BPE from a Hugging Face ``tokenizer.json`` (vocab + merges + special tokens)."""

    def __init__(
        self, vocab: dict[str, int], merges: list[tuple[str, str]], special_tokens: dict[str, int]
    ):
        self.vocab = vocab
        self.ranks = {tuple(pair): rank for rank, pair in enumerate(merges)}
        self.special_tokens = special_tokens
        self.id_to_token = {i: t for t, i in vocab.items()} | {
            i: t for t, i in special_tokens.items()
        }
        self.byte_to_char = bytes_to_unicode()
        self.char_to_byte = {c: b for b, c in self.byte_to_char.items()}
        # Longest first, so "<|im_start|>" wins over a shorter token it contains.
        names = sorted(special_tokens, key=len, reverse=True)
        self._special = regex.compile("|".join(regex.escape(n) for n in names)) if names else None
        self._cached_chunk = lru_cache(maxsize=100_000)(self._encode_chunk)

    @classmethod
    def from_tokenizer_json(cls, path) -> ByteLevelBPETokenizer:
        path = Path(path)
        if path.is_dir():
            path = path / "tokenizer.json"
        if not path.is_file():
            raise VocabularyError(f"no tokenizer.json at {path}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = data["model"]
            if model.get("type") != "BPE":
                raise VocabularyError(f"{path} holds a {model.get('type')} model, not BPE")
            vocab = dict(model["vocab"])
            merges = parse_merges(model["merges"])
            special = {t["content"]: t["id"] for t in data.get("added_tokens", [])}
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            if isinstance(error, VocabularyError):
                raise
            raise VocabularyError(
                f"{path} is not a Hugging Face BPE tokenizer.json ({error})"
            ) from error
        return cls(vocab, merges, special)

    @classmethod
    def smollm2(cls) -> ByteLevelBPETokenizer:
        """SmolLM2-135M's tokenizer (49,152 tokens), from the bundled model package."""
        from lecturekit.bundled import smollm2_dir

        return cls.from_tokenizer_json(smollm2_dir() / "tokenizer.json")

    def __len__(self) -> int:
        return len(self.id_to_token)

    def _encode_chunk(self, chunk: str) -> tuple[int, ...]:
        symbols = [self.byte_to_char[b] for b in chunk.encode("utf-8")]
        # A byte with no token of its own is dropped, as the Hugging Face BPE
        # model does when there is no UNK token (see ``missing_bytes``).
        symbols = [s for s in symbols if s in self.vocab]
        return tuple(self.vocab[piece] for piece in apply_merges_fast(symbols, self.ranks))

    def missing_bytes(self) -> list[int]:
        """Byte values that have no token of their own in this vocabulary.

        In principle a byte-level vocabulary holds all 256 bytes. SmolLM2's lacks
        21: six rarely used control characters (0x04, 0x06, 0x13, 0x14, 0x16,
        0x1D), bytes that never occur in UTF-8 (0xC0, 0xC1, 0xF5-0xFF), and 0xF1
        and 0xF2, which start characters in the almost unused Unicode planes
        4-11. Such bytes are dropped when encoding, so text containing them does
        not survive encode -> decode.
        """
        return [byte for byte, char in self.byte_to_char.items() if char not in self.vocab]

    def _pieces(self, text: str):
        """Yield (is_special, piece) for the special tokens and the plain text between them."""
        position = 0
        for match in self._special.finditer(text) if self._special else ():
            if match.start() > position:
                yield False, text[position : match.start()]
            yield True, match.group()
            position = match.end()
        if position < len(text):
            yield False, text[position:]

    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        for special, piece in self._pieces(as_text(text)):
            if special:
                ids.append(self.special_tokens[piece])
                continue
            for chunk in GPT2_PATTERN.findall(piece):
                ids.extend(self._cached_chunk(chunk))
        return ids

    def tokenize(self, text: str) -> list[str]:
        """Pieces as the vocabulary writes them, e.g. ``"Ġhello"``."""
        return [self.id_to_token[i] for i in self.encode(text)]

    def token_text(self, token: str, errors: str = "replace") -> str:
        """A vocabulary piece as readable text ("Ġhello" -> " hello").

        A piece that holds only part of a character's UTF-8 bytes shows as U+FFFD, or
        as whatever ``errors`` asks of ``bytes.decode`` (e.g. ``"backslashreplace"``).
        """
        if token in self.special_tokens:
            return token
        return bytes(self.char_to_byte.get(c, 63) for c in token).decode("utf-8", errors=errors)

    def decode(self, ids) -> str:
        data = bytearray()
        for i in ids:
            token = self.id_to_token.get(int(i))
            if token is None:
                raise ValueError(f"id {i} is not in this vocabulary (0..{len(self) - 1})")
            if token in self.special_tokens:
                data += token.encode("utf-8")
            else:
                data += bytes(self.char_to_byte[c] for c in token)
        return data.decode("utf-8", errors="replace")
