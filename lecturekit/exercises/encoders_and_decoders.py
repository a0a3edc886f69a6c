"""Checks for the exercises of notebook 04 (encoders and decoders).

The masked-LM question is about lecture-bert, which ships in the repository, so its check
loads it. The temperature question is about SmolLM2: the notebook passes the model it
already loaded (``check(..., model=gpt)``), and the check recomputes the probability with it.
"""

from __future__ import annotations

from functools import lru_cache

from .base import number, whole_number

CAUSAL_TOKENS = 6
# True in the lecture world (make_world(0): Liam Larsen's birthplace is Montreal); the city
# asked about is one the world does not have, so lecture-bert's tokenizer has no token for it.
WORLD_SENTENCE = "Liam Larsen was born in Montreal."
FOREIGN_CITY = "Stockholm"
FRANCE_PROMPT = "The capital of France is"
SHARP = 0.9
LAB_SENTENCE = "Thank you for inviting me."
SMOLLM2 = "smollm2-135m"


@lru_cache(maxsize=2)
def _load(name: str):
    from ..hub import load_model

    return load_model(name)


def _causal_pairs(answer):
    from ..models.attention import causal_mask

    expected = int(causal_mask(CAUSAL_TOKENS).sum())
    return whole_number(answer) == expected, f"count the blue cells of the causal grid for {CAUSAL_TOKENS} tokens"


def _mask_chips(answer):
    from ..widgets.mask_explorer import positions_of, prepare_sentence

    sentence = prepare_sentence(_load("lecture-bert"), WORLD_SENTENCE.replace("Montreal", FOREIGN_CITY))
    expected = len(positions_of(sentence, FOREIGN_CITY))
    return whole_number(answer) == expected, f"count the chips that together spell '{FOREIGN_CITY}'"


def _sharp_temperature(answer, model=None):
    if model is None:
        model = _load(SMOLLM2)
    if getattr(model, "name", None) != SMOLLM2:
        raise ValueError(f"this exercise is about SmolLM2: pass model=gpt (load_model({SMOLLM2!r})), "
                         f"not {getattr(model, 'name', model)!r}")
    temperature = number(answer)
    if temperature is None or temperature <= 0:
        return False, "a temperature is a number above 0 (the logits are divided by it)"
    top = model.next_token(FRANCE_PROMPT, top_k=1, temperature=temperature)
    probability = float(top.probability.iloc[0])
    return probability > SHARP, (
        f"at {temperature:g} the top token has only {probability:.2f}: which way sharpens the distribution?")


def _loss_everywhere(answer):
    from ..widgets.masking_lab import SCHEMES, LabTokenizer, masking_lab_examples

    if answer not in SCHEMES:
        return False, f"answer with one of the MaskingLab's names: {', '.join(SCHEMES)}"
    examples, _ = masking_lab_examples(LabTokenizer(), LAB_SENTENCE, 0.15, 3.0, 0)
    example = examples[answer]
    # Loss on every position *of its input*: aligned with the input, and no empty target cell.
    return example.aligned and all(example.loss), "which example has a target cell with loss under every input cell?"


CHECKS = {
    "causal_pairs": _causal_pairs,
    "mask_chips": _mask_chips,
    "sharp_temperature": _sharp_temperature,
    "loss_everywhere": _loss_everywhere,
}
