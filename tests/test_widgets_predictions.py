"""MaskExplorer and NextTokenExplorer: pure functions against Hugging Face, then the views.

Tiny random models (built locally in seconds) keep these tests fast and
independent of the shipped checkpoints; the predictions are compared with
transformers run directly on the same weights, so they test the widget's
plumbing (which positions, which tokens, which probabilities), not the model.
"""

from __future__ import annotations

import math

import pytest
import torch
import transformers

from lecturekit.hub import load_model
from lecturekit.hub.tiny import MAX_POSITIONS, save_tiny_model
from lecturekit.widgets.mask_explorer import (
    MaskExplorer,
    corruption_of,
    fill_left_to_right,
    fill_masked,
    mask_explorer_update,
    masked_text,
    positions_of,
    prepare_sentence,
)
from lecturekit.widgets.mask_explorer_html import HINT
from lecturekit.widgets.next_token_explorer import (
    NextTokenExplorer,
    SideBySide,
    fit_prompt,
    next_token_update,
)

SENTENCE = "the cat sat on the mat near the door."
NASTY = "<script>alert(1)</script> and <b>bold</b>"


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    return {kind: save_tiny_model(kind, root / kind) for kind in ("bert-mlm", "gpt2")}


@pytest.fixture(scope="module")
def bert(folders):
    return load_model(f"hf:{folders['bert-mlm']}", device="cpu")


@pytest.fixture(scope="module")
def gpt(folders):
    return load_model(f"hf:{folders['gpt2']}", device="cpu")


@pytest.fixture(scope="module")
def hf_bert(folders):
    return transformers.BertForMaskedLM.from_pretrained(folders["bert-mlm"]).eval()


@pytest.fixture(scope="module")
def hf_gpt(folders):
    return transformers.GPT2LMHeadModel.from_pretrained(folders["gpt2"]).eval()


# ------------------------------------------------------------ MaskExplorer


def test_only_real_tokens_can_be_masked(bert):
    sentence = prepare_sentence(bert, SENTENCE)
    assert sentence.tokens.token.iloc[0] == "[CLS]" and sentence.tokens.token.iloc[-1] == "[SEP]"
    assert sentence.maskable == list(range(1, len(sentence.tokens) - 1))
    with pytest.raises(ValueError, match="not maskable"):
        fill_masked(bert, sentence, [0])


def test_masked_text_gives_the_same_ids_with_masks_in_place(bert):
    sentence = prepare_sentence(bert, SENTENCE)
    text = masked_text(sentence, [2, 6])
    assert text == "the [MASK] sat on the [MASK] near the door."
    expected = list(sentence.tokens.id)
    expected[2] = expected[6] = bert.specials.mask
    assert list(bert.tokenize(text).id) == expected


def test_masking_part_of_a_word_is_noted(bert):
    sentence = prepare_sentence(bert, "we transformerify it")
    pieces = positions_of(sentence, "transformerify")
    assert len(pieces) > 1  # transform ##eri ##fy
    assert mask_explorer_update(bert, "we transformerify it", [pieces[-1]]).note == ""  # "transformeri[MASK]"
    first = mask_explorer_update(bert, "we transformerify it", [pieces[0]])
    assert "changed how the rest of it splits" in first.html()  # "[MASK]erify": no longer ##eri ##fy


def test_predictions_match_transformers_on_the_same_ids(bert, hf_bert):
    sentence = prepare_sentence(bert, SENTENCE)
    masked = [6, 2]  # order of clicks must not matter
    predictions = fill_masked(bert, sentence, masked, top_k=4)
    ids = torch.tensor([list(sentence.tokens.id)])
    ids[0, [2, 6]] = bert.specials.mask
    with torch.no_grad():
        probabilities = hf_bert(input_ids=ids).logits[0].softmax(-1)
    assert [p.position for p in predictions] == [2, 6]
    assert [p.original for p in predictions] == ["cat", "mat"]
    for prediction in predictions:
        top = probabilities[prediction.position].topk(4)
        assert list(prediction.table.id) == top.indices.tolist()
        assert list(prediction.table.probability) == pytest.approx(top.values.tolist(), rel=1e-4)


def test_update_shows_bars_device_and_latency(bert):
    state = mask_explorer_update(bert, SENTENCE, [2], top_k=3)
    html = state.html()
    assert "[MASK] at position 2 (was &#x27;cat&#x27;)" in html
    assert html.count("<tr>") == 3  # one bar per prediction
    assert "cpu · last update" in html and state.latency_ms > 0
    assert "class='lk-sentence'" not in state.html(chips=False)  # the live view shows buttons instead


def test_user_text_is_escaped(bert):
    html = mask_explorer_update(bert, NASTY, [2], show_corruption=True).html()
    assert "<script" not in html and "<b>bold" not in html
    assert "&lt;" in html and "script" in html


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_input_gives_a_hint(bert, text):
    state = mask_explorer_update(bert, text, [1])
    assert state.sentence is None and HINT in state.html()


