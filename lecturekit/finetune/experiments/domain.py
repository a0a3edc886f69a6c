"""Experiment 4: domain-adaptive pretraining ("Don't Stop Pretraining", the lecture's Q&A).

The task: "What course is the Kestrel bowl?" -> dessert or main. A dish's name
gives nothing away; its course shows only in the recipes (sugar and cream, or
garlic and rice), and the held-out dishes appear only there, never with a label.

Two arms, the same fine-tuning (method, steps, batches, learning rate, seeds):

- lecture-bert as shipped;
- lecture-bert after more masked-LM pretraining on the unlabelled recipes
  (``continue_pretraining``: the pretraining loop of ``lecturekit.train`` on a
  copy of the network, with the model's own tokenizer).

Scored on the held-out dishes. Does reading the domain's raw text first help?
"""

from __future__ import annotations

import copy
import time

import torch

from ...hub.errors import NotSupportedError
from ...train.data import BatchStream
from ...train.loop import TrainConfig, evaluate, train
from ..training import train_classifier
from .common import (
    ExperimentResult,
    fingerprint,
    peak_learning_rate,
    pooling_for,
    resolve_model,
    summarize,
)

VALIDATION_DOCUMENTS = 100  # recipes kept out of continued pretraining, to measure its masked-LM loss


