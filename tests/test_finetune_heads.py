"""The classifier on top: which vector it reads, padding, and what train_classifier returns."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
import torch

from lecturekit.finetune import DEFAULT_POOLING, LiveCurves, build_network, pool, train_classifier
from lecturekit.hub import load_model
from lecturekit.world.splits import sentiment_transfer

matplotlib.use("Agg")
REVIEWS = sentiment_transfer(n_train=32, n_test=2).train
TEXTS = [r.text for r in REVIEWS]
LABELS = [r.label for r in REVIEWS]
SHORT = dict(steps=4, batch_size=8, progress=False, device="cpu")


@pytest.fixture(scope="module")
def models():
    return {name: load_model(name, device="cpu") for name in ("lecture-bert", "lecture-gpt", "lecture-t5")}


def test_pooling_reads_the_right_positions():
    hidden = torch.arange(2 * 4 * 3, dtype=torch.float32).reshape(2, 4, 3)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])
    assert torch.equal(pool(hidden, mask, "first"), hidden[:, 0])
    # Right padding: the second text's last real token is position 1, not the last column.
    assert torch.equal(pool(hidden, mask, "last"), torch.stack([hidden[0, 3], hidden[1, 1]]))
    assert torch.equal(pool(hidden, None, "last"), hidden[:, -1])
    assert torch.allclose(pool(hidden, mask, "mean"), torch.stack([hidden[0].mean(0), hidden[1, :2].mean(0)]))
    with pytest.raises(ValueError, match="pooling must be one of first, last, mean"):
        pool(hidden, mask, "max")


def test_default_pooling_follows_the_kind(models):
    assert DEFAULT_POOLING == {"masked-lm": "first", "encoder": "first", "causal-lm": "last",
                               "encoder-decoder": "mean"}
    for name, expected in (("lecture-bert", "first"), ("lecture-gpt", "last"), ("lecture-t5", "mean")):
        network, _ = build_network(models[name], "linear_probe", 2, device="cpu")
        assert network.pooling == expected


@pytest.mark.parametrize("method", ["full", "prompt_tuning", "prefix_tuning", "lora"])
@pytest.mark.parametrize("name, pooling", [("lecture-gpt", "last"), ("lecture-bert", "first"),
                                           ("lecture-bert", "mean"), ("lecture-gpt", "mean")])
def test_a_padded_batch_gives_each_text_its_own_logits(models, name, pooling, method):
    """A text's class logits do not depend on the other, longer texts it is batched with."""
    network, _ = build_network(models[name], method, 3, pooling=pooling, device="cpu")
    network.eval()
    tokenizer = models[name].tokenizer
    rows = [tokenizer.encode(t).ids for t in ("It was good.", "The whole film felt slow and far too long to me.")]
    ids = torch.zeros(2, max(map(len, rows)), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, row in enumerate(rows):
        ids[i, : len(row)], mask[i, : len(row)] = torch.tensor(row), 1
    with torch.no_grad():
        together = network(ids, mask)
        alone = torch.cat([network(torch.tensor([row]), None) for row in rows])
    assert (together - alone).abs().max() <= 1e-5


def test_the_classifier_predicts_labels_of_any_hashable_type(models):
    labels = [1 if label == "positive" else 0 for label in LABELS]
    classifier = train_classifier(models["lecture-bert"], TEXTS, labels, "linear_probe", **SHORT)
    assert classifier.classes == [0, 1]
    assert classifier.predict(TEXTS[0]) in (0, 1)
    predicted = classifier.predict(TEXTS)
    assert len(predicted) == len(TEXTS) and set(predicted) <= {0, 1}
    accuracy = classifier.accuracy(TEXTS, labels)
    assert accuracy == pytest.approx(sum(p == y for p, y in zip(predicted, labels, strict=True)) / len(labels))
    table = classifier.probabilities(TEXTS[:3])
    assert list(table.columns) == ["0", "1"] and table.sum(axis=1).round(5).eq(1).all()


def test_train_classifier_reports_what_it_did(models):
    seen = []
    classifier = train_classifier(models["lecture-gpt"], TEXTS, LABELS, "lora", r=2, alpha=4,
                                  callbacks=[lambda state: seen.append(state.step)],
                                  validation=(TEXTS[:6], LABELS[:6]), eval_every=2, **SHORT)
    assert classifier.method == "lora" and classifier.settings["r"] == 2 and classifier.settings["alpha"] == 4
    assert classifier.settings["targets"] == ("qkv",)
    assert classifier.classes == ["negative", "positive"]
    assert 0 < classifier.trainable_parameters < classifier.total_parameters
    assert classifier.seconds > 0 and classifier.notes == []
    frame = classifier.history.to_frame()
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["step", "loss", "accuracy"]
    assert frame.step.tolist() == seen == [0, 2, 4]
    assert classifier.history.evaluated_on == "validation set"
    assert "lora" in repr(classifier) and "lecture-gpt" in repr(classifier)


def test_the_same_seed_gives_the_same_classifier(models):
    first = train_classifier(models["lecture-bert"], TEXTS, LABELS, "lora", seed=3, **SHORT)
    second = train_classifier(models["lecture-bert"], TEXTS, LABELS, "lora", seed=3, **SHORT)
    assert first.history.train_loss == second.history.train_loss


def test_live_curves_draw_without_a_notebook(models):
    curves = LiveCurves()
    train_classifier(models["lecture-bert"], TEXTS, LABELS, "linear_probe", callbacks=[curves], **SHORT)
    loss_axis, accuracy_axis = curves.axes
    assert len(loss_axis.lines) == 2 and len(accuracy_axis.lines) == 1
