"""Widgets under live use in a class (issue 14): numbers typed into boxes, cuts that are said,
what the lecture models have read, labels a room can read.

Tiny random models keep these fast; where a claim is about the shipped lecture models
(which world they know) the model's name is what matters, and the tiny model stands in.
"""

from __future__ import annotations

import logging

import pytest

from lecturekit.hub import load_model
from lecturekit.hub.tiny import save_tiny_model
from lecturekit.subword import bpe_trace
from lecturekit.text import neutralise_bidi, readable_piece
from lecturekit.widgets.base import (
    REAL_WORLD_PROMPT,
    WORLD_PROMPT,
    WORLD_SENTENCE,
    model_note_html,
    whole_number,
)
from lecturekit.widgets.bpe_stepper import BPEStepper, merges_table, readable_pieces
from lecturekit.widgets.mask_explorer import MaskExplorer, mask_explorer_update, prepare_sentence
from lecturekit.widgets.masking_lab import LabTokenizer, masking_lab_update
from lecturekit.widgets.next_token_explorer import NextTokenExplorer, show_token

TINY_CORPUS = {"low": 5, "lower": 2, "newest": 6, "widest": 3}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    return {kind: save_tiny_model(kind, root / kind) for kind in ("bert-mlm", "gpt2")}


@pytest.fixture
def gpt(folders):
    return load_model(f"hf:{folders['gpt2']}", device="cpu")


@pytest.fixture
def bert(folders):
    return load_model(f"hf:{folders['bert-mlm']}", device="cpu")


def as_lecture_model(model, name: str):
    """The tiny model under a lecture model's name: the widgets decide what it has read by name."""
    model.name = name
    return model


# ------------------------------------------------------------ numbers typed into boxes


@pytest.mark.parametrize("typed", [99999999999999999999, 2**64, -1, 2.5, "seven", None])
def test_a_seed_box_says_what_it_accepts(typed):
    with pytest.raises(ValueError, match="a seed must be a whole number from 0 to 18,446,744,073,709,551,615"):
        whole_number(typed, "seed", 0, 2**64 - 1)


@pytest.mark.parametrize("typed, number", [(0, 0), (2**64 - 1, 2**64 - 1), ("12", 12), (3.0, 3)])
def test_a_seed_box_keeps_whole_numbers(typed, number):
    assert whole_number(typed, "seed", 0, 2**64 - 1) == number


def test_a_huge_seed_in_the_next_token_explorer_gets_a_message_not_torchs(gpt):
    view = NextTokenExplorer(gpt, prompt="The cat", max_new_tokens=3)
    view.seed.value = 99999999999999999999
    assert view.stream() == ""
    html = view.static_html()
    assert "a seed must be a whole number" in html and "Overflow" not in html
    view.seed.value = 2**64 - 1  # the largest seed torch holds still samples
    view.state.message = ""
    assert view.stream() != ""


def test_a_huge_seed_in_the_masking_lab_gets_the_same_message():
    html = masking_lab_update(LabTokenizer(), "Thank you for inviting me.", 0.15, 3.0, 99999999999999999999)
    assert "a seed must be a whole number from 0" in html and "Overflow" not in html


# ------------------------------------------------------------ cuts that are said


def test_a_pasted_book_in_the_mask_explorer_says_both_cuts(bert):
    sentence = prepare_sentence(bert, "one two three " * 2500)  # 35,000 characters
    assert "35,000 characters" in sentence.notice and "only the first 5,000" in sentence.notice
    assert "tokens" in sentence.notice and f"reads at most {bert.max_length}" in sentence.notice
    assert "35,000 characters" in mask_explorer_update(bert, "one two three " * 2500, []).html()


# ------------------------------------------------------------ bidi controls in button labels


def test_button_labels_neutralise_bidi_controls(bert):
    # A chip or candidate is a button: its label is plain text, which escaping never reaches.
    assert "\u202e" not in show_token("ab\u202ecd") and "[U+202E]" in show_token("ab\u202ecd")
    explorer = MaskExplorer(bert, text="abc \u202e def")
    labels = [chip.description for chip in explorer.chips.children]
    assert labels and not any("\u202e" in label for label in labels)
    assert neutralise_bidi("\u2067x\u2069") == "[U+2067]x[U+2069]"


# ------------------------------------------------------------ what the models have read


