"""Cutting text into words before subword tokenization (our own BPE and word-level vocabularies).

Letters/digits stay together; every punctuation mark or symbol becomes its own
word; whitespace separates words and is dropped. (The byte-level tokenizer keeps
whitespace instead: see ``byte_level.py``.)
"""

from __future__ import annotations

import re

from ..text import as_text

# Also the pre-tokenizer of the lecture models' Hugging Face tokenizer (train/data.py).
WORD_PATTERN = r"[^\W_]+|[^\w\s]|_"
_WORD = re.compile(WORD_PATTERN)


def split_words(text: str) -> list[str]:
    """``"Hi, taaaasty!"`` -> ``["Hi", ",", "taaaasty", "!"]``."""
    return _WORD.findall(as_text(text))
