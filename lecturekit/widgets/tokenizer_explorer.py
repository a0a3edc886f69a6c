"""TokenizerExplorer: one text, several tokenizers, each piece a coloured chip with its id.

Pure part: ``tokenizer_chips_html(text, tokenizers)`` (tested). View: a text box
whose every change redraws the chips.
"""

from __future__ import annotations

import ipywidgets as widgets

from lecturekit.subword.showcase import UNKNOWN_PIECES, showcase_tokenizers

from .base import LectureWidget, escape

# Soft colours that alternate so neighbouring pieces are told apart; unknown pieces are red.
PALETTE = ["#dbeafe", "#dcfce7", "#fef3c7", "#f3e8ff", "#fce7f3", "#e0f2fe"]
UNKNOWN_COLOUR = "#fca5a5"
MAX_CHIPS = 400  # a pasted book should not freeze the browser
MAX_CHARS = 100_000


def visible(piece: str) -> str:
    """Make whitespace inside a piece visible: space ·, newline ↵, tab →."""
    return piece.replace(" ", "·").replace("\n", "↵").replace("\r", "␍").replace("\t", "→")


def chips_html(pieces: list[tuple[str, int]]) -> str:
    """One row of chips; each shows the piece and, below it, its id."""
    chips = []
    for index, (piece, token_id) in enumerate(pieces[:MAX_CHIPS]):
        colour = UNKNOWN_COLOUR if piece in UNKNOWN_PIECES else PALETTE[index % len(PALETTE)]
        chips.append(
            f'<span style="display:inline-block;margin:2px;padding:2px 5px;border-radius:4px;'
            f'background:{colour};font-family:monospace;text-align:center">'
            f'{escape(visible(piece))}<br><small style="color:#555">{token_id}</small></span>'
        )
    if len(pieces) > MAX_CHIPS:
        chips.append(f"<span>… and {len(pieces) - MAX_CHIPS:,} more</span>")
    return "".join(chips)


def tokenizer_chips_html(text: str, tokenizers: dict) -> str:
    """HTML with one row per tokenizer: its name, how many tokens, and the chips.

    ``tokenizers``: name -> function text -> list of (piece, id). Text beyond
    100,000 characters is cut (and the cut is said).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    note = ""
    if len(text) > MAX_CHARS:
        note = (
            f"<p><i>Only the first {MAX_CHARS:,} of {len(text):,} characters are tokenised.</i></p>"
        )
        text = text[:MAX_CHARS]
    if not text.strip():
        note += "<p><i>Type some text to see how each tokenizer splits it.</i></p>"
    rows = []
    for name, tokenize in tokenizers.items():
        pieces = tokenize(text)
        unknown = sum(piece in UNKNOWN_PIECES for piece, _ in pieces)
        summary = f"{len(pieces)} tokens" + (f", {unknown} unknown" if unknown else "")
        rows.append(
            f'<tr><td style="vertical-align:top;padding:4px 8px;white-space:nowrap"><b>{escape(name)}</b>'
            f"<br><small>{summary}</small></td><td>{chips_html(pieces)}</td></tr>"
        )
    return f'<div class="lecturekit-tokenizers">{note}<table>{"".join(rows)}</table></div>'


class TokenizerExplorer(LectureWidget):
    """Type text; see it split by our BPE, BERT's WordPiece, SmolLM2's byte-level BPE and a word vocabulary."""

    def __init__(
        self, text: str = "The transformerify demo was taaaasty!", tokenizers: dict | None = None
    ):
        self.tokenizers = tokenizers or showcase_tokenizers()
        self.text_box = widgets.Textarea(
            value=text, description="Text", layout=widgets.Layout(width="95%")
        )
        self.output = widgets.HTML()
        super().__init__([self.text_box, self.output])
        self.text_box.observe(lambda change: self._redraw(), names="value")
        self._redraw()

    def _redraw(self) -> None:
        self.output.value = tokenizer_chips_html(self.text_box.value, self.tokenizers)

    def static_html(self) -> str:
        return self.output.value
