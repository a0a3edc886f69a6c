"""WordPiece as BERT uses it: clean and lower-case the text, split words and
punctuation, then cut each word greedily into the longest pieces in the vocabulary.

A piece that continues a word is written with a leading ``##`` ("##ify"), so
"transformerify" -> "transformer", "##ify". A word that cannot be cut at all
(a character the vocabulary lacks) becomes a single ``[UNK]``, and so does a
word longer than 100 characters. The steps below follow the Hugging Face BERT
tokenizer (``BertNormalizer`` + ``BertPreTokenizer`` + ``WordPiece``) so that the
ids come out identical; ``tests/test_subword_parity.py`` checks that.

One known difference: we ask Python's ``unicodedata`` (Unicode 14 in Python
3.11) what is punctuation or an accent; the Rust library uses older Unicode
tables. For characters added to Unicode in the last decade (e.g. the
punctuation mark U+2E44), and for the few whose category changed (U+1886,
once a letter, now a combining mark), the two can disagree on how many [UNK]
a string gives. For every character that already existed in Unicode 3.2, in
the same category as today, they agree.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..text import as_text

CONTINUATION = "##"


class VocabularyError(ValueError):
    """A vocabulary file is missing or not in the expected format."""


def _is_control(char: str) -> bool:
    # Control (Cc), format (Cf, e.g. a zero-width space) and private-use (Co)
    # characters are removed. Unassigned code points (Cn) are kept, and become
    # [UNK]. Tab, newline and carriage return count as whitespace, not control.
    return char not in "\t\n\r" and unicodedata.category(char) in ("Cc", "Cf", "Co")


def _is_whitespace(char: str) -> bool:
    # Only asked after control characters are gone, when Python's idea of
    # whitespace agrees with the Unicode White_Space property BERT uses.
    return char.isspace()


def _is_punctuation(char: str) -> bool:
    # BERT counts all ASCII non-letters/digits ($, +, <, ^, `, ...) as punctuation
    # although Unicode calls some of them symbols.
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    # Chinese characters are split one per word: there are too many of them
    # for whole words, and Chinese writes no spaces.
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B920 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def normalize(text: str) -> str:
    """BERT's uncased clean-up: drop control characters, spaces around Chinese
    characters, strip accents ("café" -> "cafe"), lower-case."""
    text = as_text(text)
    cleaned = []
    for char in text:
        if char in "\x00\ufffd" or _is_control(char):
            continue
        if _is_whitespace(char):
            cleaned.append(" ")
        elif _is_cjk(ord(char)):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(char)
    text = unicodedata.normalize("NFD", "".join(cleaned))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    # Lower-case one character at a time, as BERT does: str.lower() would turn a
    # word-final Greek capital sigma into the final form "ς", BERT gives "σ".
    return "".join(c.lower() for c in text)


def pre_tokenize(text: str) -> list[str]:
    """Split normalised text on whitespace, with each punctuation mark on its own."""
    words, current = [], []
    for char in text:
        if char.isspace():
            if current:
                words.append("".join(current))
                current = []
        elif _is_punctuation(char):
            if current:
                words.append("".join(current))
                current = []
            words.append(char)
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


class WordPieceTokenizer:
    """BERT-style WordPiece over a ``vocab.txt`` (one token per line; line number = id)."""

    def __init__(self, vocab: dict[str, int], unk_token: str = "[UNK]", max_word_chars: int = 100):
        if unk_token not in vocab:
            raise VocabularyError(f"the vocabulary has no unknown token {unk_token!r}")
        self.vocab = vocab
        self.id_to_token = {i: t for t, i in vocab.items()}
        self.unk_token = unk_token
        self.max_word_chars = max_word_chars
        self.longest = max(len(t) for t in vocab)

    @classmethod
    def from_vocab(cls, path) -> WordPieceTokenizer:
        path = Path(path)
        if not path.is_file():
            raise VocabularyError(f"no vocabulary file at {path}")
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except UnicodeDecodeError as error:
            raise VocabularyError(
                f"{path} is not a UTF-8 text file (one token per line)"
            ) from error
        if lines and lines[-1] == "":
            lines.pop()
        vocab: dict[str, int] = {}
        for number, line in enumerate(lines):
            token = line.rstrip("\r")
            if not token.strip():
                raise VocabularyError(f"{path}, line {number + 1}: empty token")
            vocab.setdefault(token, number)
        if not vocab:
            raise VocabularyError(f"{path} is empty")
        if "[UNK]" not in vocab:
            raise VocabularyError(f"{path} has no [UNK] token: is it a WordPiece vocab.txt?")
        return cls(vocab)

    def __len__(self) -> int:
        return len(self.vocab)

    def tokenize_word(self, word: str) -> list[str]:
        """Greedy longest match from the left; the whole word is [UNK] if a piece is missing."""
        if len(word) > self.max_word_chars:
            return [self.unk_token]
        pieces, start = [], 0
        while start < len(word):
            prefix = CONTINUATION if start else ""
            for end in range(min(len(word), start + self.longest), start, -1):
                piece = prefix + word[start:end]
                if piece in self.vocab:
                    break
            else:
                return [self.unk_token]
            pieces.append(piece)
            start = end
        return pieces

    def tokenize(self, text: str) -> list[str]:
        return [
            piece for word in pre_tokenize(normalize(text)) for piece in self.tokenize_word(word)
        ]

    def encode(self, text: str, add_special_tokens: bool = False) -> list[int]:
        ids = [self.vocab[piece] for piece in self.tokenize(text)]
        if add_special_tokens:
            ids = [self.vocab["[CLS]"], *ids, self.vocab["[SEP]"]]
        return ids

    def decode(self, ids) -> str:
        """Ids -> text: ``##`` pieces glued to the previous piece, words joined by spaces."""
        text = ""
        for i in ids:
            token = self.id_to_token.get(int(i), self.unk_token)
            text += token[len(CONTINUATION) :] if token.startswith(CONTINUATION) else " " + token
        return text.strip()
