"""PromptLab: build a few-shot prompt and watch what the model does with it (LECTURE.md §6).

Pick a built-in task or type your own pairs ("input => output", one per line),
choose k, the template, whether to shuffle the demonstrations and how many of
their labels to corrupt, then press Run: the exact prompt, each item's answer
with ✓/✗, and the accuracy-vs-k curve for the same settings. Works with any
causal LM from ``load_model``. The logic is in ``prompt_lab_html``; this view
only wires the controls to it.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..hub.kinds import require
from ..prompting.tasks import BUILTIN_TASKS, Task
from .base import LectureWidget, model_note_html
from .prompt_lab_html import error_html, lab_html, parse_pairs, run_lab

TYPED = "(type your own pairs)"
EXAMPLE_PAIRS = "thanks => merci\nhello => bonjour\ncat => chat\ndog => chien\nhouse => maison\nwater => eau"


class PromptLab(LectureWidget):
    """Few-shot prompting, live: ``PromptLab(load_model("smollm2-135m"))``."""

    def __init__(self, model, task: str = "antonyms", k: int = 4, items: int = 6, run: bool = True):
        require("generate", model.name, model.kind)  # a masked LM stops here with the hub's message
        self.model = model
        self.items = items
        self.task_box = widgets.Dropdown(options=[*BUILTIN_TASKS, TYPED], value=task, description="task")
        self.pairs_box = widgets.Textarea(value=EXAMPLE_PAIRS, description="pairs",
                                          layout=widgets.Layout(width="420px", height="110px"))
        self.k_box = widgets.IntSlider(value=k, min=0, max=8, description="k")
        self.template_box = widgets.Text(value=BUILTIN_TASKS[task].template, description="template")
        self.shuffle_box = widgets.Checkbox(value=False, description="shuffle demonstrations")
        self.corruption_box = widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.25,
                                                  description="wrong labels")
        self.run_button = widgets.Button(description="Run", button_style="primary")
        self.view = widgets.HTML()
        self.view.add_class("lk-prompt-lab-view")
        self.task_box.observe(lambda change: self._task_changed(), names="value")
        self.run_button.on_click(lambda _: self.update())
        controls = widgets.VBox([self.task_box, self.pairs_box, self.template_box, self.k_box, self.shuffle_box,
                                 self.corruption_box, self.run_button])
        super().__init__([widgets.HTML(model_note_html(model)), controls, self.view])
        self.add_class("lk-prompt-lab")
        self._task_changed()
        if run:
            self.update()

    def _task_changed(self) -> None:
        typed = self.task_box.value == TYPED
        self.pairs_box.layout.display = None if typed else "none"
        if not typed:
            self.template_box.value = BUILTIN_TASKS[self.task_box.value].template

    def task(self) -> Task:
        if self.task_box.value == TYPED:
            return Task.from_pairs("your pairs", parse_pairs(self.pairs_box.value))
        return BUILTIN_TASKS[self.task_box.value]

    def update(self) -> None:
        self.run_button.disabled = True
        try:
            task = self.task()
            result = run_lab(self.model, task, self.k_box.value, max(1, min(self.items, len(task) - self.k_box.value)), 0,
                             self.shuffle_box.value, self.corruption_box.value, self.template_box.value)
            self.view.value = lab_html(result)
        except (ValueError, TypeError) as error:  # bad pairs, k too large, a broken template: say why
            self.view.value = error_html(error)
        finally:
            self.run_button.disabled = False

    def static_html(self) -> str:
        return self.view.value
