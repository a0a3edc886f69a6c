"""What demonstrations do, measured on SmolLM2 with a few items (each call a few seconds on a CPU).

The tests check what each experiment controls (which demonstrations, which
labels, which order) and the arithmetic of contextual calibration; the
measured accuracies themselves are findings, not fixed expectations.
"""

from __future__ import annotations

import pytest
import torch

from lecturekit.hub import NotSupportedError, load_model
from lecturekit.hub.tiny import save_tiny_model
from lecturekit.prompting import (
    Task,
    builtin_task,
    calibrate,
    label_bias,
    label_correctness,
    label_probabilities,
    order_sensitivity,
    recall_vs_learning,
)
from lecturekit.prompting.continuations import continuation_log_probs
from lecturekit.prompting.effects import bias_arrangements, random_labels, with_invented_labels
from lecturekit.prompting.evaluation import query_indices
from lecturekit.prompting.prompts import few_shot_prompt

SENTIMENT = builtin_task("sentiment")
KINDS = Task.from_pairs("kinds", [("cat", "animal"), ("bread", "food"), ("soup", "food"), ("dog", "animal"),
                                  ("rice", "food"), ("cow", "animal"), ("owl", "animal")])


@pytest.fixture(scope="module")
def smollm2():
    return load_model("smollm2-135m", device="cpu")


def test_calibration_divides_out_the_content_free_preference():
    content_free = torch.tensor([0.8, 0.2], dtype=torch.float64)
    # The content-free input itself becomes uniform: the prompt's bias is gone.
    assert calibrate(content_free[None], content_free)[0].tolist() == pytest.approx([0.5, 0.5])
    probabilities = torch.tensor([[0.7, 0.3], [0.9, 0.1]], dtype=torch.float64)
    calibrated = calibrate(probabilities, content_free)
    # 0.7/0.8 : 0.3/0.2 = 0.875 : 1.5, so the first query flips to the second label.
    assert calibrated[0].tolist() == pytest.approx([0.875 / 2.375, 1.5 / 2.375])
    assert calibrated.sum(dim=1).tolist() == pytest.approx([1.0, 1.0])


@pytest.mark.parametrize("name", ["smollm2-135m", "lecture-gpt", "tiny"])
def test_shared_prefix_label_scores_equal_model_score(name, tmp_path):
    model = (load_model(f"hf:{save_tiny_model('gpt2', tmp_path / 'g')}", device="cpu") if name == "tiny"
             else load_model(name, device="cpu"))
    prompts = [few_shot_prompt(KINDS.pairs[3:7], q) for q in [*KINDS.inputs[:3], "N/A"]]  # short: tiny reads 64
    labels = [" animal", " food", " not sure"]
    ours = continuation_log_probs(model, prompts, labels)
    reference = [[s.log_prob for s in model.score(labels, context=p)] for p in prompts]
    assert ours.tolist() == [pytest.approx(row, abs=2e-4) for row in reference]


def test_label_probabilities_are_a_distribution_over_the_labels(smollm2):
    probabilities = label_probabilities(smollm2, SENTIMENT, SENTIMENT.pairs[12:16], SENTIMENT.inputs[:4])
    assert probabilities.shape == (4, 2)
    assert probabilities.sum(dim=1).tolist() == pytest.approx([1.0] * 4)
    # Four labelled reviews in front: the clear reviews go the right way.
    predicted = [SENTIMENT.labels[j] for j in probabilities.argmax(dim=1).tolist()]
    assert sum(p == e for p, e in zip(predicted, SENTIMENT.outputs[:4], strict=True)) >= 3


def test_order_sensitivity_reorders_one_set_of_demonstrations(smollm2):
    table = order_sensitivity(smollm2, "antonyms", k=3, orders=4, items=4, seed=1)
    assert list(table.order) == [1, 2, 3, 4]
    orders = [row.split(" | ") for row in table.demonstrations]
    assert len({tuple(o) for o in orders}) == 4 and len({frozenset(o) for o in orders}) == 1
    assert table.attrs["spread"] == pytest.approx(table.accuracy.max() - table.accuracy.min())
    assert set(table.columns) >= {"accuracy", "ci_low", "ci_high"}
    two = order_sensitivity(smollm2, "antonyms", k=2, orders=6, items=2)
    assert len(two) == 2  # two demonstrations have only two orders