def continue_pretraining(model, documents: list[str], *, steps: int = 300, batch_size: int = 32,
                         block_size: int = 64, learning_rate: float = 3e-4, mask_rate: float = 0.4,
                         validation: list[str] | None = None, seed: int = 0, device=None):
    """A copy of ``model`` pretrained further with masked LM on ``documents``; and the loop's History.

    ``mask_rate`` 0.4 is lecture-bert's own pretraining recipe (its config). The
    returned model's ``history.val_loss`` (with ``validation`` documents) holds
    the masked-LM loss before and after, measured on the same fixed batches.
    """
    if model.kind != "masked-lm" or not hasattr(model.module, "config") or not hasattr(model.module, "mlm_head"):
        raise NotSupportedError(f"continue_pretraining needs a lecture masked-LM model; {model.name} is a {model.kind}.")
    target = torch.device(device) if device is not None else model.device
    module = copy.deepcopy(model.module).to(device=target, dtype=torch.float32)
    block_size = min(block_size, model.max_length)
    stream = BatchStream(model.tokenizer, documents, "mlm", block_size=block_size, batch_size=batch_size,
                         seed=seed, mask_rate=mask_rate)
    held_out = (BatchStream(model.tokenizer, validation, "mlm", block_size=block_size, batch_size=batch_size,
                            seed=seed + 1, mask_rate=mask_rate).batches(4) if validation else None)
    before = evaluate(module, held_out, target) if held_out else None
    config = TrainConfig(steps=steps, learning_rate=learning_rate, warmup_steps=max(1, steps // 10),
                         eval_every=steps, eval_batches=4, seed=seed)
    torch.manual_seed(seed)
    history = train(module, stream, config, eval_batches=held_out, device=target, progress=False)
    if before is not None:
        history.eval_step.insert(0, 0)
        history.val_loss.insert(0, before)
    adapted = copy.copy(model)  # the same tokenizer and interface around the new weights
    adapted.module = module.to(device=model.device, dtype=model.dtype).eval()
    adapted.name = f"{model.name} + recipes"
    return adapted, history


class DomainResult(ExperimentResult):
    experiment = "domain_adaptive_pretraining"

    def table(self):
        """Held-out-dish accuracy per arm, over the fine-tuning seeds."""
        return summarize(self.frame(), ["arm"])

    def gain(self) -> float:
        """Mean held-out-dish accuracy with the extra pretraining minus without."""
        means = self.frame().groupby("arm")["accuracy"].mean()
        return float(means["with recipes"] - means["as shipped"])


def domain_adaptive_pretraining(model="lecture-bert", *, n_tokens: int = 200_000, pretrain_steps: int = 300,
                                pretrain_batch_size: int = 32, block_size: int = 64,
                                pretrain_learning_rate: float = 3e-4, method: str = "full",
                                steps: int = 60, batch_size: int = 16, seeds=(0, 1, 2), domain=None,
                                device=None, log=None) -> DomainResult:
    """Fine-tune with and without continued pretraining on recipes; score the held-out dishes.

    Rows: arm ("as shipped" / "with recipes"), model, seed, accuracy (held-out
    dishes), train_accuracy, and the fine-tuning settings (equal for both arms).
    ``extra["pretraining"]``: the continued pretraining's loss per step;
    ``settings["recipe_loss"]``: masked-LM loss on unseen recipes before/after.
    """
    from ...world.recipes import second_domain

    started = time.perf_counter()
    domain = domain or second_domain(n_tokens=n_tokens)
    documents = [d.text for d in domain.corpus.documents]
    validation = documents[-VALIDATION_DOCUMENTS:] if len(documents) > 2 * VALIDATION_DOCUMENTS else None
    training_documents = documents[:-VALIDATION_DOCUMENTS] if validation else documents
    base = resolve_model(model, device)
    adapted, history = continue_pretraining(base, training_documents, steps=pretrain_steps,
                                            batch_size=pretrain_batch_size, block_size=block_size,
                                            learning_rate=pretrain_learning_rate, validation=validation,
                                            device=device)
    if log:
        log(f"continued pretraining: {pretrain_steps} steps in {history.seconds:.0f} s, recipe masked-LM "
            f"loss {' -> '.join(f'{v:.2f}' for v in history.val_loss)}")
    texts, labels = [q.text for q in domain.train], [q.label for q in domain.train]
    test_texts, test_labels = [q.text for q in domain.test], [q.label for q in domain.test]
    rows = []
    for arm, start in (("as shipped", base), ("with recipes", adapted)):
        for seed in seeds:
            classifier = train_classifier(start, texts, labels, method, steps=steps, batch_size=batch_size,
                                          seed=seed, eval_every=steps, progress=False, device=device,
                                          pooling=pooling_for(start))
            accuracy = classifier.accuracy(test_texts, test_labels)
            rows.append({"arm": arm, "model": start.name, "method": method, "seed": seed, "accuracy": accuracy,
                         "train_accuracy": classifier.history.accuracy[-1], "steps": steps,
                         "batch_size": batch_size, "learning_rate": peak_learning_rate(classifier),
                         "n_examples": len(texts), "examples": fingerprint(texts)})
            if log:
                log(f"{arm:<13} seed={seed}  held-out-dish accuracy {accuracy:.3f}")
    settings = {"model": base.name, "n_tokens": n_tokens, "pretrain_steps": pretrain_steps,
                "pretrain_batch_size": pretrain_batch_size, "block_size": block_size,
                "pretrain_learning_rate": pretrain_learning_rate, "method": method, "steps": steps,
                "batch_size": batch_size, "seeds": list(seeds), "n_train": len(texts), "n_test": len(test_texts),
                "pretrain_seconds": round(history.seconds, 1),
                "recipe_loss": {"steps": history.eval_step, "loss": history.val_loss},
                "heldout_dishes": [q.text for q in domain.test]}
    curve = [{"step": s, "loss": v} for s, v in zip(history.step, history.train_loss, strict=True)]
    return DomainResult(rows, settings, time.perf_counter() - started, extra={"pretraining": curve})


def plot_domain(result: DomainResult, axes=None):
    """Left: the masked-LM loss on recipes during continued pretraining; right: held-out-dish accuracy."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    curve = result.frame("pretraining")
    axes[0].plot(curve["step"], curve["loss"], color="#4c78a8", alpha=0.6, lw=1, label="training batch")
    held = result.settings.get("recipe_loss", {})
    if held.get("loss"):
        axes[0].plot(held["steps"], held["loss"], "o-", color="#e45756", label="unseen recipes")
    axes[0].set_xlabel("continued-pretraining step")
    axes[0].set_ylabel("masked-LM loss (nats)")
    axes[0].legend(fontsize=8)
    frame = result.frame()
    arms = list(dict.fromkeys(frame["arm"]))
    for index, arm in enumerate(arms):
        values = frame[frame["arm"] == arm]["accuracy"]
        axes[1].bar(index, values.mean(), color=["#bab0ac", "#54a24b"][index % 2], alpha=0.8)
        axes[1].plot([index] * len(values), values, "ko", ms=4)
    axes[1].axhline(0.5, color="grey", ls=":", lw=1)
    axes[1].set_xticks(range(len(arms)), arms)
    axes[1].set_ylim(0, 1.02)
    axes[1].set_ylabel("accuracy on held-out dishes")
    axes[1].set_title("same fine-tuning, with and without the recipes")
    axes[0].figure.tight_layout()
    return axes
