"""A first widget for the welcome notebook: how temperature reshapes a next-word distribution.

The scores are a hand-written illustration, not a model's output; notebook 04
shows the same control on real models. Dividing scores by a temperature T before
the softmax sharpens the distribution (T < 1) or flattens it (T > 1).
"""

from __future__ import annotations

import ipywidgets as widgets
import torch

from ..hub.sampling import next_token_distribution
from .base import LectureWidget, probability_bars_html

# Illustrative scores (logits) for the word after "The cat sat on the".
EXAMPLE_SCORES = {"mat": 4.0, "sofa": 3.2, "floor": 3.0, "roof": 1.5, "keyboard": 1.0, "moon": -1.0}


def softmax_with_temperature(scores: dict[str, float], temperature: float) -> dict[str, float]:
    """Probabilities softmax(score / T), in the order of ``scores``.

    The same function the models sample with (``lecturekit.hub.sampling``), here
    over a handful of named scores instead of a vocabulary.
    """
    probabilities = next_token_distribution(torch.tensor(list(scores.values()), dtype=torch.float64), temperature)
    return dict(zip(scores, probabilities.tolist(), strict=True))


def temperature_html(prompt: str, scores: dict[str, float], temperature: float) -> str:
    probabilities = softmax_with_temperature(scores, temperature)
    title = f"{prompt} ___   (temperature {temperature:.2g})"
    return probability_bars_html(list(probabilities), list(probabilities.values()), title)


class TemperatureDemo(LectureWidget):
    """A temperature slider over a fixed next-word distribution."""

    def __init__(self, prompt: str = "The cat sat on the", scores: dict[str, float] | None = None):
        self.prompt = prompt
        self.scores = dict(scores or EXAMPLE_SCORES)
        self.slider = widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.05,
                                             description="temperature", readout_format=".2f")
        self.view = widgets.HTML()
        self.slider.observe(lambda change: self._update(), names="value")
        super().__init__([self.slider, self.view])
        self._update()

    def _update(self) -> None:
        self.view.value = self.static_html()

    def static_html(self) -> str:
        return temperature_html(self.prompt, self.scores, self.slider.value)
