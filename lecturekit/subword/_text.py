"""Small guards shared by the tokenizers: what counts as text, and how bad text is made safe."""

from __future__ import annotations

import re

# A lone surrogate (U+D800..U+DFFF) is not a character: it cannot be written as
# UTF-8, so a byte-level tokenizer could not represent it. Python strings can
# still carry one (e.g. from a broken JSON file), so we replace it with U+FFFD,
# the "replacement character" a text editor would show.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def as_text(text, name: str = "text") -> str:
    """Check that ``text`` is a string and replace lone surrogates with U+FFFD."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, not {type(text).__name__}")
    return _LONE_SURROGATE.sub("\ufffd", text)
