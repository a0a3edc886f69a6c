"""NextTokenExplorer: what a decoder thinks comes next, and how sure it was so far.

A causal LM (GPT, LECTURE.md §6) turns every prefix into a probability for each
possible next token. The view shows the top-k of that distribution (reshaped by
temperature, and cut to the nucleus by top-p), lets the learner append a candidate
by clicking it, colours the prompt by how probable each of its tokens was given the
prompt's tokens before it (the probability the view showed when the prompt ended
there), and streams a seeded sample.

Pure functions (unit-tested): ``fit_prompt``, ``next_token_candidates``,
``prompt_colours_html``, ``next_token_html``, ``next_token_update``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import ipywidgets as widgets
import pandas as pd

from ..hub.kinds import not_supported_message
from .base import (
    REAL_WORLD_PROMPT,
    WORLD_PROMPT,
    LectureWidget,
    escape,
    knows_only_the_world,
    model_note_html,
    probability_bars_html,
    whole_number,
)
from .mask_explorer import MAX_CHARACTERS
from .mask_explorer_html import status_html
from .next_token_prompt import prompt_colours_html, show_token, visible_whitespace  # noqa: F401 (re-exported)

HINT = "Type a prompt above: the model shows which tokens it expects next."


def fit_prompt(model, prompt: str) -> tuple[str, str]:
    """The end of ``prompt`` that fits the model's context, and a notice if it was cut.

    The next token depends most on the latest words, so a long prompt keeps its
    end (the beginning is dropped), leaving room for the start token.
    """
    if not isinstance(prompt, str):
        raise TypeError(f"The prompt must be text; got {type(prompt).__name__}.")
    notice = ""
    characters = len(prompt)
    if characters > MAX_CHARACTERS:
        prompt = prompt[-MAX_CHARACTERS:]
        notice = f"The prompt has {characters:,} characters; only the last {MAX_CHARACTERS:,} are read."
    tokens = model.tokenize(prompt)
    room = model.max_length - 1  # one place for the start-of-text token
    content = tokens[~tokens.special]
    if len(content) > room:
        cut = int(content.start.iloc[len(content) - room])
        counted = (f"The prompt is {len(content):,} tokens long" if not notice else
                   f"{notice[:-1]}, and those are {len(content):,} tokens")
        notice = f"{counted}, but {model.name} reads at most {model.max_length}: only the last {room} tokens are used."
        prompt = prompt[cut:]
    return prompt, notice


def next_token_candidates(model, prompt: str, top_k: int = 10, temperature: float = 1.0,
                          top_p: float | None = None) -> pd.DataFrame:
    """Top-k next tokens with their probabilities at this temperature (rank, token, id, probability).

    With ``top_p``, the probabilities are those sampling draws from: tokens outside
    the nucleus get 0.
    """
    return model.next_token(prompt, top_k=top_k, temperature=temperature, top_p=active_top_p(top_p))


def active_top_p(top_p: float | None) -> float | None:
    """None when top-p filters nothing (1.0, the slider's far end), so the default is unchanged."""
    return None if top_p is None or top_p >= 1 else float(top_p)


@dataclass
class NextTokenState:
    device: str
    prompt: str = ""
    candidates: pd.DataFrame | None = None
    prompt_tokens: pd.DataFrame | None = None
    temperature: float = 1.0
    notice: str = ""
    message: str = ""
    latency_ms: float | None = None
    generated: str = ""
    extra: list[str] = field(default_factory=list)
    top_p: float | None = None  # the nucleus the probabilities were cut to (None: not cut)
    note: str = ""  # the header: what the model has read (HTML from model_note_html)

    def html(self) -> str:
        return next_token_html(self)


def next_token_html(state: NextTokenState) -> str:
    parts = [status_html(state.device, state.latency_ms), state.note]
    if state.message:
        parts.append(f"<div class='lk-message' style='color:#b00'>{escape(state.message)}</div>")
    if state.candidates is None:
        if not state.message:
            parts.append(f"<div class='lk-hint' style='color:#666'>{escape(HINT)}</div>")
        return "<div class='lk-next-token'>" + "".join(parts) + "</div>"
    if state.notice:
        parts.append(f"<div class='lk-notice' style='color:#a60'>{escape(state.notice)}</div>")
    if state.prompt_tokens is not None:
        parts.append(prompt_colours_html(state.prompt, state.prompt_tokens))
    if state.generated:
        parts.append("<div class='lk-generated' style='font-family:monospace;white-space:pre-wrap'>"
                     f"<b>sampled continuation:</b> {escape(state.generated)}</div>")
    table = state.candidates
    # At a high temperature every probability is tiny: bars drawn against the most likely
    # candidate keep the flattening visible, and the share the shown tokens hold says how flat.
    held = float(table.probability.sum())
    nucleus = f", top-p {state.top_p:.2g}" if state.top_p is not None else ""
    parts.append(probability_bars_html([show_token(t) for t in table.token], list(table.probability),
                                       f"next token (temperature {state.temperature:.2g}{nucleus})", relative=True))
    parts.append(f"<small class='lk-mass' style='color:#555'>these {len(table)} tokens hold "
                 f"{held * 100:.3g}% of the probability; bars are drawn against the most likely one</small>")
    return "<div class='lk-next-token'>" + "".join(parts) + "</div>"


def next_token_update(model, prompt: str, top_k: int = 10, temperature: float = 1.0,
                      top_p: float | None = None) -> NextTokenState:
    """From the prompt to what the widget shows; learner mistakes become messages."""
    device, note = str(getattr(model, "device", "cpu")), model_note_html(model)
    wrong = not_supported_message("next_token", model.name, model.kind)
    if wrong:
        return NextTokenState(device, message=wrong, note=note)
    if not isinstance(prompt, str) or not prompt.strip():
        return NextTokenState(device, prompt=prompt if isinstance(prompt, str) else "", note=note)
    start = time.perf_counter()
    try:
        fitted, notice = fit_prompt(model, prompt)
        top_p = active_top_p(top_p)
        if model.kind == "causal-lm":  # one forward pass gives both (the room waits on every keystroke)
            candidates, colours = model.next_token_and_prompt(fitted, top_k, temperature, top_p)
        else:
            candidates, colours = next_token_candidates(model, fitted, top_k, temperature, top_p), None
    except (ValueError, TypeError) as error:  # the hub's InputError is a ValueError
        return NextTokenState(device, prompt=prompt, message=str(error), note=note)
    latency = (time.perf_counter() - start) * 1000
    return NextTokenState(device, fitted, candidates, colours, temperature, notice, top_p=top_p, latency_ms=latency,
                          note=note)


def default_prompt(model) -> str:
    """Where the explorer starts: a lecture model on its own world, a real model on the real one."""
    return WORLD_PROMPT if knows_only_the_world(model) else REAL_WORLD_PROMPT


def load_real_world_model():
    """SmolLM2, the bundled model that has read real text (loaded only when the learner asks)."""
    from ..hub import load_model

    return load_model("smollm2-135m")


# ------------------------------------------------------------------- view


class NextTokenExplorer(LectureWidget):
    """Prompt box, top-k next tokens (click one to append it), temperature, top-p, seeded streaming.

    Two example buttons: one asks the widget's model about the lecture world, the other asks a
    model that has read real text (``real_world``: a model, or None to load SmolLM2 on first click)
    about the real one, so the room sees what each kind of pretraining taught.
    """

    def __init__(self, model, prompt: str | None = None, top_k: int = 8,
                 temperature: float = 1.0, seed: int = 0, max_new_tokens: int = 20, top_p: float = 1.0,
                 real_world=None):
        self.model = self.home_model = model
        self.real_world = real_world if real_world is not None or knows_only_the_world(model) else model
        prompt = default_prompt(model) if prompt is None else prompt
        self.state: NextTokenState | None = None
        # One line, continuous_update=False: Enter submits (a newline would be read by the
        # model as part of the prompt), and so does leaving the box.
        self.prompt = widgets.Text(value=prompt, description="prompt", continuous_update=False,
                                   layout=widgets.Layout(width="95%"))
        self.top_k = widgets.IntSlider(value=top_k, min=1, max=20, description="top-k")
        self.temperature = widgets.FloatLogSlider(value=temperature, base=10, min=-1, max=1, step=0.05,
                                                  description="temperature", readout_format=".2f")
        # top-p 1.0 keeps every token (no nucleus cut): the default behaves as before.
        self.top_p = widgets.FloatSlider(value=top_p, min=0.05, max=1.0, step=0.05, description="top-p",
                                         readout_format=".2f")
        self.seed = widgets.IntText(value=seed, description="seed", layout=widgets.Layout(width="160px"))
        self.max_new_tokens = max_new_tokens
        self.generate = widgets.Button(description="generate (seeded)", icon="play")
        real_name = "smollm2-135m" if self.real_world is None else self.real_world.name
        self.world_example = widgets.Button(description=f"lecture-world example ({model.name})",
                                            tooltip=f"{model.name} on '{WORLD_PROMPT}'")
        self.real_example = widgets.Button(description=f"real-world example ({real_name})",
                                           tooltip=f"{real_name} on '{REAL_WORLD_PROMPT}'")
        self.world_example.on_click(lambda _: self.show_example(real=False))
        self.real_example.on_click(lambda _: self.show_example(real=True))
        self.candidates = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.view = widgets.HTML()
        self.prompt.observe(lambda change: self._update(), names="value")
        self.top_k.observe(lambda change: self._update(), names="value")
        self.temperature.observe(lambda change: self._update(), names="value")
        self.top_p.observe(lambda change: self._update(), names="value")
        self.generate.on_click(lambda button: self.stream())
        wrap = widgets.Layout(flex_flow="row wrap")
        super().__init__([self.prompt, widgets.HBox([self.top_k, self.temperature, self.top_p], layout=wrap),
                          widgets.HBox([self.generate, self.seed, self.world_example, self.real_example],
                                       layout=widgets.Layout(flex_flow="row wrap")),
                          self.candidates, self.view])
        self.add_class("lk-next-token-widget")
        self._update()

    def show_example(self, real: bool) -> None:
        """One click: the real-world prompt on a model that read real text, or the world prompt on ours."""
        if real and self.real_world is None:
            self.real_world = load_real_world_model()
        self.model = self.real_world if real else self.home_model
        prompt = REAL_WORLD_PROMPT if real else WORLD_PROMPT
        if self.prompt.value == prompt:
            self._update()  # the same text sends no change, but the model may have changed
        else:
            self.prompt.value = prompt

    def append(self, token: str) -> None:
        """Add a candidate to the prompt (the update follows from the prompt's change)."""
        self.prompt.value = self.prompt.value + token

    def _candidate_button(self, token: str, probability: float) -> widgets.Button:
        button = widgets.Button(description=f"{show_token(token)}  {probability:.2f}",
                                tooltip=f"append {token!r}", layout=widgets.Layout(width="auto", margin="2px"))
        button.on_click(lambda _: self.append(token))
        return button

    def _update(self) -> None:
        self.state = next_token_update(self.model, self.prompt.value, self.top_k.value, self.temperature.value,
                                       self.top_p.value)
        table = self.state.candidates
        self.candidates.children = [] if table is None else [
            self._candidate_button(t, p) for t, p in zip(table.token, table.probability, strict=True)
        ]
        self.view.value = self.state.html()

    def stream(self) -> str:
        """Sample a continuation with the seed, showing it piece by piece as it is written."""
        if self.state is None or self.state.candidates is None:
            return ""
        written = ""
        try:
            seed = whole_number(self.seed.value, "seed", 0, 2**64 - 1)  # what torch's generator holds
            for piece in self.model.stream(self.state.prompt, self.max_new_tokens,
                                           temperature=self.temperature.value, top_k=self.top_k.value,
                                           seed=seed, top_p=active_top_p(self.top_p.value)):
                written += piece
                self.state.generated = written
                self.view.value = self.state.html()
        except (ValueError, TypeError) as error:
            self.state.message = str(error)
            self.view.value = self.state.html()
        return written

    def static_html(self) -> str:
        return self.state.html()


class SideBySide(LectureWidget):
    """Two lecture widgets next to each other (e.g. a MaskExplorer and a NextTokenExplorer),
    with both static pictures side by side for readers without a kernel."""

    def __init__(self, left: LectureWidget, right: LectureWidget):
        self.left, self.right = left, right
        half = widgets.Layout(width="50%")
        super().__init__([widgets.HBox([widgets.Box([left], layout=half), widgets.Box([right], layout=half)])])

    def static_html(self) -> str:
        return ("<div style='display:flex;gap:24px;align-items:flex-start'>"
                f"<div style='flex:1'>{self.left.static_html()}</div>"
                f"<div style='flex:1'>{self.right.static_html()}</div></div>")
