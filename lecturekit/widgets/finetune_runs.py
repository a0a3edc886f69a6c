"""Training several fine-tuning methods in turn, for the FineTuneDashboard (the part without a view).

``run_methods`` trains each chosen method with ``lecturekit.finetune.train_classifier``
on the same examples, seed and steps, reports every evaluation through ``on_update``,
and stops cleanly when ``should_stop()`` turns true; ``MethodRun`` is one method's
row: its state, its curves so far and what it cost. ``sentiment_examples`` gives the
dashboard's task: seen-word reviews to train on, held-out-word reviews to score.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..finetune.methods import METHODS

MEASURE_BATCH = 8  # the batch measure_costs times a training step on


class _Stopped(Exception):
    """Raised by the training callback when Stop was pressed; ends the current run."""


@dataclass
class MethodRun:
    """One method's run: its state, its curves so far, and what it cost.

    ``state`` is one of: waiting, running, done, stopped, not applicable, failed, not run.
    """

    method: str
    steps: int
    state: str = "waiting"
    history: object | None = None  # the FineTuneHistory train_classifier fills in
    steps_done: int = 0
    accuracy: float | None = None  # held-out accuracy at the last evaluation
    trainable: int | None = None
    total: int | None = None
    seconds: float | None = None  # wall time of the training (evaluations included)
    seconds_per_step: float | None = None  # one training step, measured by measure_costs
    optimizer_bytes: int | None = None  # AdamW state after a step, measured by measure_costs
    message: str = ""
    error: BaseException | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        return self.state not in ("waiting", "running")

    @property
    def share(self) -> float | None:
        """Trainable parameters as a percentage of the network's."""
        if self.trainable is None or not self.total:
            return None
        return 100.0 * self.trainable / self.total

    def state_text(self) -> str:
        if self.state == "running":
            return f"running (step {self.steps_done} of {self.steps})"
        if self.state == "stopped":
            return f"stopped after {self.steps_done} of {self.steps} steps"
        return self.state


# ------------------------------------------------------------------- data


@lru_cache(maxsize=8)
def _task(n_examples: int, n_test: int):
    from ..finetune.experiments.common import sentiment_task

    return sentiment_task(n_train=n_examples, n_test=n_test)


def sentiment_examples(n_examples: int = 64, n_test: int = 128) -> tuple[list[str], list[str], tuple]:
    """Training texts and labels (seen sentiment words) and the held-out test set as (texts, labels).

    Film titles are hidden ("the film"), so a title cannot give the label away.
    """
    if not isinstance(n_examples, int) or isinstance(n_examples, bool) or n_examples < 2:
        raise ValueError(f"The number of labelled examples must be a whole number of at least 2; got {n_examples!r}.")
    if not isinstance(n_test, int) or isinstance(n_test, bool) or n_test < 2:
        raise ValueError(f"The number of test examples must be a whole number of at least 2; got {n_test!r}.")
    task = _task(n_examples, n_test)
    return (list(task.train_texts), list(task.train_labels),
            (list(task.test_texts), list(task.test_labels)))


# ------------------------------------------------------------------- training


def _count_parameters(network) -> tuple[int, int]:
    parameters = {id(p): p for p in network.parameters()}.values()
    return sum(p.numel() for p in parameters if p.requires_grad), sum(p.numel() for p in parameters)


def _why_not(model, method: str) -> str | None:
    """Why ``method`` cannot fine-tune ``model`` (unknown name, wrong kind of model), or None."""
    from ..finetune.backbone import family
    from ..finetune.methods import applies

    if method not in METHODS:
        return f"Unknown method {method!r}; choose from {', '.join(METHODS)}."
    try:
        return applies(method, model.kind, family(model.module))
    except AttributeError:
        return None  # not a loaded model: train_classifier says what is wrong with it


