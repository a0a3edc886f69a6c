"""Notebook 04's exercise checks: right answers (worked out here) pass, wrong ones fail.

The masked-LM question runs lecture-bert, which ships in the repository; the temperature
question needs SmolLM2 and is skipped where its package is not installed.
"""

from __future__ import annotations

import pytest
import torch

from lecturekit.exercises import check
from lecturekit.exercises.encoders_and_decoders import FOREIGN_CITY, WORLD_SENTENCE
from lecturekit.widgets.masking_lab import SCHEMES


def smollm2_or_skip():
    from lecturekit import bundled
    from lecturekit.hub import load_model

    try:
        bundled.smollm2_gguf()
    except bundled.BundledModelMissing as missing:
        pytest.skip(str(missing))
    return load_model("smollm2-135m", device="cpu")


def test_causal_pairs_are_a_triangle():
    right = 6 * 7 // 2  # token t reads tokens 1..t
    assert check("causal_pairs", right).startswith("✓")
    for wrong in (36, 15, 6, "21", True):
        with pytest.raises(AssertionError, match="causal grid"):
            check("causal_pairs", wrong)


def test_the_mask_sentence_is_true_in_the_lecture_world_and_the_city_is_not_in_it():
    from lecturekit.world import make_world

    world = make_world(0)
    assert world.person("Liam Larsen").birthplace == "Montreal" and "Montreal" in WORLD_SENTENCE
    assert FOREIGN_CITY not in world.cities


def test_mask_chips_counts_lecture_berts_pieces_of_the_city():
    from lecturekit import load_model

    tokenizer = load_model("lecture-bert").tokenizer
    right = len(tokenizer.encode(FOREIGN_CITY, add_special_tokens=False).ids)
    assert right > 1 and len(tokenizer.encode("Montreal", add_special_tokens=False).ids) == 1
    assert check("mask_chips", right).startswith("✓")
    for wrong in (1, right + 1, len(FOREIGN_CITY)):
        with pytest.raises(AssertionError, match=FOREIGN_CITY):
            check("mask_chips", wrong)


def top_probability(model, prompt: str, temperature: float) -> float:
    """p(top token) at a temperature, from the model's plain logits: softmax(logits / T)."""
    ids = torch.tensor([model.tokenizer.encode(prompt).ids])
    with torch.no_grad():
        logits = model.module(input_ids=ids).logits[0, -1].double()
    return float(torch.softmax(logits / temperature, dim=-1).max())


def test_sharp_temperature_recomputes_with_the_model_it_is_given():
    gpt = smollm2_or_skip()
    prompt = "The capital of France is"
    assert top_probability(gpt, prompt, 0.3) > 0.9 > top_probability(gpt, prompt, 2.0)
    assert check("sharp_temperature", 0.3, model=gpt).startswith("✓")
    assert check("sharp_temperature", 0.3).startswith("✓")  # without the model, it loads SmolLM2 itself
    for wrong in (2.0, 1.0, 0, -0.3, "0.3", float("inf")):
        with pytest.raises(AssertionError):
            check("sharp_temperature", wrong, model=gpt)


def test_sharp_temperature_is_about_smollm2_only():
    from lecturekit import load_model

    with pytest.raises(ValueError, match="SmolLM2"):
        check("sharp_temperature", 0.3, model=load_model("lecture-gpt"))


def test_only_causal_lm_puts_loss_on_every_input_position():
    assert check("loss_everywhere", "causal LM").startswith("✓")
    for wrong in [s for s in SCHEMES if s != "causal LM"] + ["GPT", "causal lm", 0]:
        with pytest.raises(AssertionError):
            check("loss_everywhere", wrong)