def test_long_input_is_truncated_with_a_visible_notice(bert):
    state = mask_explorer_update(bert, "word " * 500, [1, 3])
    assert len(state.sentence.tokens) == MAX_POSITIONS == bert.max_length
    assert "reads at most 64" in state.html()
    huge = mask_explorer_update(bert, "x" * 200_000, [])
    assert "first 5,000 characters" in huge.html() or "reads at most" in huge.html()


@pytest.mark.parametrize("text", ["🙂🙂 emoji 🙂", "日本語のテキスト", "control\x00\x07chars\x1b[31m", "ℕ∑ ∫ ☃"])
def test_other_scripts_and_control_characters_do_not_crash(bert, text):
    state = mask_explorer_update(bert, text, [1], show_corruption=True)
    assert state.message == "" and state.sentence is not None
    assert len(state.predictions) == 1


def test_a_causal_model_gets_a_clear_message(gpt):
    state = mask_explorer_update(gpt, SENTENCE, [1])
    assert "causal LM" in state.message and "lecture-bert" in state.message
    view = MaskExplorer(gpt)
    assert "has no fill_mask" in view.static_html() and view.chips.children == ()


def test_corruption_follows_bert_rules(bert):
    sentence = prepare_sentence(bert, "one two three four five six seven eight nine ten " * 4)
    table = corruption_of(bert, sentence, seed=3, mask_rate=0.5)
    assert table.corruption.iloc[0] == "" and table.corruption.iloc[-1] == ""  # [CLS], [SEP] never chosen
    masked = table[table.corruption == "mask"]
    kept = table[table.corruption == "keep"]
    assert (masked["model sees"] == "[MASK]").all() and len(masked) > 0
    assert (kept["model sees"] == kept.original).all()
    assert (table[table.corruption == ""]["model sees"] == table[table.corruption == ""].original).all()
    assert corruption_of(bert, sentence, seed=3, mask_rate=0.5).equals(table)  # seeded


def test_view_masks_on_click_and_follows_controls(bert):
    view = MaskExplorer(bert, text=SENTENCE)
    assert view.state.predictions == []
    view.chips.children[1].value = True  # the chip of "cat" (position 2)
    assert view.masked == [2] and [p.position for p in view.state.predictions] == [2]
    view.top_k.value = 2
    assert len(view.state.predictions[0].table) == 2
    view.corrupt.value = True
    assert "80/10/10" in view.view.value
    view.chips.children[1].value = False  # unmask
    assert view.state.predictions == []
    view.text.value = "a new sentence"
    assert view.masked == [] and [c.description for c in view.chips.children] == ["a", "new", "sentence"]
    view.text.value = NASTY
    assert all("<" not in c.description or c.description == "<" for c in view.chips.children)
    assert "<script" not in view.static_html()


def test_words_name_their_tokens(bert):
    sentence = prepare_sentence(bert, "Stanford is near Palo Alto; unbelievably, alto again.")
    assert positions_of(sentence, "Palo") == [4]
    pieces = [sentence.tokens.token[p] for p in positions_of(sentence, "unbelievably")]
    assert "".join(piece.removeprefix("##") for piece in pieces) == "unbelievably"  # every piece of the word
    assert positions_of(sentence, "Alto") == [5]  # the first whole-word match, case as typed
    with pytest.raises(ValueError, match="does not occur"):
        positions_of(sentence, "Pal")
    view = MaskExplorer(bert, text="Stanford is near Palo Alto.", masked=("Palo",))
    assert view.masked == [4] and [c.value for c in view.chips.children].index(True) == 3


def test_filling_masks_left_to_right_takes_the_top_guess_each_time(bert):
    prompt = "the cat sat on the mat."
    steps = fill_left_to_right(bert, prompt, new_tokens=3)
    assert len(steps) == 3 and all(step.startswith(prompt) for step in steps)
    first = bert.fill_mask(prompt + " [MASK]" * 3, top_k=1)
    token = first[first["mask"] == 1].token.iloc[0].strip()
    assert steps[0] == prompt + (token[2:] if token.startswith("##") else " " + token)
    assert all(later.startswith(earlier) for earlier, later in zip(steps, steps[1:], strict=False))
    with pytest.raises(ValueError, match="positive"):
        fill_left_to_right(bert, prompt, 0)


# -------------------------------------------------------- NextTokenExplorer


def test_next_tokens_match_transformers(gpt, hf_gpt):
    prompt = "The cat sat on the"
    state = next_token_update(gpt, prompt, top_k=5, temperature=0.7)
    ids = torch.tensor([gpt.tokenizer.encode(prompt).ids])
    with torch.no_grad():
        probabilities = (hf_gpt(input_ids=ids).logits[0, -1] / 0.7).softmax(-1)
    top = probabilities.topk(5)
    assert list(state.candidates.id) == top.indices.tolist()
    assert list(state.candidates.probability) == pytest.approx(top.values.tolist(), rel=1e-4)


