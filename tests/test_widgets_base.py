"""Shared widget pieces and the welcome notebook's temperature demo."""

from __future__ import annotations

import pytest
import torch

from lecturekit.widgets import TemperatureDemo
from lecturekit.widgets.base import escape, probability_bars_html
from lecturekit.widgets.temperature_demo import EXAMPLE_SCORES, softmax_with_temperature


def test_escape_neutralises_markup():
    assert escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    assert escape('"<b>"') == "&quot;&lt;b&gt;&quot;"


def test_bars_escape_labels_and_title():
    page = probability_bars_html(["<b>bold</b>", "ok"], [0.7, 0.3], title="<script>x</script>")
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>" not in page
    assert page.count("<tr>") == 2


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 10.0])
def test_softmax_with_temperature_matches_torch(temperature):
    ours = softmax_with_temperature(EXAMPLE_SCORES, temperature)
    reference = torch.softmax(torch.tensor(list(EXAMPLE_SCORES.values()), dtype=torch.float64) / temperature, 0)
    assert list(ours) == list(EXAMPLE_SCORES)
    assert torch.allclose(torch.tensor(list(ours.values()), dtype=torch.float64), reference)


def test_low_temperature_sharpens_and_high_flattens():
    cold = softmax_with_temperature(EXAMPLE_SCORES, 0.1)
    hot = softmax_with_temperature(EXAMPLE_SCORES, 100.0)
    assert cold["mat"] > 0.99
    assert max(hot.values()) - min(hot.values()) < 0.02


@pytest.mark.parametrize("temperature", [0, -1.0, float("nan")])
def test_bad_temperature_is_a_clear_error(temperature):
    with pytest.raises(ValueError, match="temperature"):
        softmax_with_temperature(EXAMPLE_SCORES, temperature)


def test_demo_view_follows_its_slider_and_has_a_static_picture():
    demo = TemperatureDemo(prompt="A <i>tricky</i> prompt")
    before = demo.view.value
    demo.slider.value = 0.2
    assert demo.view.value != before and "temperature 0.2" in demo.view.value
    bundle = demo._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"] == demo.view.value
    assert "<i>" not in bundle["text/html"]


def test_views_are_laid_out_for_a_projector():
    import ipywidgets as widgets

    from lecturekit.widgets.base import LectureWidget

    slider = widgets.FloatLogSlider(description="temperature")
    button = widgets.Button(description="generate (seeded)")
    wide = widgets.IntSlider(description="merges", layout=widgets.Layout(width="95%"))
    view = LectureWidget([widgets.HBox([slider, button]), wide])
    assert slider.style.description_width == "initial"  # the label is never cut
    assert button.layout.width == "auto" and slider.layout.width
    assert wide.layout.width == "95%"  # a width a view chose is kept
    assert view.children[1] is wide
