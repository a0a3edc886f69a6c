"""Homework 3, adaptation: the questions' hidden tests.

References: ``finetune.lora.LoRALinear`` (the student's LoRA layer must compute what it
computes from the same A, B and frozen W), ``prompting.prompts.few_shot_prompt`` (the k-shot
prompt), and ``world.splits.birthplace_qa`` for closed-book question answering: the
student's ``answer(question)`` is asked about held-out people (a sample drawn from the
grader's seed), whose birthplaces appear only in lecture-gpt's pretraining text, never in the
fine-tuning questions. Exact match must reach ``QA_TARGET``, far above always answering the
most common city (``BirthplaceSplit.baseline_accuracy``).
"""

from __future__ import annotations

import random

from .questions import call, question

QA_TARGET, QA_QUESTIONS = 0.6, 40


@question("hw3.lora_layer", points=3)
def lora_layer(lora_class, seed):
    import torch
    from torch import nn

    from ..finetune.lora import LoRALinear

    if not isinstance(lora_class, type):
        return False, "answer with your class: check('hw3.lora_layer', LoRA)"
    generator = torch.Generator().manual_seed(seed)
    for d_in, d_out, r, alpha in ((7, 5, 2, 6.0), (12, 16, 4, 8.0), (9, 3, 3, 1.5)):
        base = nn.Linear(d_in, d_out)
        layer = call(lora_class, base, r, alpha)
        trainable = {name for name, p in layer.named_parameters() if p.requires_grad}
        if trainable != {"A", "B"} or tuple(layer.A.shape) != (r, d_in) or tuple(layer.B.shape) != (d_out, r):
            return False, "only A (r × d_in) and B (d_out × r) train; the base layer's weight and bias are frozen"
        x = torch.randn(4, d_in, generator=generator)
        if not torch.allclose(layer(x), base(x), atol=1e-6):
            return False, "at the start (B = 0) the layer must compute exactly what the base layer computes"
        reference = LoRALinear(base, r=r, alpha=alpha)
        with torch.no_grad():
            for mine, theirs in ((layer.A, reference.lora_A.weight), (layer.B, reference.lora_B.weight)):
                mine.copy_(torch.randn(mine.shape, generator=generator))
                theirs.copy_(mine)
        out = layer(x)
        if not torch.allclose(out, reference(x), atol=1e-5):
            return False, "with trained A and B the output must be W x + b + (alpha / r) B A x"
        out.sum().backward()
        if layer.A.grad is None or layer.B.grad is None or base.weight.grad is not None:
            return False, "gradients must reach A and B, and not the frozen weight"
    return True, ""


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choices("abcdefghij klm=>", k=rng.randint(1, 12))).strip() or "x"


@question("hw3.k_shot_prompt", points=2)
def k_shot_prompt(build_prompt, seed):
    from ..prompting.prompts import few_shot_prompt

    if not callable(build_prompt):
        return False, "answer with your function: check('hw3.k_shot_prompt', k_shot_prompt)"
    rng = random.Random(seed)
    for k in (0, 1, 3, 5):
        demonstrations = [(_random_text(rng), _random_text(rng)) for _ in range(k)]
        query = _random_text(rng)
        if call(build_prompt, list(demonstrations), query) != few_shot_prompt(demonstrations, query):
            return False, ("one line 'input => output' per demonstration, then the query as 'input =>' with no "
                           "space after the arrow, lines joined by newlines (k = 0 is the query alone)")
    return True, ""


def held_out_sample(seed: int):
    from ..world.splits import birthplace_qa

    split = birthplace_qa()
    return split, random.Random(seed).sample(split.test, QA_QUESTIONS)


@question("hw3.closed_book", points=4)
def closed_book(answer, seed):
    if not callable(answer):
        return False, "answer with your function: check('hw3.closed_book', answer)"
    split, asked = held_out_sample(seed)
    correct = sum(str(call(answer, q.question)).strip() == q.answer for q in asked)
    return correct / len(asked) >= QA_TARGET, (
        f"{correct} of {len(asked)} held-out people right; the target is {QA_TARGET:.0%} (always answering "
        f"{split.baseline_answer} scores {split.baseline_accuracy:.0%})")


@question("hw3.why_fine_tuning_helps", points=1)
def why_fine_tuning_helps(answer, seed):
    choice = answer.strip().strip("()").lower() if isinstance(answer, str) else None
    if choice not in ("a", "b", "c"):
        return False, "answer with one letter, 'a', 'b' or 'c'"
    return choice == "c", "what did fine-tuning show the model, and about whom?"


SMOLLM2_TASK, SMOLLM2_KS, SMOLLM2_ITEMS = "antonyms", (0, 1, 4), 10


@question("hw3.smollm2_vs_k", points=1)
def smollm2_vs_k(answer, seed):
    """Recomputed with a freshly loaded SmolLM2 and the library's evaluation (greedy, so exact)."""
    from ..hub import load_model
    from ..prompting.evaluation import accuracy_vs_k

    if not isinstance(answer, dict) or sorted(answer) != sorted(SMOLLM2_KS):
        return False, f"answer with a dict {{k: accuracy}} for k in {SMOLLM2_KS}"
    table = accuracy_vs_k(load_model("smollm2-135m"), SMOLLM2_TASK, ks=SMOLLM2_KS, items=SMOLLM2_ITEMS)
    expected = dict(zip(table["k"], table["accuracy"], strict=True))
    right = all(abs(float(answer[k]) - float(expected[k])) < 1e-9 for k in SMOLLM2_KS)
    return right, "read the accuracy of each k from the table accuracy_vs_k returns (a share between 0 and 1)"
