"""MaskExplorer: click tokens to hide them and watch a masked LM guess them back.

This is BERT's pretraining task (LECTURE.md §4) made live: the model reads the
whole sentence, both sides of every blank, and gives a probability to every
vocabulary entry at each [MASK]. The pure functions below do the work and are
unit-tested; the view only turns clicks into calls.

- ``prepare_sentence``: tokens of the sentence (truncated to the model's context).
- ``fill_masked``: the top-k predictions at each masked token.
- ``corruption_of``: BERT's 80/10/10 corruption of the same sentence, seeded.
- ``fill_left_to_right``: a masked LM made to "write", one [MASK] at a time.
- ``mask_explorer_update``: one call from (text, masked positions) to what the
  view shows; ``mask_explorer_html`` (in ``mask_explorer_html``) draws it.
"""

from __future__ import annotations

import re
import time

import ipywidgets as widgets
import pandas as pd

from ..hub.kinds import not_supported_message
from ..objectives import CORRUPTION_NAMES, mask_tokens
from .base import WORLD_SENTENCE, LectureWidget, model_note_html
from .mask_explorer_html import MaskState, Prediction, Sentence, token_label

MAX_CHARACTERS = 5_000  # longer text is cut before tokenizing: a widget must answer at once


def prepare_sentence(model, text: str) -> Sentence:
    """Tokenize ``text``; keep as many tokens as the model's context holds.

    Longer text is cut at a token boundary and the notice says so (the model
    cannot read past ``model.max_length`` tokens, special tokens included).
    """
    if not isinstance(text, str):
        raise TypeError(f"The sentence must be text; got {type(text).__name__}.")
    notice, characters = "", len(text)
    if characters > MAX_CHARACTERS:
        text = text[:MAX_CHARACTERS]
        notice = f"The text has {characters:,} characters; only the first {MAX_CHARACTERS:,} characters are read."
    tokens = model.tokenize(text)
    if len(tokens) > model.max_length:
        specials = int(tokens.special.sum())
        keep = model.max_length - specials  # room for [CLS] and [SEP]
        content = tokens[~tokens.special]
        cut = int(content.end.iloc[keep - 1])
        total = len(content)
        text = text[:cut]
        tokens = model.tokenize(text)
        # Both cuts are said: a token count alone ("1,771 tokens") hides that a 35,000-character
        # paste was first cut to 5,000 characters.
        counted = (f"The text is {total:,} tokens long" if not notice else
                   f"{notice[:-1]}, and those are {total:,} tokens")
        notice = (f"{counted}, but {model.name} reads at most {model.max_length} "
                  f"(special tokens included): only the first {keep} tokens are shown.")
    return Sentence(text, tokens, notice)


def positions_of(sentence: Sentence, word: str) -> list[int]:
    """Token positions covering the first whole-word occurrence of ``word`` (any tokenizer)."""
    match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", sentence.text)
    if not word.strip() or match is None:
        raise ValueError(f"{word!r} does not occur as a word in {sentence.text[:60]!r}.")
    start, end = match.span()
    return [i for i in sentence.maskable
            if int(sentence.tokens.start[i]) < end and int(sentence.tokens.end[i]) > start]


def masked_text(sentence: Sentence, masked: list[int], mask_text: str = "[MASK]") -> str:
    """The sentence with the characters of each masked token replaced by [MASK]."""
    pieces, cursor = [], 0
    for position in sorted(masked):
        start, end = int(sentence.tokens.start[position]), int(sentence.tokens.end[position])
        pieces += [sentence.text[cursor:start], mask_text]
        cursor = end
    pieces.append(sentence.text[cursor:])
    return "".join(pieces)


