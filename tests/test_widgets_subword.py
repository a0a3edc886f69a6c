"""The two subword widgets: their pure HTML functions and their views."""

from __future__ import annotations

import html
import re

import pytest

from lecturekit.subword import TINY_CORPUS, bpe_trace
from lecturekit.subword.bpe import merge_pair, word_to_symbols
from lecturekit.widgets.bpe_stepper import (
    BPEStepper,
    base_vocabulary,
    bpe_step_html,
    segment_at_step,
    vocabulary_size,
)
from lecturekit.widgets.tokenizer_explorer import (
    MAX_CHIPS,
    TokenizerExplorer,
    chips_html,
    tokenizer_chips_html,
)


def characters(text):
    return [(c, ord(c)) for c in text]


def test_chips_show_every_piece_and_its_id_escaped():
    out = tokenizer_chips_html("a<b>", {"chars": characters})
    assert "4 tokens" in out
    assert "&lt;" in out and "<b>" not in out.replace(
        "<b>chars</b>", ""
    )  # user text never becomes markup
    for _, token_id in characters("a<b>"):
        assert f">{token_id}</small>" in out


def test_names_are_escaped_too():
    assert "<script>" not in tokenizer_chips_html("x", {"<script>": characters})


def test_unknown_pieces_are_counted_and_marked_red():
    out = tokenizer_chips_html("x y", {"unk": lambda t: [("[UNK]", 100), ("y", 5)]})
    assert "1 unknown" in out and "#fca5a5" in out


def test_whitespace_is_visible_and_long_input_is_cut():
    assert "·" in chips_html([(" a", 1)]) and "↵" in chips_html([("\n", 2)])
    many = chips_html([("x", 1)] * (MAX_CHIPS + 5))
    assert many.count("<span") == MAX_CHIPS + 1 and "5 more" in many
    out = tokenizer_chips_html("x" * 200_000, {"chars": characters})
    assert "Only the first 100,000" in out


@pytest.mark.parametrize("text", ["", "   \n\t", "\x00\x07", "ab\ud800", "😀👨‍👩‍👧 日本語 café"])
def test_odd_text_renders(text):
    out = tokenizer_chips_html(text, {"chars": characters})
    assert out.startswith('<div class="lecturekit-tokenizers">')
    with pytest.raises(TypeError):
        tokenizer_chips_html(None, {"chars": characters})


def test_explorer_with_the_real_tokenizers():
    explorer = TokenizerExplorer("Transformerify is taaaasty 😀")
    page = explorer.static_html()
    for name in explorer.tokenizers:
        assert html.escape(name) in page
    # Byte-level BPE never needs UNK; the word-level vocabulary does for the made-up words.
    rows = dict(re.findall(r"<b>([^<]+)</b><br><small>([^<]+)</small>", page))
    assert "unknown" not in rows["byte-level BPE (SmolLM2, 49k)"]
    assert "3 unknown" in rows["word level (10k words)"]  # both made-up words and the emoji
    explorer.text_box.value = "new text"
    assert explorer.static_html() != page
    assert explorer._repr_mimebundle_()["text/html"] == explorer.static_html()


def test_segment_at_step_replays_the_first_merges():
    trace = bpe_trace(TINY_CORPUS, 10)
    for step in range(len(trace) + 1):
        expected = word_to_symbols("lowest")
        for merge in trace[:step]:
            expected = merge_pair(expected, merge.pair)
        assert segment_at_step("lowest", trace, step) == list(expected)
    assert segment_at_step("", trace, 3) == []


def test_vocabulary_grows_by_one_per_new_token():
    trace = bpe_trace(TINY_CORPUS, 10)
    base = base_vocabulary(TINY_CORPUS)
    assert base == set("lowernstid") | {"w</w>", "r</w>", "t</w>"}
    assert [vocabulary_size(base, trace, k) for k in range(4)] == [len(base) + k for k in range(4)]


def test_step_html_shows_newest_merges_first_and_clamps_the_step():
    trace = bpe_trace(TINY_CORPUS, 10)
    out = bpe_step_html(trace, 3, ["lowest", "<i>"], base_vocabulary(TINY_CORPUS))
    assert f"After 3 of {len(trace)} merges" in out
    assert out.index("<td>3</td>") < out.index("<td>1</td>")
    assert "&lt;i&gt;" in out and "<i>" not in out.replace("<i>No merges", "")
    assert "No merges yet" in bpe_step_html(trace, -5, ["low"], set())
    assert f"After {len(trace)} of" in bpe_step_html(trace, 10**6, [], set())


def test_stepper_view_follows_its_slider():
    stepper = BPEStepper(TINY_CORPUS, num_merges=10, words=["lowest"], step=0)
    assert "After 0 of" in stepper.static_html()
    stepper.slider.value = 2
    assert "After 2 of" in stepper.static_html() and "<code>est_</code>" in stepper.static_html()
    stepper.words_box.value = ""
    assert "After 2 of" in stepper.static_html()