def _error_text(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def run_methods(
    model,
    methods: Sequence[str],
    texts: Sequence[str],
    labels: Sequence,
    test: tuple,
    steps: int = 40,
    *,
    batch_size: int = 16,
    seed: int = 0,
    eval_every: int | None = None,
    device=None,
    measure: bool = True,
    method_options: Mapping[str, dict] | None = None,
    on_update: Callable[[list[MethodRun], MethodRun | None], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[MethodRun]:
    """Fine-tune ``model`` with each method in turn on the same examples, seed and steps.

    ``test`` is ``(texts, labels)``: the held-out set scored at every evaluation
    (every ``eval_every`` steps; by default 20 evaluations per run, at most 5 steps apart). After each
    evaluation ``on_update(runs, current)`` is called, and ``should_stop()`` is asked;
    when it says True the current run ends there (its row says after how many steps)
    and the methods after it are not run. A method that does not apply to the model,
    or fails, gets a row saying why, and the others still run.

    With ``measure``, each finished method's time per training step and optimizer
    state are measured by ``lecturekit.finetune.measure_costs`` on one batch of the
    same examples.
    """
    from ..finetune import measure_costs, train_classifier
    from ..finetune.experiments.common import pooling_for  # encoders: mean of the tokens, not [CLS]
    from ..hub.errors import NotSupportedError

    methods = list(methods)
    options = dict(method_options or {})
    should_stop = should_stop or (lambda: False)
    runs = [MethodRun(str(method), steps) for method in methods]
    eval_every = eval_every or max(1, min(steps // 20, 5))  # Stop is seen at an evaluation: keep them close

    def tell(current: MethodRun | None) -> None:
        if on_update is not None:
            on_update(runs, current)

    for index, run in enumerate(runs):
        if should_stop():
            for later in runs[index:]:
                later.state = "not run"
            tell(None)
            break
        reason = _why_not(model, run.method)
        if reason is not None:
            run.state, run.message = "not applicable", reason
            tell(run)
            continue
        run.state = "running"
        tell(run)

        def callback(state, run=run) -> None:
            run.history = state.history
            run.steps_done = state.step
            if state.history.accuracy:
                run.accuracy = state.history.accuracy[-1]
            if run.trainable is None:
                run.trainable, run.total = _count_parameters(state.model)
            tell(run)
            if should_stop():
                raise _Stopped

        started = time.perf_counter()
        try:
            classifier = train_classifier(
                model, list(texts), list(labels), run.method, steps=steps, batch_size=batch_size, seed=seed,
                validation=test, eval_every=eval_every, callbacks=[callback], progress=False, device=device,
                pooling=pooling_for(model), **options.get(run.method, {}))
        except _Stopped:
            run.state, run.seconds = "stopped", time.perf_counter() - started
            for later in runs[index + 1:]:
                later.state = "not run"
            tell(run)
            break
        except NotSupportedError as error:
            run.state, run.message, run.error = "not applicable", str(error), error
            tell(run)
            continue
        except Exception as error:  # shown in its row and the status, never as a traceback
            run.state, run.message, run.error = "failed", _error_text(error), error
            tell(run)
            continue
        run.seconds = classifier.seconds
        run.history = classifier.history
        run.steps_done = classifier.history.step[-1] if classifier.history.step else steps
        run.accuracy = classifier.history.accuracy[-1] if classifier.history.accuracy else None
        run.trainable, run.total = classifier.trainable_parameters, classifier.total_parameters
        if measure and not should_stop():
            try:
                costs = measure_costs(model, run.method, list(texts), list(labels), batch_size=MEASURE_BATCH,
                                      steps=2, seed=seed, device=device, **options.get(run.method, {}))
                run.seconds_per_step = costs["ms per step"] / 1000
                run.optimizer_bytes = round(costs["optimizer MB"] * 2**20)
            except Exception as error:  # the training result stands; say why the costs are missing
                run.message = f"costs not measured: {_error_text(error)}"
        run.state = "done"
        tell(run)
    return runs
