"""QuestionAnswerer: ask fine-tuned models about anyone in the lecture world (notebook 06).

Type a question, or pick a held-out person (one whose question no model was
fine-tuned on); each model answers greedily, with the probability it gives its
own answer and, when the question is about someone in the world, whether the
answer is right. The usual pair is the same architecture pretrained and from
random initialisation, fine-tuned alike: only the pretrained one can answer
from memory.

``answer_rows`` and ``answers_html`` are pure functions; the view only wires the
controls to them.
"""

from __future__ import annotations

import math
import re

import ipywidgets as widgets

from ..finetune.closed_book import answer, prompt_for
from ..world import make_world
from .base import LectureWidget, escape

MAX_QUESTION_CHARACTERS = 200  # a question is a sentence; the prompt must fit the lecture models' 128 tokens
BORN = re.compile(r"where\s+was\s+(.+?)\s+born", re.IGNORECASE)


def prepare_question(question: str) -> tuple[str, list[str]]:
    """The question the models will read, and notes for the learner (cut, empty)."""
    if not isinstance(question, str):
        raise TypeError(f"A question is text; got {type(question).__name__}.")
    notes = []
    question = " ".join(question.split())  # newlines and tabs read as spaces
    if not question:
        raise ValueError("Type a question first, e.g. 'Where was Yuki Mensah born?'")
    if len(question) > MAX_QUESTION_CHARACTERS:
        notes.append(f"The question was {len(question):,} characters; the models read its first "
                     f"{MAX_QUESTION_CHARACTERS}.")
        question = question[:MAX_QUESTION_CHARACTERS]
    return question, notes


def fit_question(model, question: str) -> tuple[str, str | None]:
    """The question cut (at a token boundary) so that prompt and answer fit the model's context."""
    room = model.max_length - len(model._prompt(prompt_for("")).ids) - 8 - 2  # answer, full stop, spare
    encoding = model._tokenizer.encode(question, add_special_tokens=False)
    if len(encoding.ids) <= room:
        return question, None
    end = encoding.offsets[room - 1][1]
    return question[:end], (f"{model.name} reads at most {model.max_length} tokens: the question "
                            f"({len(encoding.ids)} tokens) was cut to its first {room}.")


def person_asked_about(question: str, world) -> tuple[str | None, str | None]:
    """(name in the question, their true birthplace or None if they are not in the world)."""
    match = BORN.search(question)
    if not match:
        return None, None
    name = match.group(1).strip(" ?")
    try:
        return name, world.person(name).birthplace
    except KeyError:
        return name, None


def answer_probability(model, question: str, predicted: str) -> float:
    """p(the model's own answer | the question): how sure it is of what it said."""
    if not predicted:
        return math.nan
    score = model.score(f"{predicted} .", context=prompt_for(question))
    return math.exp(score.log_prob)


def answer_rows(question: str, models: dict, world=None) -> tuple[list[dict], list[str]]:
    """One row per model: its answer, that answer's probability, and whether it is right."""
    world = world or make_world(0)
    question, notes = prepare_question(question)
    name, truth = person_asked_about(question, world)
    if name and truth is None:
        notes.append(f"{name!r} is nobody in the lecture world: the models answer anyway, "
                     "fluently — an answer is not evidence of knowledge.")
    if not name:
        notes.append("Not a 'Where was … born?' question: the models were fine-tuned only on those, "
                     "so expect a city whatever you ask.")
    rows = []
    for label, model in models.items():
        asked, cut = fit_question(model, question)
        if cut and cut not in notes:
            notes.append(cut)
        predicted = answer(model, asked)
        rows.append({"model": label, "answer": predicted, "probability": answer_probability(model, asked, predicted),
                     "right": None if truth is None else predicted == truth, "truth": truth})
    return rows, notes


def _probability(p: float) -> str:
    return "–" if math.isnan(p) else f"{p:.2f}"


def answers_html(question: str, rows: list[dict], notes: list[str]) -> str:
    marks = {True: "<span style='color:#2a7d2a'>✓ right</span>", False: "<span style='color:#b03a2e'>✗ wrong</span>",
             None: "<span style='color:#777'>unknown</span>"}
    body = "".join(
        "<tr>"
        f"<td style='padding:3px 10px'>{escape(row['model'])}</td>"
        f"<td style='padding:3px 10px;font-weight:bold'>{escape(row['answer']) or '<i>(nothing)</i>'}</td>"
        f"<td style='padding:3px 10px;text-align:right'>{_probability(row['probability'])}</td>"
        f"<td style='padding:3px 10px'>{marks[row['right']]}"
        f"{'' if row['truth'] is None or row['right'] else ' (it is ' + escape(row['truth']) + ')'}</td>"
        "</tr>" for row in rows)
    note_html = "".join(f"<div style='color:#8a5a00'>{escape(note)}</div>" for note in notes)
    return (f"<div style='font-size:15px'><div><b>Q:</b> {escape(question)}</div>{note_html}"
            "<table style='border-collapse:collapse;margin-top:4px'><tr><th style='text-align:left;padding:3px 10px'>"
            "model</th><th style='text-align:left;padding:3px 10px'>answer</th><th style='padding:3px 10px'>"
            "p(answer)</th><th style='text-align:left;padding:3px 10px'>checked against the world</th></tr>"
            f"{body}</table></div>")


class QuestionAnswerer(LectureWidget):
    """Ask each of ``models`` (label -> fine-tuned model) the same question."""

    def __init__(self, models: dict, people=(), question: str | None = None, world=None):
        if not models:
            raise ValueError("Give at least one model to ask, e.g. {'pretrained': tuned, 'from scratch': scratch}.")
        self.models, self.world = dict(models), world or make_world(0)
        people = list(people)
        first = question or (f"Where was {people[0]} born?" if people else "Where was Yuki Mensah born?")
        self.question = widgets.Text(value=first, description="question", continuous_update=False,
                                     layout=widgets.Layout(width="min(100%, 640px)"))
        self.person = widgets.Dropdown(options=["(type your own)", *people], description="held-out person")
        self.ask = widgets.Button(description="Ask", button_style="primary")
        self.view = widgets.HTML()
        self.person.observe(self._pick, names="value")
        self.question.observe(lambda change: self._update(), names="value")  # Enter or leaving the box
        self.ask.on_click(lambda button: self._update())
        super().__init__([widgets.HBox([self.person, self.ask]), self.question, self.view])
        self.add_class("lk-question-answerer")
        self.view.add_class("lk-answers")
        self._update()

    def _pick(self, change) -> None:
        if change["new"] != "(type your own)":
            self.question.value = f"Where was {change['new']} born?"

    def _update(self) -> None:
        self.view.value = self.static_html()

    def static_html(self) -> str:
        try:
            rows, notes = answer_rows(self.question.value, self.models, self.world)
        except (TypeError, ValueError) as error:
            return f"<div style='color:#b03a2e'>{escape(error)}</div>"
        return answers_html(" ".join(self.question.value.split())[:MAX_QUESTION_CHARACTERS], rows, notes)
