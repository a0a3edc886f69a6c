"""What every exercise check shares: the placeholder and None are "not answered yet" (no
error, so a stored notebook runs clean), every check has a wrong answer that fails, and a
check's message shows as plain text in a notebook."""

from __future__ import annotations

import pytest

from lecturekit.exercises import NOTEBOOK_MODULES, all_checks, check
from lecturekit.exercises.base import Feedback

NAMES = sorted(all_checks())


def smollm2_or_skip():
    from lecturekit import bundled
    from lecturekit.hub import load_model

    try:
        bundled.smollm2_gguf()
    except bundled.BundledModelMissing as missing:
        pytest.skip(str(missing))
    return load_model("smollm2-135m", device="cpu")


def not_even_wordpiece(word, vocab):
    return list(word)  # one piece per letter, no "##", vocab ignored


# One plainly wrong answer per exercise (each notebook's test file tries more).
WRONG = {
    "bpe_lowest": ["lowest</w>"],
    "wordpiece_cut": not_even_wordpiece,
    "one_token": "the",
    "highest_fertility": "English",
    "words_in_512_tokens": 512,
    "pieces": 1,
    "static_similarity": 0.8,
    "best_layer": "static",
    "noun_sentence": "Please record this call for me.",
    "masked_of_512": 77,
    "t5_target": "your party",
    "best_at_numbers": "lecture-t5",
    "prefix_visible_targets": 31,
    "causal_pairs": 36,
    "mask_chips": 1,
    "sharp_temperature": 3.0,
    "loss_everywhere": "token masking",
    "lora_parameters": 128 * 384,
    "merged_lora_weight": lambda W, A, B, alpha, r: W + B @ A,
    "prefix_tuning_parameters": 8 * 128,
    "last_token_pooling": lambda hidden, attention_mask: hidden[:, -1],
    "gpt3_forward_flops_per_token": 6 * 175e9,
    "rule_of_thumb_parameters": 1e24 / 120,
    "parameters_for_100_a100_hours": 70e9,
    "lecture_gpt_hours_at_20_tokens_per_parameter": 0.6,
    "token_growth_for_100x_budget": 100,
    "two_shot_prompt": "wet =>\ncold => hot\nup => down",
    "nucleus_size": 2,
    "contextual_calibration": lambda p, p_cf: p,
    "chain_scratch_pad": "8,15,45;45",
    "most_common_city_accuracy": lambda train, test: 0.5,
    "city_target_name_visible": 0.4,
    "salient_teaches_birthplace": 0.5,
}


def test_every_notebook_module_is_loaded_and_every_check_has_a_wrong_answer_here():
    assert set(NOTEBOOK_MODULES) >= {"encoders_and_decoders", "pretraining_objectives"}
    assert set(WRONG) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("unanswered", [..., None], ids=["placeholder", "None"])
def test_unanswered_is_said_not_raised(name, unanswered):
    message = check(name, unanswered)
    assert isinstance(message, Feedback)
    assert message.startswith("Not answered yet") and name in message and not message.startswith("✓")


def test_unanswered_with_context_is_said_too():
    # Notebook 04 passes its SmolLM2 along; the placeholder is still only "not answered".
    assert check("sharp_temperature", ..., model=object()).startswith("Not answered yet")


@pytest.mark.parametrize("name", NAMES)
def test_a_wrong_answer_fails_with_a_hint(name):
    context = {"model": smollm2_or_skip()} if name == "sharp_temperature" else {}
    with pytest.raises(AssertionError, match="Not yet: .* Hint: "):
        check(name, WRONG[name], **context)


def test_a_stub_function_is_not_answered_and_a_function_is_named_not_addressed():
    def wordpiece_cut(word, vocab):
        ...  # the answer cell's stub

    assert check("wordpiece_cut", wordpiece_cut).startswith("Not answered yet")
    with pytest.raises(AssertionError, match="your function not_even_wordpiece is not right") as raised:
        check("wordpiece_cut", not_even_wordpiece)
    assert "0x" not in str(raised.value)


def test_unknown_exercises_are_an_error_even_unanswered():
    for answer in (..., 1):
        with pytest.raises(ValueError, match="no exercise"):
            check("nope", answer)


def test_messages_show_as_plain_text_in_a_notebook():
    from IPython.core.formatters import PlainTextFormatter

    shown = PlainTextFormatter()(check("causal_pairs", ...))
    assert shown == str(check("causal_pairs", ...)) and shown.startswith("Not answered yet")
    assert PlainTextFormatter()(check("causal_pairs", 21)) == "✓ causal_pairs: correct"
    assert PlainTextFormatter()("plain") == "'plain'"  # what a plain str would have shown
