"""FineTuneDashboard: the training of several methods, its stop, its figure and table, and the view.

Tiny settings throughout (lecture-bert on the CPU, 16 labelled reviews, 2 to 4
steps), so the whole file takes well under a minute on one thread.
"""

from __future__ import annotations

import time

import pytest

from lecturekit.finetune.classifier import FineTuneHistory
from lecturekit.hub import load_model
from lecturekit.widgets import FineTuneDashboard
from lecturekit.widgets.finetune_dashboard_html import (
    cost_table_html,
    curves_figure,
    figure_png,
    status_html,
    summary_text,
)
from lecturekit.widgets.finetune_runs import MethodRun, run_methods, sentiment_examples

TINY = dict(n_examples=16, n_test=16, device="cpu")
HOSTILE = "<script>alert(1)</script><b>bold</b>"


@pytest.fixture(scope="module")
def bert():
    return load_model("lecture-bert", device="cpu")


@pytest.fixture(scope="module")
def examples():
    return sentiment_examples(16, 16)


@pytest.fixture(scope="module")
def two_methods(bert, examples):
    """linear_probe and lora for 3 steps, with every update the hook saw."""
    texts, labels, test = examples
    seen = []
    runs = run_methods(bert, ["linear_probe", "lora"], texts, labels, test, steps=3, eval_every=1, device="cpu",
                       on_update=lambda runs, current: seen.append((current.method, current.state,
                                                                    current.steps_done)))
    return runs, seen


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


# ------------------------------------------------------------------- data and training


def test_examples_are_seen_word_reviews_and_a_separate_held_out_set(examples):
    texts, labels, (test_texts, test_labels) = examples
    assert len(texts) == len(labels) == 16 and len(test_texts) == len(test_labels) == 16
    assert sorted(set(labels)) == ["negative", "positive"] and labels.count("positive") == 8
    assert not set(texts) & set(test_texts)
    with pytest.raises(ValueError, match="at least 2"):
        sentiment_examples(1, 16)


def test_two_methods_fill_two_rows_with_their_costs(bert, two_methods):
    runs, _ = two_methods
    assert [(r.method, r.state) for r in runs] == [("linear_probe", "done"), ("lora", "done")]
    probe, lora = runs
    width = bert.module.config.d_model
    assert probe.trainable == 2 * width + 2  # the classifier on top and nothing else
    assert probe.trainable < lora.trainable < lora.total
    for run in runs:
        assert run.history.eval_step == [0, 1, 2, 3] and run.steps_done == 3
        assert run.accuracy == run.history.accuracy[-1] and 0 <= run.accuracy <= 1
        assert run.history.evaluated_on == "validation set"  # scored on the held-out reviews
        assert run.seconds_per_step > 0 and run.optimizer_bytes > 0
    assert probe.optimizer_bytes < lora.optimizer_bytes  # AdamW keeps two moments per trainable number
    html = cost_table_html(runs)
    assert html.count("class='lk-cost-row' data-state='done'") == 2
    assert f"{lora.trainable:,}" in html and f"{lora.accuracy:.0%}" in html


def test_the_hook_sees_each_evaluation_and_each_finish(two_methods):
    _, seen = two_methods
    probe = [step for method, state, step in seen if method == "linear_probe" and state == "running"]
    assert probe[0] == 0 and probe[-1] == 3  # the step-0 evaluation, then every step
    assert ("linear_probe", "done", 3) in seen and seen[-1] == ("lora", "done", 3)


def test_one_figure_with_a_curve_per_method(two_methods):
    runs, _ = two_methods
    figure = curves_figure({r.method: r.history for r in runs}, notes={"lora": "stopped"}, chance=0.5)
    loss_axis, accuracy_axis = figure.axes
    assert len(figure.axes) == 2
    assert [t.get_text() for t in accuracy_axis.get_legend().get_texts()] == [
        "linear_probe", "lora (stopped)", "chance"]
    assert len(loss_axis.lines) == 4  # training-batch and held-out loss for each method
    assert list(accuracy_axis.lines[1].get_ydata()) == runs[1].history.accuracy
    assert figure_png(figure).startswith(b"\x89PNG")


def test_stop_ends_the_current_run_and_skips_the_rest(bert, examples):
    texts, labels, test = examples
    calls = []
    runs = run_methods(bert, ["full", "lora"], texts, labels, test, steps=4, eval_every=1, device="cpu",
                       measure=False, on_update=lambda runs, current: calls.append(current),
                       should_stop=lambda: len(calls) >= 3)  # after the evaluations at steps 0 and 1
    assert [r.state for r in runs] == ["stopped", "not run"]
    assert runs[0].steps_done == 1 and runs[0].history.eval_step == [0, 1]
    assert runs[0].state_text() == "stopped after 1 of 4 steps"
    assert runs[1].history is None
    assert summary_text(runs).startswith("Stopped after 1 steps of full.")
    assert "stopped after 1 of 4 steps" in cost_table_html(runs)


