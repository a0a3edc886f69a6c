"""Closed-book question answering: fine-tune on questions, answer new people from memory.

The course's homework in miniature (LECTURE.md §5). Fine-tuning shows the model
"Question: Where was Ada Novak born? Answer: Bergen." for some people; the test
asks about other people, whose birthplace the model can only have read in its
pretraining biographies. Nothing in fine-tuning tells it *their* cities: it can
answer only if pretraining stored the fact and fine-tuning taught it to fetch it
(the lecture's "implicit retrieval").

Both kinds of generative model are fine-tuned the same way, full fine-tuning
with AdamW on the answer's tokens only:

- a decoder reads "[BOS] Question: ... Answer:" and the loss is on " Bergen ." —
  the course assignment's format (question, then answer, one sequence);
- an encoder-decoder's encoder reads "Question: ... Answer:", its decoder writes
  "Bergen ." (as T5 is fine-tuned).

Answers are decoded greedily and cut at the first full stop; exact match
compares them with the true city.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import torch

from ..models import IGNORE_INDEX
from ..prompting.evaluation import wilson_interval

PROMPT = "Question: {question} Answer:"
MAX_ANSWER_TOKENS = 8  # a city and the full stop; the stop usually comes first


def prompt_for(question: str) -> str:
    return PROMPT.format(question=question.strip())


@dataclass
class QAResult:
    """Exact match on a list of questions, with a 95% Wilson interval."""

    correct: int
    total: int
    table: pd.DataFrame  # one row per question: person, question, answer, predicted, correct

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.correct, self.total)

    def __repr__(self) -> str:
        low, high = self.interval
        return f"exact match {self.correct}/{self.total} = {self.accuracy:.1%} (95% CI {low:.1%}–{high:.1%})"


def _answer_ids(model, answer: str) -> list[int]:
    ids = model._tokenizer.encode(f" {answer} .", add_special_tokens=False).ids
    stop = model.specials.eos if model.kind == "encoder-decoder" else None
    return ids + ([stop] if stop is not None else [])


def qa_batch(model, questions: Sequence, device=None) -> dict[str, torch.Tensor]:
    """Teacher-forcing inputs for ``questions`` (each with ``.question`` and ``.answer``).

    Only the answer's tokens carry loss (labels -100 elsewhere), so fine-tuning
    teaches what to answer, not how questions are worded.
    """
    pad = model.specials.pad
    prompts = [model._prompt(prompt_for(q.question)).ids for q in questions]
    answers = [_answer_ids(model, q.answer) for q in questions]
    if model.kind == "encoder-decoder":
        sources, targets = prompts, answers
        labels_rows = targets
    elif model.kind == "causal-lm":
        sources = [p + a for p, a in zip(prompts, answers, strict=True)]
        labels_rows = [[IGNORE_INDEX] * len(p) + a for p, a in zip(prompts, answers, strict=True)]
    else:
        raise ValueError(f"{model.name} is a {model.kind}: closed-book answers need a causal LM or an encoder-decoder.")
    width = max(map(len, sources))
    input_ids = torch.tensor([s + [pad] * (width - len(s)) for s in sources])
    attention_mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sources])
    label_width = max(map(len, labels_rows))
    labels = torch.tensor([row + [IGNORE_INDEX] * (label_width - len(row)) for row in labels_rows])
    device = device or model.device
    return {"input_ids": input_ids.to(device), "attention_mask": attention_mask.to(device),
            "labels": labels.to(device)}


def qa_loss(module, batch: dict, kind: str) -> torch.Tensor:
    """Cross-entropy on the answer tokens of a ``qa_batch`` (any module with the Hugging Face signature)."""
    if kind == "encoder-decoder":
        return module(**batch).loss
    logits = module(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    # The label at position t is predicted from position t - 1.
    return torch.nn.functional.cross_entropy(
        logits[:, :-1].flatten(0, 1).float(), batch["labels"][:, 1:].flatten(), ignore_index=IGNORE_INDEX)


def fine_tune_qa(model, questions: Sequence, *, steps: int = 300, batch_size: int = 16,
                 learning_rate: float = 1e-3, weight_decay: float = 0.01, seed: int = 0):
    """A fine-tuned copy of ``model`` (a ``LanguageModel``); ``model`` itself is unchanged.

    Full fine-tuning: AdamW, linear warm-up over the first 10% of the steps then
    linear decay to zero, batches drawn without replacement, reshuffled each epoch.
    Returns the copy, with ``.history`` (the training loss per step).
    """
    questions = list(questions)
    if not questions:
        raise ValueError("fine_tune_qa needs at least one question to learn from.")
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}.")
    tuned = copy.copy(model)
    tuned.module = copy.deepcopy(model.module).float().train()
    tuned.name = f"{model.name} + QA fine-tuning"
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(tuned.module.parameters(), lr=learning_rate, weight_decay=weight_decay)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / max(1, steps - warmup))))
    order: list[int] = []
    history = []
    for _ in range(steps):
        if len(order) < batch_size:
            order += torch.randperm(len(questions), generator=generator).tolist()
        chosen, order = order[:batch_size], order[batch_size:]
        batch = qa_batch(tuned, [questions[i] for i in chosen])
        loss = qa_loss(tuned.module, batch, tuned.kind)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(tuned.module.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        history.append(float(loss.detach()))
    tuned.module.to(dtype=model.dtype).eval()
    tuned.history = history
    return tuned


def answer(model, question: str) -> str:
    """The model's greedy answer to one question, cut at the first full stop."""
    if not isinstance(question, str) or not question.strip():
        raise ValueError("Ask a question: the text is empty.")
    text = model.generate(prompt_for(question), max_new_tokens=MAX_ANSWER_TOKENS, temperature=0)
    return text.split(".")[0].strip()


def exact_match(model, questions: Sequence) -> QAResult:
    """Answer every question greedily and count exact matches with the true answer."""
    rows = []
    for q in questions:
        predicted = answer(model, q.question)
        rows.append({"person": q.person, "question": q.question, "answer": q.answer,
                     "predicted": predicted, "correct": predicted == q.answer})
    table = pd.DataFrame(rows, columns=["person", "question", "answer", "predicted", "correct"])
    return QAResult(int(table["correct"].sum()), len(table), table)
