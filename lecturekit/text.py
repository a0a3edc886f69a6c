"""Text guards every layer shares: what counts as text, how a token is shown, how user text is made safe.

This module sits at the bottom of the package (it imports nothing from lecturekit), so the
tokenizers, the world, the hub and the widgets can all use it without importing each other.
"""

from __future__ import annotations

import html
import re

# A lone surrogate (U+D800..U+DFFF) is not a character: it cannot be written as
# UTF-8, so a byte-level tokenizer could not represent it. Python strings can
# still carry one (e.g. from a broken JSON file), so we replace it with U+FFFD,
# the "replacement character" a text editor would show.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# A word, for counting and matching words in sentences: letters and digits (no underscore),
# with apostrophes inside a word kept ("don't", "Liam's").
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

# How subword vocabularies mark where a word starts or ends. Our BPE (and the lecture
# models) put "</w>" on a word's last piece; GPT-2-style byte-level BPE writes a leading
# space as "Ġ" (U+0120); SentencePiece writes it as "▁" (U+2581).
END_OF_WORD = "</w>"
SPACE_MARKERS = ("\u0120", "\u2581")

# The blank of a cloze sentence, as in the lecture's examples ("Stanford University is
# located in ___, California."): the probes write it, score_candidates fills it.
BLANK = "___"


def as_text(text, name: str = "text") -> str:
    """Check that ``text`` is a string and replace lone surrogates with U+FFFD."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, not {type(text).__name__}")
    return _LONE_SURROGATE.sub("\ufffd", text)


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, in order."""
    return WORD.findall(text.lower())


def display_token(token: str, space: str = " ") -> str:
    """A vocabulary entry as a person reads it: "Ġthe" -> " the", "est</w>" -> "est".

    ``space`` replaces the space markers; widgets that draw tokens as labels of a grid pass
    ``"_"`` so that a leading space stays visible.
    """
    token = token.removesuffix(END_OF_WORD)
    for marker in SPACE_MARKERS:
        token = token.replace(marker, space)
    return token


# How a table for people writes our BPE's end-of-word marker: "est</w>" reads as markup, and
# dropping it would make "es" (inside a word) and "es</w>" (a word's end) look the same.
END_OF_WORD_SHOWN = "_"


def readable_piece(piece: str) -> str:
    """A BPE piece for a people-facing table: "est</w>" -> "est_" (the word ends here)."""
    return piece.replace(END_OF_WORD, END_OF_WORD_SHOWN)


# Characters that reorder the text shown after them (the right-to-left override U+202E,
# embeddings, isolates, marks). Escaping leaves them in place, so a pasted U+202E would
# reverse the rest of a widget's line; shown as a visible tag instead, the learner sees
# that the model reads such a character.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise_bidi(text: str) -> str:
    """Replace each bidirectional control character with a visible tag such as ``[U+202E]``."""
    return BIDI_CONTROLS.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)


def escape(text) -> str:
    """User text made safe for HTML: escaped (quotes too, for attributes) and bidi controls shown."""
    return html.escape(neutralise_bidi(str(text)), quote=True)
