"""A linear probe fit to convergence: what a frozen model's vectors hold about a task.

Training only the classifier over frozen vectors is logistic regression, a convex
problem with one best fit. L-BFGS finds it in a few hundred iterations over vectors
computed once, so the answer depends on the vectors, not on a budget of steps. A
probe trained for a fine-tuning budget (``train_classifier(..., "linear_probe")``,
60 AdamW steps) measures the budget as much as the vectors: on the held-out-word
reviews, MiniLM's probe reached 0.61 that way.

    >>> probe = fit_linear_probe(load_model("minilm-l6"), texts, labels)
    >>> probe.accuracy(test_texts, test_labels)
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from ..hub.batching import in_chunks
from ..runtime import seed_everything
from .classifier import PREDICT_BATCH, Classifier, FineTuneHistory, autocast
from .heads import build_network
from .inputs import batch, check_examples, encode, label_classes, label_ids, truncation_note


@torch.no_grad()
def frozen_features(network, model, rows: list[list[int]]) -> torch.Tensor:
    """The pooled vectors the classifier reads, in float32 on the CPU (the network is not trained)."""
    network.eval()
    device = network.head.weight.device
    out = []
    for chunk in in_chunks(rows, PREDICT_BATCH):
        ids, mask = batch(chunk, model.specials.pad, device)
        with autocast(device):
            out.append(network.features(ids, mask).float().cpu())
    return torch.cat(out)


def fit_linear_probe(model, texts, labels, *, l2: float = 0.01, max_iter: int = 500, pooling: str | None = None,
                     seed: int = 0, device=None) -> Classifier:
    """Logistic regression on ``model``'s frozen, pooled vectors of ``texts``, fit by L-BFGS.

    The loss is the mean cross-entropy plus ``l2`` times the squared norm of the
    weights (not the bias): without it, training reviews a line can separate
    drive the weights to infinity. Returns a ``Classifier`` whose history holds
    one entry: the iterations used, the final loss and the training accuracy.
    """
    texts, labels = check_examples(texts, labels)
    if l2 < 0 or max_iter < 1:
        raise ValueError(f"l2 must be >= 0 and max_iter >= 1; got l2={l2}, max_iter={max_iter}.")
    classes = label_classes(labels)
    targets = label_ids(labels, classes)
    seed_everything(seed)
    network, settings = build_network(model, "linear_probe", len(classes), pooling=pooling, seed=seed,
                                      device=device)
    rows, cut = encode(model, texts, model.max_length)
    notes = [n for n in [truncation_note(cut, len(rows), model.max_length, model.name)] if n]
    started = time.perf_counter()
    features = frozen_features(network, model, rows).double()
    weight = torch.zeros(features.shape[1], len(classes), dtype=torch.float64, requires_grad=True)
    bias = torch.zeros(len(classes), dtype=torch.float64, requires_grad=True)
    solver = torch.optim.LBFGS([weight, bias], max_iter=max_iter, line_search_fn="strong_wolfe",
                               tolerance_grad=1e-9, tolerance_change=1e-12)

    def objective(logits):
        return F.cross_entropy(logits, targets) + l2 * weight.pow(2).sum()

    def loss_of_fit():
        solver.zero_grad()
        loss = objective(features @ weight + bias)
        loss.backward()
        return loss

    solver.step(loss_of_fit)  # returns the loss before the fit; the one after is computed below
    iterations = int(solver.state[weight]["n_iter"])
    with torch.no_grad():
        logits = features @ weight + bias
        loss = float(objective(logits))
        train_accuracy = float((logits.argmax(dim=-1) == targets).double().mean())
        network.head.weight.copy_(weight.T.float())
        network.head.bias.copy_(bias.float())
    history = FineTuneHistory(step=[iterations], train_loss=[loss], eval_step=[iterations], eval_loss=[loss],
                              accuracy=[train_accuracy])
    settings = {**settings, "fit": "L-BFGS to convergence", "l2": l2, "iterations": iterations}
    return Classifier(model, network, classes, "linear_probe", settings, model.max_length, history,
                      time.perf_counter() - started, notes)
