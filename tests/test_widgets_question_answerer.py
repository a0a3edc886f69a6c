"""QuestionAnswerer's pure functions: answers, probabilities, checks, and bad input."""

from __future__ import annotations

import math

import pytest

from lecturekit import load_model
from lecturekit.widgets.question_answerer import (
    MAX_QUESTION_CHARACTERS,
    QuestionAnswerer,
    answer_rows,
    answers_html,
    person_asked_about,
    prepare_question,
)
from lecturekit.world import make_world


@pytest.fixture(scope="module")
def models():
    return {"gpt": load_model("lecture-gpt", device="cpu"), "t5": load_model("lecture-t5", device="cpu")}


def test_a_person_of_the_world_is_checked_against_their_birthplace(models):
    world = make_world(0)
    person = world.people[3]
    rows, notes = answer_rows(f"Where was {person.name} born?", models, world)
    assert [row["model"] for row in rows] == ["gpt", "t5"] and not notes
    for row in rows:
        assert row["truth"] == person.birthplace and row["right"] == (row["answer"] == person.birthplace)
        assert 0 < row["probability"] <= 1 or math.isnan(row["probability"])


def test_someone_not_in_the_world_still_gets_an_answer_and_a_warning(models):
    rows, notes = answer_rows("Where was Zed Nobody born?", {"gpt": models["gpt"]})
    assert rows[0]["right"] is None and isinstance(rows[0]["answer"], str)
    assert any("nobody in the lecture world" in note for note in notes)
    assert person_asked_about("where was  Ada Novak born", make_world(0)) == ("Ada Novak", None)


def test_long_and_empty_questions(models):
    with pytest.raises(ValueError, match="Type a question"):
        prepare_question(" \n\t ")
    text, notes = prepare_question("Where was " + "very " * 100 + "Ada born?")
    assert len(text) == MAX_QUESTION_CHARACTERS and "characters" in notes[0]
    rows, notes = answer_rows("x" * 190, models)  # 190 characters, but far more than 128 tokens
    assert any("was cut to its first" in note for note in notes) and len(rows) == 2


def test_html_escapes_and_neutralises(models):
    question = "Where was <b>Eve</b>\u202e born?"
    rows, notes = answer_rows(question, {"gpt": models["gpt"]})
    page = answers_html(question, rows, notes)
    assert "<b>Eve</b>" not in page and "&lt;b&gt;Eve" in page and "\u202e" not in page and "[U+202E]" in page


def test_the_view_asks_the_picked_person(models):
    world = make_world(0)
    people = [p.name for p in world.people[:3]]
    view = QuestionAnswerer({"gpt": models["gpt"]}, people=people, world=world)
    view.person.value = people[2]
    assert people[2] in view.question.value and people[2] in view.view.value
    view.question.value = ""
    assert "Type a question" in view.view.value
    with pytest.raises(ValueError, match="at least one model"):
        QuestionAnswerer({})
