"""PromptLab: the pure functions (typed pairs, shuffling, label corruption, the exact prompt, the
answers and the curve) against the library they stand on, and the thin view on a tiny GPT-2."""

from __future__ import annotations

import pytest

from lecturekit.hub import NotSupportedError, load_model
from lecturekit.hub.tiny import save_tiny_model
from lecturekit.prompting import Task, accuracy_vs_k, builtin_task, few_shot_prompt
from lecturekit.prompting.evaluation import draw_demonstrations, query_indices
from lecturekit.widgets.prompt_lab import TYPED, PromptLab
from lecturekit.widgets.prompt_lab_html import arrange, corrupt, lab_html, parse_pairs, run_lab


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    return {kind: save_tiny_model(kind, root / kind) for kind in ("gpt2", "bert-mlm")}


@pytest.fixture(scope="module")
def tiny(folders):
    return load_model(f"hf:{folders['gpt2']}", device="cpu")


def test_typed_pairs():
    assert parse_pairs("thanks => merci\n\n hello=>bonjour \nx => a => b") == [
        ("thanks", "merci"), ("hello", "bonjour"), ("x", "a => b")]
    with pytest.raises(ValueError, match="Line 2 .* has no '=>'"):
        parse_pairs("a => b\nno arrow")
    with pytest.raises(TypeError, match="must be text"):
        parse_pairs(["a => b"])


def test_corruption_replaces_that_share_of_the_labels():
    task = builtin_task("antonyms")
    shown = list(task.pairs[:8])
    assert corrupt(task, shown, 0.0, seed=0) == shown
    half = corrupt(task, shown, 0.5, seed=0)
    assert [a for a, _ in half] == [a for a, _ in shown]
    assert sum(x != y for x, y in zip(half, shown, strict=True)) == 4  # other pairs' outputs, never the right one
    assert all(o != right for (_, o), (_, right) in zip(corrupt(task, shown, 1.0, 0), shown, strict=True))
    with pytest.raises(ValueError, match="from 0 to 1"):
        corrupt(task, shown, 1.5, 0)


def test_shuffle_reorders_the_same_demonstrations():
    task = builtin_task("capitals")
    queries = query_indices(task, 5)
    drawn = [task.pairs[i] for i in draw_demonstrations(task, queries, 6, 0)]
    shuffled = arrange(task, queries, 6, 0, shuffle=True, corruption=0.0)
    assert sorted(shuffled) == sorted(drawn) and shuffled != drawn
    assert arrange(task, queries, 6, 0, shuffle=False, corruption=0.0) == drawn


def test_the_lab_shows_the_exact_prompt_and_the_curve_of_accuracy_vs_k(tiny):
    task = builtin_task("plurals")
    result = run_lab(tiny, task, k=2, items=4, curve_ks=(0, 1, 2))
    shown = [task.pairs[i] for i in draw_demonstrations(task, query_indices(task, 4), 2, 0)]
    assert result.prompt == few_shot_prompt(shown, task.pairs[0][0])
    table = accuracy_vs_k(tiny, task, ks=(0, 1, 2), items=4)  # without shuffle or corruption: the library's curve
    assert [p["accuracy"] for p in result.curve] == table.accuracy.tolist()
    assert [r["answer"] for r in result.rows] == list(table.answers.iloc[2])


def test_user_text_is_escaped(tiny):
    task = Task.from_pairs("html", [("<b>bold</b>", "<i>x</i>"), ("<script>alert(1)</script>", "y"), ("😀", "smile"),
                                    ("日本", "Japan")])
    html = lab_html(run_lab(tiny, task, k=1, items=2, curve_ks=(0, 1)))
    assert "<script>" not in html and "<b>bold" not in html and "&lt;script&gt;" in html and "😀" in html


def test_the_view_runs_typed_pairs_and_says_what_is_wrong(tiny):
    lab = PromptLab(tiny, task="antonyms", k=2, items=3)
    assert "lk-answer-row" in lab.view.value and "lk-curve" in lab.view.value
    lab.task_box.value = TYPED
    assert lab.pairs_box.layout.display is None
    lab.pairs_box.value = "one => un"
    lab.update()
    assert "lk-error" in lab.view.value and "one pair" in lab.view.value
    lab.pairs_box.value = "one => un\ntwo => deux\nthree => trois"
    lab.k_box.value = 3
    lab.update()
    assert "lk-error" in lab.view.value and "k=3" in lab.view.value
    lab.k_box.value = 1
    lab.update()
    # items = 3 pairs - k: "one" and "two" are asked, "three => trois" is shown
    assert "three =&gt; trois\none =&gt;</pre>" in lab.view.value and lab.view.value.count("lk-answer-row") == 2


def test_a_masked_lm_is_refused_with_the_hubs_message(folders):
    with pytest.raises(NotSupportedError, match="generate"):
        PromptLab(load_model(f"hf:{folders['bert-mlm']}", device="cpu"))


def test_drawing_the_curve_leaves_the_notebooks_plotting_backend_alone(tiny):
    # It once switched matplotlib to Agg, and every later plt.show() in notebook 07 drew nothing.
    import matplotlib

    before = matplotlib.get_backend()
    matplotlib.use("svg")  # stands for the notebook's inline backend
    try:
        result = run_lab(tiny, builtin_task("plurals"), k=1, items=2, curve_ks=(0, 1))
        assert "data:image/png;base64," in lab_html(result)
        assert matplotlib.get_backend() == "svg"
    finally:
        matplotlib.use(before)