def retokenization_note(model, sentence: Sentence, masked: list[int]) -> str:
    """A note when the masked text does not tokenize back to the same tokens around the masks.

    The model reads the text with [MASK] written in; masking one piece of a word
    can change how the rest of the word splits (WordPiece's "##ing" becomes
    "ing" once "play" is a [MASK]), so the model sees slightly different tokens.
    """
    if not masked:
        return ""
    expected = list(sentence.tokens.id)
    for position in masked:
        expected[position] = model.specials.mask
    if list(model.tokenize(masked_text(sentence, masked)).id) == expected:
        return ""
    return ("Masking part of a word changed how the rest of it splits into tokens, so the model reads "
            "slightly different tokens than the chips show.")


def fill_masked(model, sentence: Sentence, masked: list[int], top_k: int = 5) -> list[Prediction]:
    """Top-k guesses at each masked position, from one forward pass of the model.

    ``model.fill_mask`` finds the [MASK] tokens in the text itself; the i-th
    [MASK] it reports is the i-th masked position here.
    """
    masked = sorted(set(masked))
    bad = [p for p in masked if p not in sentence.maskable]
    if bad:
        raise ValueError(f"Positions {bad} are not maskable tokens of this sentence.")
    if not masked:
        return []
    table = model.fill_mask(masked_text(sentence, masked), top_k=top_k)
    labels = sentence.labels
    return [
        Prediction(position, labels[position], rows.drop(columns="mask").reset_index(drop=True))
        for position, (_, rows) in zip(masked, table.groupby("mask", sort=True), strict=True)
    ]


def corruption_of(model, sentence: Sentence, seed: int = 0, mask_rate: float = 0.15) -> pd.DataFrame:
    """BERT's 80/10/10 corruption of the sentence (one seeded draw): what the model reads.

    Columns: original, model sees, corruption ('mask', 'random', 'keep' or '').
    """
    tokenizer = model.tokenizer
    specials = [int(i) for i, s in zip(sentence.tokens.id, sentence.tokens.special, strict=True) if s]
    example = mask_tokens(
        list(sentence.tokens.id), mask_token_id=model.specials.mask,
        vocab_size=tokenizer.get_vocab_size(with_added_tokens=True), special_ids=specials,
        mask_rate=mask_rate, generator=seed,
    )
    seen = [token_label(tokenizer.id_to_token(int(i)) or "", "") for i in example.input_ids.tolist()]
    return pd.DataFrame({
        "original": sentence.labels,
        "model sees": seen,
        "corruption": [CORRUPTION_NAMES[int(c)] for c in example.corruption.tolist()],
    })


def fill_left_to_right(model, prompt: str, new_tokens: int = 8) -> list[str]:
    """Make a masked LM "write": append [MASK]s, then fill the first, then the next, ...

    Each step keeps the single likeliest token. This is how one might try to
    generate with BERT; the notebook compares it with a decoder. The model was
    trained to see 15% of tokens masked, not a sentence that ends in eight
    blanks, and each guess is made without knowing the words that will follow.
    Returns the text after each step.
    """
    if not isinstance(new_tokens, int) or new_tokens < 1:
        raise ValueError(f"new_tokens must be a positive whole number, got {new_tokens!r}.")
    text = prompt.rstrip() + " [MASK]" * new_tokens
    steps = []
    for _ in range(new_tokens):
        best = model.fill_mask(text, top_k=1)
        token = str(best[best["mask"] == 1].token.iloc[0]).strip()
        # A WordPiece continuation ("##s") joins the previous word; anything else is a new word.
        filled = token[2:] if token.startswith("##") else " " + token
        text = text.replace(" [MASK]", filled, 1)
        steps.append(text.replace(" [MASK]", "").strip())
    return steps


