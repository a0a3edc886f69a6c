"""Accuracy versus k: the batched, prefix-sharing answers equal one-prompt-at-a-time generation.

The reference is the plain loop a reader would write, ``model.generate(prompt,
temperature=0)`` cut at the end of the line, on three kinds of decoder: a tiny
random GPT-2 (Hugging Face, with a KV cache), SmolLM2 (a real Llama-architecture
decoder) and lecture-gpt (the project's own GPT, without a cache). The Wilson
interval is checked against scipy and Newcombe (1998), Table I.
"""

from __future__ import annotations

import pytest

from lecturekit.hub import NotSupportedError, load_model
from lecturekit.hub.errors import InputError
from lecturekit.hub.tiny import save_tiny_model
from lecturekit.prompting import (
    Task,
    accuracy_vs_k,
    answers_vs_k,
    builtin_task,
    few_shot_prompt,
    greedy_answers,
    plain_answers,
    summarise,
    wilson_interval,
)
from lecturekit.prompting.evaluation import draw_demonstrations, query_indices
from lecturekit.prompting.prompts import cut_at_stop, stops_for

WORLD = Task.from_pairs("world", [
    ("Iroh", "tea"), ("Mara", "bread"), ("Tom", "apples"), ("Lena", "soup"), ("Omar", "rice"),
    ("Ada", "cheese"), ("Sam", "fish"), ("Ivy", "cake"), ("Noor", "milk"), ("Kai", "plums"),
    ("Zoe", "eggs"), ("Ravi", "honey"),
])
EMOJI = Task.from_pairs("emoji", [
    ("🐱", "cat"), ("🐶", "dog"), ("🐟", "fish"), ("🐦", "bird"), ("🐴", "horse"), ("🐮", "cow"),
    ("日本", "Japan"), ("Ελλάδα", "Greece"), ("Россия", "Russia"), ("मिस्र", "Egypt"), ("café ☕", "coffee"),
])


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    return {kind: save_tiny_model(kind, root / kind) for kind in ("gpt2", "bert-mlm")}


@pytest.fixture(scope="module")
def tiny(folders):
    return load_model(f"hf:{folders['gpt2']}", device="cpu")


@pytest.fixture(scope="module")
def smollm2():
    return load_model("smollm2-135m", device="cpu")


@pytest.fixture(scope="module")
def lecture_gpt():
    return load_model("lecture-gpt", device="cpu")


def curve_prompts(task, ks, items, seeds):
    queries = query_indices(task, items)
    for seed in seeds:
        for k in ks:
            shown = [task.pairs[i] for i in draw_demonstrations(task, queries, k, seed)]
            yield [few_shot_prompt(shown, task.pairs[i][0], task.template, task.separator) for i in queries]


def assert_same_as_generate(model, task, ks, items=6, seeds=(0,), max_new_tokens=8, also_plain=True):
    stops = stops_for(task.separator)
    for prompts in curve_prompts(task, ks, items, seeds):
        expected = [cut_at_stop(model.generate(p, max_new_tokens, temperature=0.0), stops) for p in prompts]
        assert greedy_answers(model, prompts, max_new_tokens, stops) == expected
        if also_plain:  # the reference loop of the benchmark: stream, stop at the newline
            assert plain_answers(model, prompts, max_new_tokens, stops) == expected


# --------------------------------------------------------- identical answers


def test_tiny_gpt2_batched_answers_equal_generate(tiny):
    assert_same_as_generate(tiny, WORLD, ks=(0, 1, 2, 4), items=7, seeds=(0, 1))
    assert_same_as_generate(tiny, EMOJI, ks=(0, 2), items=5)


def test_lecture_gpt_without_a_cache_gives_the_same_answers(lecture_gpt):
    assert not lecture_gpt._uses_cache  # the batching path, with no prefix cache
    assert_same_as_generate(lecture_gpt, WORLD, ks=(0, 2, 4), items=6)
    assert_same_as_generate(lecture_gpt, builtin_task("capitals"), ks=(0, 4), items=5)


@pytest.mark.slow  # ~25 s on a busy CPU: SmolLM2 answers every prompt twice, batched and one by one
def test_smollm2_batched_answers_equal_generate(smollm2):
    for name in ("antonyms", "addition", "english-french"):
        assert_same_as_generate(smollm2, builtin_task(name), ks=(0, 8), items=5, also_plain=False)
    assert_same_as_generate(smollm2, EMOJI, ks=(4,), items=4, also_plain=False)


def test_rows_near_the_end_of_the_context_stop_where_generate_stops(tiny):
    # The tiny model reads 64 tokens: these prompts leave room for 0 to a few new tokens each.
    prefix = "one two three four five six seven eight nine ten " * 3
    prompts = [prefix + tail for tail in ("cat", "the cat sat", "the cat sat on the mat", "I record a song")]
    lengths = [len(tiny.tokenizer.encode(p).ids) for p in prompts]
    assert max(lengths) == 64 and 64 - min(lengths) < 8  # from 6 new tokens down to none
    expected = [cut_at_stop(tiny.generate(p, 8, temperature=0.0), ("\n",)) for p in prompts]
    assert greedy_answers(tiny, prompts, 8) == expected


def test_the_curve_tables_agree_batched_or_not(tiny):
    batched = answers_vs_k(tiny, WORLD, ks=(0, 1, 3), items=5, seeds=(0, 1))
    plain = answers_vs_k(tiny, WORLD, ks=(0, 1, 3), items=5, seeds=(0, 1), batched=False)
    assert batched.equals(plain)


# --------------------------------------------------------------- the curve