def test_lecture_models_say_they_know_only_the_world(gpt):
    lecture = as_lecture_model(gpt, "lecture-gpt")
    assert "only the generated lecture world" in model_note_html(lecture)
    view = NextTokenExplorer(lecture)
    assert view.prompt.value == WORLD_PROMPT  # starts on a sentence of the world
    assert "only the generated lecture world" in view.static_html()


def test_a_real_model_says_it_never_read_the_world(gpt):
    gpt.name = "smollm2-135m"
    assert "real-world text" in model_note_html(gpt)
    assert NextTokenExplorer(gpt).prompt.value == REAL_WORLD_PROMPT


def test_one_click_real_world_example_switches_to_the_real_model(folders):
    lecture = as_lecture_model(load_model(f"hf:{folders['gpt2']}", device="cpu"), "lecture-gpt")
    real = load_model(f"hf:{folders['gpt2']}", device="cpu")
    real.name = "smollm2-135m"
    view = NextTokenExplorer(lecture, real_world=real)
    view.real_example.click()
    assert view.model is real and view.prompt.value == REAL_WORLD_PROMPT
    assert "real-world text" in view.static_html()
    view.world_example.click()
    assert view.model is lecture and view.prompt.value == WORLD_PROMPT
    assert "only the generated lecture world" in view.static_html()


def test_the_mask_explorer_starts_on_the_world(bert):
    view = MaskExplorer(as_lecture_model(bert, "lecture-bert"))
    assert view.text.value == WORLD_SENTENCE and "only the generated lecture world" in view.static_html()


# ------------------------------------------------------------ tables and figures for a room


def test_merge_tables_are_written_for_people():
    table = merges_table(bpe_trace({"the": 303_090, "then": 1_200}, 3))
    text = table.to_string()
    assert "</w>" not in text and "303,090" in text and ".00" not in text
    assert table.index[0] == 1 and readable_piece("est</w>") == "est_"
    assert readable_pieces(["lo", "west</w>"]) == "lo west_"


def test_the_bpe_stepper_steps_one_merge_at_a_time():
    stepper = BPEStepper(TINY_CORPUS, num_merges=5, step=0)
    stepper.forward.click()
    stepper.forward.click()
    assert stepper.slider.value == 2 and "After 2 of" in stepper.static_html()
    stepper.back.click()
    assert stepper.slider.value == 1
    for _ in range(3):
        stepper.back.click()
    assert stepper.slider.value == 0  # never below the first merge
    assert "&lt;/w&gt;" not in stepper.static_html().split("Newest merges first")[1].split("</p>", 1)[1]


def test_heatmap_text_is_sized_for_a_room():
    import matplotlib
    import numpy as np

    from lecturekit.widgets.contextual_embeddings import similarity_figure

    matplotlib.use("Agg")
    figure = similarity_figure(np.eye(3) * 0.5 + 0.5, ["a", "b", "c"], "title")
    sizes = [text.get_fontsize() for text in figure.axes[0].texts]
    ticks = [label.get_fontsize() for label in figure.axes[0].get_yticklabels()]
    legend = figure.axes[1].yaxis.label.get_fontsize()
    matplotlib.pyplot.close(figure)
    assert len(sizes) == 9 and min(sizes) >= 12 and min(ticks) >= 12 and legend >= 12


def test_the_heatmap_draws_bidi_and_cjk_without_glyph_warnings():
    import matplotlib
    import numpy as np

    from lecturekit.widgets.contextual_embeddings import _figure_png, similarity_figure

    matplotlib.use("Agg")
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("matplotlib").addHandler(handler)
    try:
        _figure_png(similarity_figure(np.ones((2, 2)), ["abc \u202e def", "記録 record"], "t \u202e"))
    finally:
        logging.getLogger("matplotlib").removeHandler(handler)
    assert not [r for r in records if "Glyph" in r.getMessage()]


def test_a_next_token_update_costs_one_forward_pass(gpt):
    # The room waits on every Enter: two passes (table, then colours) made the update 2.16x the
    # model's own call. The benchmark measures the time; this counts the passes.
    from lecturekit.widgets.next_token_explorer import next_token_update

    calls = []
    gpt.module.register_forward_hook(lambda module, inputs, output: calls.append(1))
    state = next_token_update(gpt, "The cat sat on the", 5)
    assert state.candidates is not None and state.prompt_tokens is not None
    assert len(calls) == 1