def test_random_labels_keep_the_inputs_and_draw_from_the_label_set():
    gold = list(SENTIMENT.pairs[12:20])
    shuffled = random_labels(SENTIMENT, gold, seed=0)
    assert [i for i, _ in shuffled] == [i for i, _ in gold]
    assert {o for _, o in shuffled} <= set(SENTIMENT.labels)
    assert random_labels(SENTIMENT, gold, seed=0) == shuffled  # seeded
    antonyms = builtin_task("antonyms")
    wrong = random_labels(antonyms, list(antonyms.pairs[:5]), seed=0)
    assert all(w != g for (_, w), (_, g) in zip(wrong, antonyms.pairs[:5], strict=False))


def test_label_correctness_conditions(smollm2):
    table = label_correctness(smollm2, "sentiment", k=4, items=4, seeds=(0,))
    assert list(table.condition) == ["no demonstrations", "gold labels", "random labels"]
    assert list(table.k) == [0, 4, 4]
    assert table["labels right"].iloc[1] == 1.0 and 0 <= table["labels right"].iloc[2] <= 1


def test_recall_vs_learning_with_invented_labels(smollm2):
    renamed, mapping = with_invented_labels(SENTIMENT)
    assert mapping == {"positive": "zorp", "negative": "blick"}
    assert renamed.outputs.count("zorp") == SENTIMENT.outputs.count("positive")
    table = recall_vs_learning(smollm2, "sentiment", ks=(0, 4), items=4)
    assert list(table["labels"]) == ["real", "real", "invented", "invented"]
    invented = table[table["labels"] == "invented"]
    assert invented[invented.k == 0].accuracy.iloc[0] == 0.0  # nobody answers "zorp" unprompted
    assert table.attrs["mapping"] == mapping
    with pytest.raises(ValueError, match="classification task"):
        recall_vs_learning(smollm2, "capitals")


def test_bias_arrangements():
    queries = query_indices(SENTIMENT, 10)
    arrangements = bias_arrangements(SENTIMENT, queries, k=4, seed=0)
    assert list(arrangements) == ["balanced", "majority positive", "majority negative",
                                  "recent positive", "recent negative"]
    labels = {name: [o for _, o in shown] for name, shown in arrangements.items()}
    assert labels["balanced"] == ["positive", "negative", "positive", "negative"]
    assert labels["majority positive"].count("positive") == 3 and labels["majority negative"].count("negative") == 3
    assert labels["recent positive"] == ["negative", "negative", "positive", "positive"]
    shown = {i for pairs in arrangements.values() for i, _ in pairs}
    assert not shown & {SENTIMENT.pairs[q][0] for q in queries}
    with pytest.raises(ValueError, match="only 7 'positive' pairs"):
        bias_arrangements(SENTIMENT, queries, k=9, seed=0)


def test_label_bias_table(smollm2):
    table = label_bias(smollm2, "sentiment", k=4, items=6)
    assert list(table.arrangement) == ["balanced", "majority positive", "majority negative",
                                       "recent positive", "recent negative"]
    for before in ("says", "calibrated says"):
        shares = table[f"{before} positive"] + table[f"{before} negative"]
        assert shares.tolist() == pytest.approx([1.0] * 5)
    assert table["labels shown"].iloc[1].split().count("positive") == 3
    assert (table[["p_cf(positive)", "p_cf(negative)"]].sum(axis=1)).tolist() == pytest.approx([1.0] * 5)
    assert table["calibrated accuracy"].between(0, 1).all()


def test_label_bias_needs_a_causal_lm(tmp_path):
    bert = load_model(f"hf:{save_tiny_model('bert-mlm', tmp_path / 'b')}", device="cpu")
    with pytest.raises(NotSupportedError, match="masked LM"):
        label_bias(bert, "sentiment", items=2)
    with pytest.raises(ValueError, match="not a classification task"):
        label_bias(load_model(f"hf:{save_tiny_model('gpt2', tmp_path / 'g')}", device="cpu"), "antonyms")