def mask_explorer_update(
    model, text: str, masked: list[int], top_k: int = 5, show_corruption: bool = False, seed: int = 0
) -> MaskState:
    """From the widget's inputs to what it shows: the whole update, without any widget.

    Problems a learner can cause (empty text, a model of the wrong kind, a text
    the model cannot read) come back as a message in the state, not as an error.
    """
    device, header = str(getattr(model, "device", "cpu")), model_note_html(model)
    wrong = not_supported_message("fill_mask", model.name, model.kind)
    if wrong:
        return MaskState(device, message=wrong, header=header)
    if not isinstance(text, str) or not text.strip():
        return MaskState(device, header=header)
    start = time.perf_counter()
    try:
        sentence = prepare_sentence(model, text)
        masked = [p for p in masked if p in sentence.maskable]
        predictions = fill_masked(model, sentence, masked, top_k)
        corruption = corruption_of(model, sentence, seed) if show_corruption and sentence.maskable else None
    except (ValueError, TypeError) as error:  # the hub's InputError is a ValueError
        return MaskState(device, message=str(error), header=header)
    latency = (time.perf_counter() - start) * 1000
    note = retokenization_note(model, sentence, masked)  # after the timing: the widget's own check
    return MaskState(device, sentence, masked, predictions, latency, corruption, note=note, header=header)


# ------------------------------------------------------------------- view


class MaskExplorer(LectureWidget):
    """A sentence as clickable token chips; masked chips get the model's top-k guesses."""

    def __init__(self, model, text: str = WORLD_SENTENCE, masked: tuple = (),
                 top_k: int = 5):
        """``masked``: token positions, or words whose tokens start masked (e.g. ``("Paris",)``)."""
        self.model = model
        self.masked: list[int] = [p for p in masked if isinstance(p, int)]
        words = [w for w in masked if isinstance(w, str)]
        if words and not_supported_message("fill_mask", model.name, model.kind) is None and text.strip():
            sentence = prepare_sentence(model, text)
            self.masked += [p for w in words for p in positions_of(sentence, w)]
        self.state: MaskState | None = None
        # continuous_update=False: the model runs when the learner presses Enter or
        # leaves the box, not on every keystroke (debounced typing).
        self.text = widgets.Text(value=text, description="sentence", continuous_update=False,
                                 layout=widgets.Layout(width="95%"))
        self.top_k = widgets.IntSlider(value=top_k, min=1, max=10, description="top-k")
        self.corrupt = widgets.ToggleButton(value=False, description="show 80/10/10 corruption",
                                            layout=widgets.Layout(width="auto"))
        self.chips = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.view = widgets.HTML()
        self.text.observe(lambda change: self._new_sentence(), names="value")
        self.top_k.observe(lambda change: self._update(), names="value")
        self.corrupt.observe(lambda change: self._update(), names="value")
        super().__init__([self.text, widgets.HBox([self.top_k, self.corrupt]), self.chips, self.view])
        self.add_class("lk-mask-explorer-widget")
        self._update(rebuild_chips=True)

    def _new_sentence(self) -> None:
        self.masked = []
        self._update(rebuild_chips=True)

    def toggle(self, position: int) -> None:
        """Mask the token at ``position``, or unmask it if it is masked."""
        if position in self.masked:
            self.masked.remove(position)
        else:
            self.masked.append(position)
        self._update()

    def _chip_button(self, position: int, label: str) -> widgets.ToggleButton:
        button = widgets.ToggleButton(value=position in self.masked, description=label, tooltip=label,
                                      layout=widgets.Layout(width="auto", margin="2px"))
        button.add_class("lk-chip")

        def clicked(change):
            button.button_style = "warning" if change["new"] else ""  # masked chips stand out in orange
            self.toggle(position)

        button.button_style = "warning" if button.value else ""
        button.observe(clicked, names="value")
        return button

    def _update(self, rebuild_chips: bool = False) -> None:
        self.state = mask_explorer_update(
            self.model, self.text.value, self.masked, self.top_k.value, self.corrupt.value)
        if rebuild_chips:
            sentence = self.state.sentence
            self.chips.children = [] if sentence is None else [
                self._chip_button(i, sentence.labels[i]) for i in sentence.maskable
            ]
        self.view.value = self.state.html(chips=False)

    def static_html(self) -> str:
        return self.state.html(chips=True)
