"""Few-shot prompts and tasks: the lecture's prompt format, the built-in pairs, and bad input."""

from __future__ import annotations

import pytest

from lecturekit.prompting import BUILTIN_TASKS, LECTURE_TASKS, Task, builtin_task, few_shot_prompt
from lecturekit.prompting.prompts import answer_prefix, cut_at_stop, query_template, stops_for
from lecturekit.prompting.tasks import exact_match, number_match


def test_the_lecture_prompt():
    prompt = few_shot_prompt([("thanks", "merci"), ("hello", "bonjour")], "otter")
    assert prompt == "thanks => merci\nhello => bonjour\notter =>"
    assert few_shot_prompt([], "otter") == "otter =>"  # zero-shot: the query alone


def test_templates_and_separators():
    prompt = few_shot_prompt([("cat", "chat")], "dog", template="English: {input}\nFrench: {output}",
                             separator="\n\n")
    assert prompt == "English: cat\nFrench: chat\n\nEnglish: dog\nFrench:"
    assert query_template("Q: {input} A: {output}") == "Q: {input} A:"
    assert answer_prefix("Q: {input} A: {output}") == " "
    # Braces in the texts are text, not fields.
    assert few_shot_prompt([("{output}", "{input}")], "{x}") == "{output} => {input}\n{x} =>"


@pytest.mark.parametrize("template", ["{input}", "{output} <= {input}", "{input} => {output}.", "{input} {input} {output}"])
def test_a_template_must_end_with_its_one_output(template):
    with pytest.raises(ValueError, match="template"):
        few_shot_prompt([], "x", template=template)


def test_stops():
    assert stops_for("\n") == ("\n",)
    assert stops_for(", ") == ("\n", ",")
    assert cut_at_stop(" merci\nhello => bonjour", ("\n",)) == " merci"
    assert cut_at_stop(" loutre, chat", ("\n", ",")) == " loutre"
    assert cut_at_stop(" loutre", ("\n",)) == " loutre"


def test_builtin_tasks_have_twenty_pairs_each():
    assert set(LECTURE_TASKS) <= set(BUILTIN_TASKS)
    for task in BUILTIN_TASKS.values():
        assert len(task) >= 20, task.name
        assert len(set(task.inputs)) == len(task), task.name
    assert ("otter", "loutre") in builtin_task("english-french").pairs  # the lecture's own example


def test_the_arithmetic_is_right():
    for question, answer in builtin_task("addition").pairs:
        left, right = question.split(" + ")
        assert 10 <= int(left) <= 99 and 10 <= int(right) <= 99
        assert int(left) + int(right) == int(answer), question


def test_the_sentiment_task_is_balanced_and_a_classification():
    task = builtin_task("sentiment")
    assert task.labels == ["positive", "negative"] and task.is_classification()
    assert task.outputs.count("positive") == task.outputs.count("negative")
    assert not builtin_task("capitals").is_classification()


def test_answers_are_compared_after_strip_and_lower():
    assert exact_match(" Merci ", "merci") and exact_match("Mexico  City", "mexico city")
    assert not exact_match("merci beaucoup", "merci")
    assert number_match(" 68", "68") and number_match("1,024", "1024") and not number_match("6 8", "68")
    assert builtin_task("addition").is_correct(" 68", "68")
    shouting = Task.from_pairs("exact", [("a", "A"), ("b", "B")], compare=lambda got, want: got.strip() == want)
    assert shouting.is_correct(" A", "A") and not shouting.is_correct(" a", "A")


def test_from_pairs_takes_lists_tuples_and_dicts():
    task = Task.from_pairs("colours", {"rouge": "red", "vert": "green"})
    assert task.pairs == (("rouge", "red"), ("vert", "green"))
    assert Task.from_pairs("x", [["a", "b"], ("c", "d")]).pairs == (("a", "b"), ("c", "d"))


# ------------------------------------------------------------------ bad input


def test_an_empty_task_says_so():
    with pytest.raises(ValueError, match="has no pairs"):
        Task.from_pairs("nothing", [])


def test_one_pair_is_not_enough():
    with pytest.raises(ValueError, match="one pair.*at least two"):
        Task.from_pairs("lonely", [("thanks", "merci")])


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("2 + 3", 5), ("1 + 1", "2")], r"int as its output.*write \('2 \+ 3', '5'\)"),
        ([(1, "one"), ("two", "2")], "int as its input"),
        ([("a", "b", "c"), ("d", "e")], "each pair must be"),
        (["ab", "cd"], "each pair must be"),
        ("thanks => merci", "must be a list"),
        (42, "must be a list"),
    ],
)
def test_pairs_must_be_strings(pairs, message):
    with pytest.raises(TypeError, match=message):
        Task.from_pairs("bad", pairs)


def test_empty_or_repeated_entries():
    with pytest.raises(ValueError, match="empty output"):
        Task.from_pairs("blank", [("a", " "), ("b", "c")])
    with pytest.raises(ValueError, match="repeats the input 'a'"):
        Task.from_pairs("twice", [("a", "b"), ("a", "c"), ("d", "e")])


def test_unknown_builtin_task_lists_the_names():
    with pytest.raises(ValueError, match="english-french"):
        builtin_task("klingon")


def test_emoji_and_other_scripts_are_ordinary_text():
    task = Task.from_pairs("emoji", [("🐱", "cat"), ("🐶", "dog"), ("日本", "Japan"), ("Ελλάδα", "Greece")])
    prompt = few_shot_prompt(task.pairs[:3], "Ελλάδα")
    assert prompt == "🐱 => cat\n🐶 => dog\n日本 => Japan\nΕλλάδα =>"
    assert exact_match(" ÉCOLE", "école")
