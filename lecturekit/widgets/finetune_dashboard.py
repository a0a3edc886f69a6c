"""FineTuneDashboard: several fine-tuning methods on the same examples, curves and costs side by side.

Tick some methods (full, linear_probe, top_layers, prompt_tuning, prefix_tuning,
lora; LECTURE.md §4, §6), pick a model and how many labelled reviews to learn from,
and press Run. Every method trains with ``lecturekit.finetune.train_classifier``
on the same examples, seed and number of steps, one after another; their loss and
held-out accuracy grow in one figure while they train, and a table fills in with
what each one cost: trainable parameters, time per step, optimizer memory.

The task is the lecture world's sentiment transfer: reviews written with *seen*
sentiment words to train on, reviews written with *held-out* words to test on
(``lecturekit.finetune.experiments.common.sentiment_task``), so the accuracy says
how much of what pretraining knew about the held-out words each method kept.

Training runs in a background thread, so the kernel stays free and Stop can be
pressed: the next evaluation sees the flag and ends that run cleanly.

The parts without a view are pure functions (unit-tested): ``finetune_runs.run_methods`` (the
training, with ``on_update`` and
``should_stop`` hooks) and ``sentiment_examples``; ``finetune_dashboard_html``: ``curves_figure``,
``figure_png``, ``cost_table_html``, ``summary_text`` and ``status_html``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from ..finetune.methods import METHODS
from .base import LectureWidget
from .finetune_dashboard_html import (
    HINT,
    cost_table_html,
    curves_figure,
    figure_png,
    status_html,
    summary_text,
)
from .finetune_runs import (
    MethodRun,
    _error_text,
    run_methods,
    sentiment_examples,
)

MODELS = ("lecture-bert", "lecture-gpt")
EXAMPLE_COUNTS = (16, 64, 256)
GIVEN = "(the model passed in)"  # the dropdown's key for a model object given to the view
REDRAW_SECONDS = 1.0  # the view redraws the figure at most this often while a method trains


class FineTuneDashboard(LectureWidget):
    """Methods, model, examples and steps in; live curves of every method and a cost table out."""

    def __init__(self, model=None, methods: Sequence[str] = ("full", "linear_probe", "lora"),
                 n_examples: int = 64, steps: int = 40, *, n_test: int = 128, batch_size: int = 16,
                 seed: int = 0, eval_every: int | None = None, device=None, measure: bool = True,
                 method_options: Mapping[str, dict] | None = None):
        unknown = [m for m in methods if m not in METHODS]
        if unknown:
            raise ValueError(f"Unknown method {unknown[0]!r}; choose from {', '.join(METHODS)}.")
        self.n_test, self.batch_size, self.seed = n_test, batch_size, seed
        self.eval_every, self.device, self.measure = eval_every, device, measure
        self.method_options = dict(method_options or {})
        self._models: dict[str, object] = {}
        options = [(name, name) for name in MODELS]
        chosen = "lecture-bert"
        if isinstance(model, str):
            if model not in MODELS:
                options.append((model, model))
            chosen = model
        elif model is not None:
            self._models[GIVEN] = model
            options.insert(0, (f"{getattr(model, 'name', 'model')} (passed in)", GIVEN))
            chosen = GIVEN
        self.runs: list[MethodRun] = []
        self.running = False
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.RLock()
        self._status_text, self._status_tone, self._notice = HINT, "info", ""
        self._last_draw = 0.0
        self._png = b""

        self.method_boxes = {
            m: widgets.Checkbox(value=m in methods, description=m, indent=False,
                                layout=widgets.Layout(width="auto", margin="0 16px 0 0"))
            for m in METHODS
        }
        self.model_choice = widgets.Dropdown(options=options, value=chosen, description="model",
                                             layout=widgets.Layout(width="20em", margin="2px 24px 2px 0"))
        counts = sorted({*EXAMPLE_COUNTS, n_examples})
        self.examples = widgets.Dropdown(options=counts, value=n_examples, description="labelled examples",
                                         layout=widgets.Layout(width="16em"))
        self.steps = widgets.IntSlider(value=steps, min=1, max=max(200, steps), description="steps",
                                       continuous_update=False)
        self.run_button = widgets.Button(description="Run", icon="play", button_style="primary",
                                         tooltip="train every ticked method, one after another")
        self.stop_button = widgets.Button(description="Stop", icon="stop", disabled=True,
                                          tooltip="end the current run at its next evaluation")
        self.status = widgets.HTML()
        self.figure = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.table = widgets.HTML()
        self.run_button.on_click(lambda _: self.run())
        self.stop_button.on_click(lambda _: self.stop())
        method_row = widgets.HBox([widgets.Label("methods:", layout=widgets.Layout(margin="0 12px 0 0")),
                                   *self.method_boxes.values()], layout=widgets.Layout(flex_flow="row wrap"))
        settings_row = widgets.HBox([self.model_choice, self.examples],
                                    layout=widgets.Layout(flex_flow="row wrap"))
        buttons = widgets.HBox([self.run_button, self.stop_button])
        super().__init__([method_row, settings_row, self.steps, buttons, self.status, self.figure, self.table],
                         layout=widgets.Layout(width="100%"))
        self.add_class("lk-finetune-dashboard")
        self.run_button.add_class("lk-run")
        self.stop_button.add_class("lk-stop")
        self._render_status()
        self._draw(force=True)

    # -- what is chosen

    def chosen_methods(self) -> list[str]:
        return [m for m, box in self.method_boxes.items() if box.value]

    def _model(self):
        key = self.model_choice.value
        if key not in self._models:
            from ..hub import load_model

            self._set_status(f"Loading {key} …", "busy")
            self._models[key] = load_model(key, device=self.device)
        return self._models[key]

    # -- actions

    def run(self) -> threading.Thread | None:
        """Start training the ticked methods in a background thread (returned); None if refused."""
        with self._lock:
            if self.running:
                self._notice = "Already training: press Stop, or wait for this run to finish."
                self._render_status()
                return None
            methods = self.chosen_methods()
            if not methods:
                self._notice = ""
                self._set_status("No method is ticked: tick at least one method, then press Run.", "error")
                return None
            self._notice = ""
            self._stop.clear()
            self.running = True
            self.run_button.disabled, self.stop_button.disabled = True, False
            self.runs = [MethodRun(m, self.steps.value) for m in methods]
            settings = dict(methods=methods, n_examples=self.examples.value, steps=self.steps.value)
            self._set_status(f"Starting: {', '.join(methods)} …", "busy")
            self._draw(force=True)
            self._thread = threading.Thread(target=self._work, kwargs=settings, daemon=True,
                                            name="lecturekit-finetune-dashboard")
            self._thread.start()
            return self._thread

    def stop(self) -> None:
        """Ask the current run to end at its next evaluation."""
        if self.running:
            self._stop.set()
            self.stop_button.disabled = True
            self._set_status("Stopping at the next evaluation …", "busy")

    def wait(self, timeout: float | None = None) -> bool:
        """Join the training thread; True when it has finished."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    # -- the background thread

    def _work(self, methods: list[str], n_examples: int, steps: int) -> None:
        tone = "info"
        try:
            model = self._model()
            texts, labels, test = sentiment_examples(n_examples, self.n_test)
            if self._stop.is_set():
                self.runs = [MethodRun(m, steps, state="not run") for m in methods]
                text = "Stopped before training started."
            else:
                self.runs = run_methods(
                    model, methods, texts, labels, test, steps, batch_size=self.batch_size, seed=self.seed,
                    eval_every=self.eval_every, device=self.device, measure=self.measure,
                    method_options=self.method_options, on_update=self._on_update,
                    should_stop=self._stop.is_set)
                text = summary_text(self.runs)
                if any(r.state in ("failed", "not applicable") for r in self.runs):
                    tone = "error"
        except Exception as error:  # loading the model or the data failed: say so, no traceback
            text, tone = f"Could not train: {_error_text(error)}", "error"
        with self._lock:
            self.running = False
            self._notice = ""
            self._draw(force=True)
            self._set_status(text, tone)
            self.run_button.disabled, self.stop_button.disabled = False, True

    def _on_update(self, runs: list[MethodRun], current: MethodRun | None) -> None:
        self.runs = runs
        if current is not None and current.state == "running" and not self._stop.is_set():
            position = runs.index(current) + 1
            accuracy = f" · held-out accuracy {current.accuracy:.0%}" if current.accuracy is not None else ""
            self._set_status(f"Training {current.method} ({position} of {len(runs)}): step "
                             f"{current.steps_done} of {current.steps}{accuracy}", "busy")
        self._draw(force=current is None or current.state != "running")

    # -- drawing

    def _draw(self, force: bool = False) -> None:
        """Redraw the table, and the figure unless it was drawn less than REDRAW_SECONDS ago."""
        self.table.value = cost_table_html(self.runs)
        now = time.perf_counter()
        if force or now - self._last_draw >= REDRAW_SECONDS:
            histories = {r.method: r.history for r in self.runs if r.history is not None}
            notes = {r.method: "stopped" for r in self.runs if r.state == "stopped"}
            self._png = figure_png(curves_figure(histories, notes=notes, chance=0.5))
            self.figure.value = self._png
            self._last_draw = time.perf_counter()

    def _set_status(self, text: str, tone: str = "info") -> None:
        with self._lock:
            self._status_text, self._status_tone = text, tone
            self._render_status()

    def _render_status(self) -> None:
        html = status_html(self._status_text, self._status_tone)
        if self._notice:
            html += status_html(self._notice, "error")
        self.status.value = html

    @property
    def status_text(self) -> str:
        """The status line as plain text (the notice, if any, after it)."""
        return " ".join(t for t in (self._status_text, self._notice) if t)

    def static_html(self) -> str:
        import base64

        picture = ""
        if self._png:
            data = base64.b64encode(self._png).decode("ascii")
            picture = f"<img style='max-width:100%' src='data:image/png;base64,{data}'/>"
        return (f"<div class='lk-finetune-dashboard-static'>{self.status.value}{picture}"
                f"{cost_table_html(self.runs)}</div>")