def test_a_method_that_does_not_apply_is_named_and_the_others_still_run(examples):
    texts, labels, test = examples
    t5 = load_model("lecture-t5", device="cpu")
    runs = run_methods(t5, ["prompt_tuning", "linear_probe"], texts, labels, test, steps=2, device="cpu",
                       measure=False)
    assert [r.state for r in runs] == ["not applicable", "done"]
    assert "encoder-decoder" in runs[0].message
    summary = summary_text(runs)
    assert "prompt_tuning does not apply" in summary and "Best held-out accuracy: linear_probe" in summary


def test_a_hostile_method_name_is_refused_and_escaped(bert, examples):
    texts, labels, test = examples
    runs = run_methods(bert, [HOSTILE], texts, labels, test, steps=2, device="cpu")
    assert runs[0].state == "not applicable" and "Unknown method" in runs[0].message
    html = cost_table_html([*runs, MethodRun("lora", 2, state="failed", message=f"boom {HOSTILE}")])
    assert "<script>" not in html and "<b>bold" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3  # method cell, its note, the failure
    status = status_html(HOSTILE, "error")
    assert "<script>" not in status and "&lt;b&gt;bold&lt;/b&gt;" in status


# ------------------------------------------------------------------- the view


def test_the_view_trains_two_methods_in_a_thread_that_finishes(bert):
    view = FineTuneDashboard(bert, methods=("linear_probe", "lora"), steps=2, **TINY)
    assert view.model_choice.value == "(the model passed in)" and "lecture-bert (passed in)" in view.model_choice.label
    assert view.chosen_methods() == ["linear_probe", "lora"] and len(view.method_boxes) == 6
    thread = view.run()
    assert thread is not None and view.run_button.disabled and not view.stop_button.disabled
    assert view.wait(timeout=60) and not thread.is_alive()
    assert [r.state for r in view.runs] == ["done", "done"]
    assert view.status_text.startswith("Done: 2 methods trained for 2 steps.")
    assert not view.running and not view.run_button.disabled and view.stop_button.disabled
    assert bytes(view.figure.value).startswith(b"\x89PNG")
    static = view.static_html()
    assert static.count("data-state='done'") == 2 and "Done: 2 methods" in static and "data:image/png" in static


def test_stop_in_the_view_ends_the_thread_and_marks_the_row(bert):
    view = FineTuneDashboard(bert, methods=("full", "lora"), steps=200, eval_every=1, measure=False, **TINY)
    view.run()
    wait_until(lambda: view.runs[0].steps_done >= 1)
    assert view.run() is None and "Already training" in view.status_text  # a second Run is refused
    view.stop()
    assert view.wait(timeout=30), "the training thread did not end after Stop"
    first, second = view.runs
    assert first.state == "stopped" and 1 <= first.steps_done < 200 and second.state == "not run"
    assert f"Stopped after {first.steps_done} steps of full." in view.status_text
    assert "Already training" not in view.status_text
    assert "data-state='stopped'" in view.table.value
    assert not view.run_button.disabled and view.stop_button.disabled


def test_no_method_ticked_is_a_message_and_nothing_runs(bert):
    view = FineTuneDashboard(bert, methods=("lora",), steps=2, **TINY)
    view.method_boxes["lora"].value = False
    assert view.run() is None
    assert view._thread is None and view.runs == [] and not view.running
    assert "No method is ticked" in view.status_text and "lk-status-error" in view.status.value


def test_an_error_inside_training_is_shown_escaped_and_the_others_run(bert):
    view = FineTuneDashboard(bert, methods=("linear_probe", "lora"), steps=2, measure=False,
                             method_options={"lora": {HOSTILE: 1}}, **TINY)
    view.run()
    assert view.wait(timeout=60)
    assert [r.state for r in view.runs] == ["done", "failed"]
    assert "lora failed: TypeError" in view.status_text and HOSTILE in view.status_text
    for html in (view.status.value, view.table.value, view.static_html()):
        assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Traceback" not in view.static_html()


def test_a_model_that_cannot_load_is_a_message(monkeypatch):
    view = FineTuneDashboard("lecture-gpt", methods=("lora",), steps=2, **TINY)
    assert view.model_choice.value == "lecture-gpt"

    def broken(*args, **kwargs):
        raise OSError(f"no checkpoint {HOSTILE}")

    monkeypatch.setattr("lecturekit.hub.load_model", broken)
    view.run()
    assert view.wait(timeout=30)
    assert view.status_text.startswith("Could not train: OSError: no checkpoint")
    assert "<script>" not in view.status.value and not view.running


def test_the_static_picture_before_a_run_says_what_to_do():
    view = FineTuneDashboard(methods=("full",), **TINY)
    assert view.model_choice.value == "lecture-bert"
    assert "Tick the methods to compare and press Run." in view.status.value
    static = view.static_html()
    assert static.count("Tick the methods to compare and press Run.") == 2  # the status and the empty table
    assert "lk-cost-table" in static
    assert view._repr_mimebundle_()["text/html"] == static
    with pytest.raises(ValueError, match="Unknown method"):
        FineTuneDashboard(methods=("adapters",))


def test_an_empty_history_still_draws():
    figure = curves_figure({"full": FineTuneHistory()})
    assert figure_png(figure).startswith(b"\x89PNG")
