"""The converged linear probe against scikit-learn's logistic regression on the same vectors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression

from lecturekit.finetune.heads import build_network
from lecturekit.finetune.inputs import encode
from lecturekit.finetune.probe import fit_linear_probe, frozen_features
from lecturekit.hub import load_model

TEXTS = ["It was wonderful.", "A dreadful film.", "Lovely food and kind staff.", "Cold, slow and rude.",
         "I would go again.", "Never again.", "The best evening in years.", "A waste of money.",
         "The band played on.", "Rain all day."]
LABELS = ["good", "bad", "good", "bad", "good", "bad", "good", "bad", "neither", "neither"]


@pytest.fixture(scope="module")
def bert():
    return load_model("lecture-bert", device="cpu")


@pytest.fixture(scope="module")
def probe(bert):
    return fit_linear_probe(bert, TEXTS, LABELS, l2=0.05, pooling="mean", device="cpu")


def test_the_fit_is_scikit_learns_logistic_regression(bert, probe):
    network, _ = build_network(bert, "linear_probe", 3, pooling="mean", device="cpu")
    features = frozen_features(network, bert, encode(bert, TEXTS, bert.max_length)[0]).double().numpy()
    # scikit-learn minimises C * sum(cross-entropy) + ||W||^2 / 2, the probe mean(cross-entropy) + l2 * ||W||^2.
    reference = LogisticRegression(C=1 / (2 * 0.05 * len(TEXTS)), tol=1e-10, max_iter=10_000).fit(features, LABELS)
    order = [list(reference.classes_).index(c) for c in probe.classes]
    theirs = reference.predict_proba(features)[:, order]
    ours = probe.probabilities(TEXTS)[probe.classes].to_numpy()
    assert np.abs(ours - theirs).max() < 1e-4
    assert np.allclose(probe.network.head.weight.detach().numpy(), reference.coef_[order], atol=1e-3)


def test_only_the_head_changed_and_the_record_says_how(bert, probe):
    assert probe.method == "linear_probe" and probe.settings["fit"] == "L-BFGS to convergence"
    assert 1 <= probe.settings["iterations"] <= 500 and probe.history.step == [probe.settings["iterations"]]
    assert probe.trainable_parameters == 128 * 3 + 3
    body = dict(probe.network.network.named_parameters())
    for name, weight in bert.module.named_parameters():
        assert torch.equal(body[name], weight), name
    assert 0.0 <= probe.history.accuracy[0] <= 1.0
    assert probe.history.accuracy[0] == probe.accuracy(TEXTS, LABELS)


def test_a_stronger_penalty_gives_smaller_weights(bert, probe):
    stronger = fit_linear_probe(bert, TEXTS, LABELS, l2=5.0, pooling="mean", device="cpu")
    assert stronger.network.head.weight.norm() < probe.network.head.weight.norm() / 5


def test_bad_settings_and_examples_say_what_is_wrong(bert):
    with pytest.raises(ValueError, match="l2 must be >= 0"):
        fit_linear_probe(bert, TEXTS, LABELS, l2=-1)
    with pytest.raises(ValueError, match="max_iter"):
        fit_linear_probe(bert, TEXTS, LABELS, max_iter=0)
    with pytest.raises(ValueError):
        fit_linear_probe(bert, [], [])