def test_prompt_colours_are_each_prefixs_next_token_probability(gpt, hf_gpt):
    # Colour of token t = p(token t | the prompt's tokens before it): what the explorer's
    # bars showed when the prompt ended just before t. One forward pass gives both.
    prompt = "The cat sat on the mat."
    state = next_token_update(gpt, prompt, top_k=3)
    ids = gpt.tokenizer.encode(prompt).ids
    with torch.no_grad():
        log_probs = hf_gpt(input_ids=torch.tensor([ids])).logits[0].log_softmax(-1)
    expected = [float(log_probs[t, ids[t + 1]].exp()) for t in range(len(ids) - 1)]
    table = state.prompt_tokens
    first = gpt.specials.start_of_text() in ids[:1]
    assert list(table.probability[1:]) == pytest.approx(expected[-(len(table) - 1):], rel=1e-4)
    assert first or math.isnan(table.probability.iloc[0])  # nothing before the first token
    assert "".join(prompt[s:e] for s, e in zip(table.start, table.end, strict=True)) == prompt
    # And each colour equals the next-token probability of that token after its prefix.
    prefix = prompt[:int(table.start.iloc[2])]
    after = gpt.next_token(prefix, top_k=gpt.tokenizer.get_vocab_size())
    token_id = gpt.tokenizer.encode(prompt).ids[len(gpt.tokenizer.encode(prefix).ids)]
    assert after[after.id == token_id].probability.iloc[0] == pytest.approx(table.probability.iloc[2], rel=1e-4)
    assert "nothing before it" in state.html() or first


def test_next_token_html_escapes_and_hints(gpt):
    html = next_token_update(gpt, NASTY, 3).html()
    assert "<script" not in html and "<b>bold" not in html
    assert "&lt;" in html and "&gt;" in html  # each token is escaped inside its coloured span
    assert "Type a prompt" in next_token_update(gpt, "  ", 3).html()


def test_long_prompt_keeps_its_end_with_a_notice(gpt):
    prompt = "one two three " * 100 + "the end"
    fitted, notice = fit_prompt(gpt, prompt)
    assert prompt.endswith(fitted) and "last 63 tokens" in notice
    assert len(gpt.tokenize(fitted)) <= gpt.max_length - 1
    state = next_token_update(gpt, prompt, 3)
    assert state.message == "" and "last 63 tokens" in state.html()


def test_a_pasted_book_says_both_cuts(gpt):
    prompt = "one two three " * 3000  # 42,000 characters
    fitted, notice = fit_prompt(gpt, prompt)
    assert "42,000 characters" in notice and "only the last 5,000 are read" in notice
    assert "tokens" in notice and "last 63 tokens" in notice


def test_whitespace_the_model_reads_is_drawn(gpt):
    html = next_token_update(gpt, "The cat sat\n", 3).html()
    assert "⏎" in html  # a trailing newline changes the prediction, so it must show
    html = next_token_update(gpt, "The cat sat  ", 3).html()
    assert html.split("next token")[0].count("␣") == 2  # both trailing spaces, each its own token here
    assert "␣" not in next_token_update(gpt, "The cat sat", 3).html().split("next token")[0]


def test_bidi_overrides_cannot_reverse_the_page(gpt):
    html = next_token_update(gpt, "abc \u202edef", 3).html()
    assert "\u202e" not in html and "[U+202E]" in html


def test_a_high_temperature_keeps_its_bars_visible(gpt):
    import re

    html = next_token_update(gpt, "The cat sat on the", 5, temperature=10.0).html()
    widths = [float(w) for w in re.findall(r"width:([\d.]+)%", html)]
    assert max(widths) == 100.0 and min(widths) > 50  # nearly flat, and drawn
    assert "of the probability" in html


def test_the_prompt_box_submits_on_enter(gpt):
    import ipywidgets as widgets

    view = NextTokenExplorer(gpt, prompt="The cat")
    # A one-line Text box sends its value on Enter; a Textarea would take Enter as a newline.
    assert isinstance(view.prompt, widgets.Text) and not isinstance(view.prompt, widgets.Textarea)
    assert view.prompt.continuous_update is False


def test_a_masked_model_gets_a_clear_message(bert):
    html = next_token_update(bert, "Hello", 3).html()
    assert "masked LM" in html and "smollm2-135m" in html
    assert "has no next_token" in NextTokenExplorer(bert).static_html()


def test_view_appends_candidates_and_streams_with_a_seed(gpt):
    view = NextTokenExplorer(gpt, prompt="The cat", top_k=4, max_new_tokens=6, seed=7)
    assert len(view.candidates.children) == 4
    first = view.state.candidates.token.iloc[0]
    view.candidates.children[0].click()
    assert view.prompt.value == "The cat" + first
    assert view.state.prompt == "The cat" + first  # the update followed
    view.temperature.value = 0.5
    written = view.stream()
    assert written == gpt.generate(view.prompt.value, 6, temperature=0.5, top_k=4, seed=7)
    assert "sampled continuation" in view.static_html()


def test_side_by_side_shows_both_static_pictures(bert, gpt):
    both = SideBySide(MaskExplorer(bert, text=SENTENCE, masked=(2,)), NextTokenExplorer(gpt, prompt="The cat"))
    html = both.static_html()
    assert "[MASK] at position 2" in html and "next token (temperature 1)" in html