def test_accuracy_vs_k_table(smollm2):
    curve = accuracy_vs_k(smollm2, "antonyms", ks=(0, 4), items=6, seeds=(0, 1))
    assert list(curve.columns[:10]) == ["task", "k", "seed", "items", "correct", "accuracy", "ci_low", "ci_high",
                                        "answers", "shown"]
    assert list(zip(curve.k, curve.seed, strict=True)) == [(0, 0), (4, 0), (0, 1), (4, 1)]
    assert (curve["items"] == 6).all() and all(len(a) == 6 for a in curve.answers)
    for row in curve.itertuples():
        assert (row.ci_low, row.ci_high) == pytest.approx(wilson_interval(row.correct, 6))
        assert row.ci_low <= row.accuracy <= row.ci_high
    # Four antonyms in front define the task; with none, "hot =>" is no task at all.
    assert curve[curve.k == 4].accuracy.mean() > curve[curve.k == 0].accuracy.mean()


def test_summarise_the_answers_gives_the_curve(tiny):
    answers = answers_vs_k(tiny, WORLD, ks=(0, 2), items=4)
    assert list(answers.columns) == ["task", "k", "seed", "item", "input", "expected", "answer", "correct",
                                     "shown", "dropped", "note"]
    assert summarise(answers).equals(accuracy_vs_k(tiny, WORLD, ks=(0, 2), items=4))


def test_demonstrations_never_include_a_query_and_are_nested():
    task = builtin_task("capitals")
    queries = query_indices(task, 10)
    eight = draw_demonstrations(task, queries, 8, seed=3)
    assert not set(eight) & set(queries) and len(set(eight)) == 8
    assert draw_demonstrations(task, queries, 4, seed=3) == eight[:4]
    assert draw_demonstrations(task, queries, 8, seed=4) != eight
    assert query_indices(task, ["Japan", 0]) == [5, 0]


def test_wilson_interval_matches_scipy_and_newcombe():
    # Newcombe (1998), Table I, method 3 (score interval without continuity correction).
    for (correct, total), (low, high) in {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605),
                                          (0, 20): (0.0, 0.1611), (1, 29): (0.0061, 0.1718),
                                          (29, 29): (0.8830, 1.0)}.items():
        assert wilson_interval(correct, total) == pytest.approx((low, high), abs=5e-5)
    stats = pytest.importorskip("scipy.stats")
    for correct, total in [(0, 5), (3, 10), (7, 7), (12, 30)]:
        reference = stats.binomtest(correct, total).proportion_ci(method="wilson")
        assert wilson_interval(correct, total) == pytest.approx((reference.low, reference.high), abs=1e-9)


# --------------------------------------------------------------- bad input


def test_k_larger_than_the_demonstrations_available(tiny):
    with pytest.raises(ValueError, match="k=8 needs 8 demonstrations.*12 pairs and 6 are being asked.*leaves 6"):
        accuracy_vs_k(tiny, WORLD, ks=(0, 8), items=6)
    with pytest.raises(ValueError, match="at least one must stay"):
        accuracy_vs_k(tiny, WORLD, ks=(0,), items=12)


def test_a_prompt_longer_than_the_context_drops_the_oldest_demonstrations(tiny):
    # The tiny model reads 64 tokens; eight additions with their answers are longer.
    answers = answers_vs_k(tiny, "addition", ks=(1, 8), items=4, max_new_tokens=8)
    long = answers[answers.k == 8]
    assert (answers[answers.k == 1].dropped == 0).all()
    assert (long.dropped > 0).all() and (long.shown == 8 - long.dropped).all()
    note = long.note.iloc[0]
    assert "over the 64 tokens" in note and f"dropped the {long.dropped.iloc[0]} oldest" in note
    curve = summarise(answers)
    assert curve[curve.k == 8].note.iloc[0] == note
    assert answers.equals(answers_vs_k(tiny, "addition", ks=(1, 8), items=4, batched=False))


def test_a_query_that_never_fits_says_by_how_much(tiny):
    task = Task.from_pairs("long", [("word " * 80, "x"), ("short", "y"), ("tiny", "z")])
    with pytest.raises(InputError, match=r"Even with no demonstrations.*tokens over the 64 tokens|over the 64"):
        accuracy_vs_k(tiny, task, ks=(0,), items=1)


def test_a_masked_lm_gets_the_hubs_clear_error(folders):
    bert = load_model(f"hf:{folders['bert-mlm']}", device="cpu")
    with pytest.raises(NotSupportedError, match="masked LM.*has no generate.*smollm2-135m"):
        accuracy_vs_k(bert, WORLD, ks=(0, 1), items=2)
    with pytest.raises(NotSupportedError, match="has no generate"):
        greedy_answers(bert, ["a =>"])


def test_emoji_and_other_scripts_in_prompts(smollm2, lecture_gpt):
    curve = accuracy_vs_k(smollm2, EMOJI, ks=(0, 4), items=5)
    assert len(curve) == 2 and all(isinstance(a, str) for a in curve.answers.iloc[1])
    # lecture-gpt's vocabulary has no emoji: it reads [UNK] tokens, and still answers.
    answers = answers_vs_k(lecture_gpt, EMOJI, ks=(2,), items=3)
    assert len(answers) == 3 and answers.answer.map(lambda a: isinstance(a, str)).all()


def test_bad_ks_and_items(tiny):
    with pytest.raises(ValueError, match="k must be a whole number"):
        accuracy_vs_k(tiny, WORLD, ks=(-1,), items=2)
    with pytest.raises(ValueError, match="neither an input"):
        accuracy_vs_k(tiny, WORLD, ks=(0,), items=["nobody"])
    with pytest.raises(TypeError, match="Task or the name"):
        accuracy_vs_k(tiny, [("a", "b")], ks=(0,), items=1)
