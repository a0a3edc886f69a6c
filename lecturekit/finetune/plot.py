"""Fine-tuning curves: the loss falling and the accuracy rising, redrawn at each evaluation.

``LiveCurves()`` is a callback for ``train_classifier(..., callbacks=[LiveCurves()])``:
in a notebook the figure updates in place; elsewhere nothing is shown.
"""

from __future__ import annotations


def draw_curves(history, axes, title: str = "fine-tuning") -> None:
    """Training and evaluation loss on axes[0], evaluation accuracy on axes[1]."""
    loss_axis, accuracy_axis = axes
    loss_axis.clear()
    loss_axis.plot(history.step, history.train_loss, color="#4c78a8", alpha=0.5, lw=1, label="training batch")
    loss_axis.plot(history.eval_step, history.eval_loss, "o-", color="#e45756", ms=3,
                   label=f"evaluation ({history.evaluated_on})")
    loss_axis.set_xlabel("optimizer step")
    loss_axis.set_ylabel("cross-entropy (nats)")
    loss_axis.set_title(title)
    loss_axis.legend(loc="upper right", fontsize=8)
    accuracy_axis.clear()
    accuracy_axis.plot(history.eval_step, history.accuracy, "o-", color="#54a24b", ms=3)
    accuracy_axis.set_ylim(0, 1.02)
    accuracy_axis.set_xlabel("optimizer step")
    accuracy_axis.set_ylabel("accuracy")
    if history.accuracy:
        accuracy_axis.set_title(f"accuracy {history.accuracy[-1]:.0%}")
    axes[0].figure.tight_layout()


class LiveCurves:
    """Callback: one figure, drawn once and updated after every evaluation."""

    def __init__(self, title: str = "fine-tuning"):
        self.title, self.figure, self.axes, self.handle = title, None, None, None

    def __call__(self, state) -> None:
        if self.figure is None:
            import matplotlib.pyplot as plt

            self.figure, self.axes = plt.subplots(1, 2, figsize=(10, 3.4))
            plt.close(self.figure)  # shown once by display() below, then updated in place
            try:
                from IPython import get_ipython
                from IPython.display import display

                if get_ipython() is not None:
                    self.handle = display(self.figure, display_id=True)
            except ImportError:
                pass
        draw_curves(state.history, self.axes, self.title)
        if self.handle is not None:
            self.handle.update(self.figure)
