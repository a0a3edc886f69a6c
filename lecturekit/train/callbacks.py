"""What happens at each evaluation: knowledge probes and a live plot.

Both are callbacks ``callback(state)`` for ``lecturekit.train.train``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .loop import TrainState, perplexity


def probe_scorer(model, tokenizer, kind: str):
    """Wrap a raw lecture model in the one model interface, for scoring probes."""
    from ..hub.factory import build_model

    device = next(model.parameters()).device
    return build_model(model, tokenizer, name="training", kind=kind,
                       max_length=model.config.max_positions, device=device, dtype=next(model.parameters()).dtype)


class ProbeCallback:
    """Score the lecture world's cloze probes; rows go to ``history.probes``.

    ``items`` should be a modest sample (a few dozen per category): the callback
    runs while training waits.
    """

    def __init__(self, items: Sequence, tokenizer, kind: str):
        self.items, self.tokenizer, self.kind = list(items), tokenizer, kind

    def __call__(self, state: TrainState) -> None:
        from ..world import score_probes

        was_training = state.model.training
        state.model.eval()
        table = score_probes(probe_scorer(state.model, self.tokenizer, self.kind), self.items)
        state.model.train(was_training)
        for category, row in table.iterrows():
            state.history.probes.append({"step": state.step, "category": category, **row.to_dict()})


class LivePlot:
    """One figure, redrawn in place at each evaluation: loss (and perplexity) and probes.

    In a notebook the figure updates where it is; elsewhere (the command line)
    nothing is drawn. ``close()`` leaves the final picture in the notebook.
    """

    def __init__(self, title: str = "pretraining", show_probes: bool = True):
        self.title, self.show_probes = title, show_probes
        self.figure = None
        self.handle = None

    def _setup(self):
        import matplotlib.pyplot as plt

        columns = 2 if self.show_probes else 1
        self.figure, axes = plt.subplots(1, columns, figsize=(5.5 * columns, 3.6), squeeze=False)
        self.axes = axes[0]
        plt.close(self.figure)  # we display it ourselves, once, and update that display
        try:
            from IPython import get_ipython
            from IPython.display import display

            if get_ipython() is not None:
                self.handle = display(self.figure, display_id=True)
        except ImportError:
            pass

    def __call__(self, state: TrainState) -> None:
        if self.figure is None:
            self._setup()
        draw_history(state.history, self.axes, self.title)
        if self.handle is not None:
            self.handle.update(self.figure)


def draw_history(history, axes, title: str = "pretraining") -> None:
    """Loss curves on axes[0]; probe top-1 accuracy per category on axes[1] (if given)."""
    loss_axis = axes[0]
    loss_axis.clear()
    loss_axis.plot(history.step, history.train_loss, color="#4c78a8", alpha=0.5, lw=1, label="training loss")
    if history.val_loss:
        loss_axis.plot(history.eval_step, history.val_loss, "o-", color="#e45756", ms=3, label="validation loss")
        loss_axis.set_title(f"{title}: val. perplexity {perplexity(history.val_loss[-1]):.1f}")
    else:
        loss_axis.set_title(title)
    loss_axis.set_xlabel("optimizer step")
    loss_axis.set_ylabel("cross-entropy (nats)")
    loss_axis.legend(loc="upper right", fontsize=8)
    if len(axes) > 1:
        probe_axis = axes[1]
        probe_axis.clear()
        categories = list(dict.fromkeys(row["category"] for row in history.probes))
        for category in categories:
            rows = [r for r in history.probes if r["category"] == category]
            probe_axis.plot([r["step"] for r in rows], [r["top1"] for r in rows], "o-", ms=3, label=category)
        probe_axis.set_ylim(0, 1.02)
        probe_axis.set_xlabel("optimizer step")
        probe_axis.set_ylabel("probe top-1 accuracy")
        probe_axis.set_title("knowledge probes")
        if categories:
            probe_axis.legend(loc="upper left", fontsize=7, ncol=2)
    axes[0].figure.tight_layout()
