"""ContextualEmbeddingExplorer: the picture, the word picker and the view (maths: test_contextual.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from lecturekit.contextual import occurrence_vectors, sense_separation
from lecturekit.hub import load_model
from lecturekit.hub.tiny import save_tiny_model
from lecturekit.widgets.contextual_embeddings import (
    ContextualEmbeddingExplorer,
    common_words,
    explorer_html,
)

VERBS = ["I want to record a song tonight.", "Please record the meeting for me.",
         "They record every game on video."]
NOUNS = ["She broke the world record yesterday.", "He played an old jazz record.",
         "The record shows that he was right."]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_model(f"hf:{save_tiny_model('bert', tmp_path_factory.mktemp('tiny') / 'bert')}", device="cpu")


def test_common_words_and_bad_sentences(tiny):
    assert common_words(["A record.", "The record is a hit"]) == ["a", "record"]
    # Words as lecturekit.text counts them: an apostrophe inside a word keeps it whole.
    assert common_words(["Liam's record", "a record of Liam's"]) == ["liam's", "record"]
    with pytest.raises(ValueError, match="at least one sentence"):
        occurrence_vectors(tiny, ["   ", ""], "record")
    with pytest.raises(ValueError, match="does not occur"):
        occurrence_vectors(tiny, ["a record", "no such word"], "record")


def test_html_escapes_user_text_and_checks_the_layer(tiny):
    sentences = ["<script>alert(1)</script> record", "a <b>record</b> & more"]
    occurrences = occurrence_vectors(tiny, sentences, "record")
    html = explorer_html(occurrences, 1, "tiny")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert html.count("<tr>") == 3 and "data:image/png;base64," in html
    assert "static input embedding" in explorer_html(occurrences, "static")
    with pytest.raises(ValueError, match="layer"):
        explorer_html(occurrences, 9)


def test_the_view_updates_when_controls_move(tiny):
    view = ContextualEmbeddingExplorer(tiny, sentences=VERBS + NOUNS, word="record")
    assert view.word_picker.value == "record" and view.layer_slider.max == 2
    first = view.static_html()
    assert "layer 2 of 2" in first
    view.layer_slider.value = 0
    assert "layer 0 of 2" in view.static_html()
    view.sentences_box.value = "A cat sat.\nThe cat ran."
    assert view.word_picker.value in ("cat", "the", "a") and "cat" in view.word_picker.options
    view.sentences_box.value = "one\ntwo"  # no shared word: a message, not a traceback
    assert "lk-error" in view.static_html()
    bundle = view._repr_mimebundle_()
    assert "text/html" in bundle


def test_the_learners_word_survives_sentences_that_lack_it(tiny):
    view = ContextualEmbeddingExplorer(tiny, sentences=VERBS + NOUNS, word="record")
    assert view.sentences_box.continuous_update is False  # no model call per keystroke
    view.sentences_box.value = "\n".join([*VERBS, "She broke the"])  # half typed: no 'record' in it
    assert view.word_picker.value != "record"
    view.sentences_box.value = "\n".join([*VERBS, "She broke the record."])
    assert view.word_picker.value == "record"  # the choice comes back once the word is there again
    # A word the learner picks is the one kept from then on.
    view.sentences_box.value = "The cat saw the record.\nThe cat broke a record."
    view.word_picker.value = "cat"
    view.sentences_box.value = "A cat and a record.\nThat cat sat on my record."
    assert view.word_picker.value == "cat"


def test_a_pasted_page_is_cut_to_what_a_slide_can_show(tiny):
    from lecturekit.widgets.contextual_embeddings import MAX_SENTENCES

    view = ContextualEmbeddingExplorer(tiny, sentences=VERBS + NOUNS, word="record")
    view.sentences_box.value = "\n".join(f"Record number {i} of the record." for i in range(100))
    assert len(view._occurrences.sentences) == MAX_SENTENCES
    assert f"first {MAX_SENTENCES} of 100 sentences" in view.notice.value
    view.sentences_box.value = "\n".join(VERBS)
    assert view.notice.value == ""


def test_sense_table_is_a_dataframe_per_layer(tiny):
    occurrences = occurrence_vectors(tiny, VERBS + NOUNS, "record", pooling="last")
    table = sense_separation(occurrences, ["v"] * 3 + ["n"] * 3)
    assert isinstance(table, pd.DataFrame) and table.layer.tolist() == ["static", "0", "1", "2"]


def test_other_scripts_draw_without_missing_glyph_warnings(tiny, recwarn):
    import logging

    from lecturekit.widgets.base import drawable

    assert drawable("record 記録 \x07!") == "record □□ □!"
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("matplotlib").addHandler(handler)
    try:
        sentences = ["我的 record 很好。", "Her record\x07 sold well.", "Record the song."]
        explorer_html(occurrence_vectors(tiny, sentences, "record"), 1, "tiny")
    finally:
        logging.getLogger("matplotlib").removeHandler(handler)
    messages = [str(w.message) for w in recwarn] + [r.getMessage() for r in records]
    assert not [m for m in messages if "Glyph" in m], messages


def test_new_sentences_reach_the_page_as_one_update_with_the_learners_word(tiny, monkeypatch):
    """Changing the options makes ipywidgets select the first option ("a") before the kernel
    restores the learner's word; the page must not be sent that passing choice (a slow page showed
    it and kept it, issue 14's CI run)."""
    view = ContextualEmbeddingExplorer(tiny, sentences=VERBS + NOUNS, word="record")
    picker = view.word_picker
    sent = []
    monkeypatch.setattr(picker, "_send", lambda msg, buffers=None: sent.append(msg["state"]))
    view.sentences_box.value = "\n".join(f"Line {n} is a record of day {n}." for n in range(5))
    assert "a" in picker.options and picker.options.index("record") > 0
    indices = [state["index"] for state in sent if "index" in state]
    labels = [state["_options_labels"] for state in sent if "_options_labels" in state]
    assert len(sent) == 1 and [list(found) for found in labels] == [list(picker.options)]
    assert indices == [picker.options.index("record")]


def test_show_after_the_box_already_sent_its_text_draws_nothing_again(tiny, monkeypatch):
    import lecturekit.widgets.contextual_embeddings as view_module

    view = ContextualEmbeddingExplorer(tiny, sentences=VERBS + NOUNS, word="record")
    calls = []
    real = view_module.occurrence_vectors
    monkeypatch.setattr(view_module, "occurrence_vectors", lambda *a, **k: calls.append(1) or real(*a, **k))
    view.sentences_box.value = "\n".join(VERBS)  # the box loses focus as "Show" is pressed: drawn once
    view.show_button.click()  # the click that follows: the same text, nothing to redraw
    assert len(calls) == 1
    view.pooling_switch.value = "last"  # a control moved: redrawn at once
    view.show_button.click()
    assert len(calls) == 2
