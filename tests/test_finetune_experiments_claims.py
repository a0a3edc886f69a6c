"""The lecture's claims about fine-tuning, checked on the committed experiment results.

``python tools/finetune_experiments.py`` trains every experiment at notebook 05's
settings and writes lecturekit/finetune/results/cpu.json; the notebook prints
its numbers from that file, and these tests hold the numbers to the claims.
Without the file (or with one made by other models or other settings) they
skip or fail and say which command makes it afresh.

The margins are stated here, before looking at the results of the command:

- pretraining lets a model use words it never saw labelled: with every training
  review, lecture-bert and MiniLM beat the random-init twin on the held-out-word
  reviews by at least ``MARGIN`` (mean over seeds);
- parameter-efficient methods get close to full fine-tuning: on each model, the
  best method that trains under 2% of the weights is within ``CLOSE`` of full
  fine-tuning, and LoRA r=8 within ``2 * CLOSE``;
- fine-tuning stays near θ̂: the pretrained model's weights move a smaller share
  of their norm than the scratch twin's, and it ends more accurate;
- first-order optimizers behave alike here: every optimizer within ``ALIKE`` of the best;
- continued pretraining on recipes lowers the recipe masked-LM loss and raises
  held-out-dish accuracy by at least ``GAIN``;
- LoRA on SmolLM2 trains under 1% of its weights and beats chance.
"""

from __future__ import annotations

import json

import pytest

from lecturekit.finetune.experiments import RESULTS_DIR, load_results, sentiment_task
from lecturekit.finetune.experiments.presets import PRESETS, checkpoint_digests

pytestmark = pytest.mark.slow

MARGIN = 0.15
CLOSE = 0.05
ALIKE = 0.10
GAIN = 0.05
COMMAND = "python tools/finetune_experiments.py"


@pytest.fixture(scope="module")
def results():
    path = RESULTS_DIR / "cpu.json"
    if not path.is_file():
        pytest.skip(f"{path} does not exist yet; make it with `{COMMAND}` (about 30-40 min on 2 CPU cores).")
    return load_results(path)


def experiment(results, name):
    if name not in results["results"]:
        pytest.skip(f"cpu.json has no {name} yet; run `{COMMAND} --only {name}`.")
    return results["results"][name]


def plain(value):
    """Tuples as lists, as JSON stores them."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


def test_the_results_come_from_these_models_and_settings(results):
    assert results["checkpoints"] == checkpoint_digests(), (
        f"cpu.json was made with other lecture checkpoints; run `{COMMAND}` again.")
    raw = json.loads((RESULTS_DIR / "cpu.json").read_text())["results"]
    data = sentiment_task().settings()["data"]
    for name, result in results["results"].items():
        assert raw[name]["preset_settings"] == plain(PRESETS["cpu"][name]), (
            f"{name} ran with other settings than PRESETS['cpu']; run `{COMMAND} --only {name}`.")
        if "data" in result.settings:
            assert result.settings["data"] == data, f"{name} was trained on other reviews; run `{COMMAND}` again."


# The reference probe is fit to convergence (finetune.probe): 60 AdamW steps had left it at 0.61.
@pytest.mark.parametrize("arm", ["pretrained", "reference full", "reference probe"])
def test_pretrained_beats_scratch_on_heldout_words(results, arm):
    result = experiment(results, "pretrained_vs_scratch")
    print(result.table().to_string())
    margin = result.margin(arm, "scratch")
    assert margin >= MARGIN, f"{arm} beats scratch by only {margin:.3f} on held-out words (claim: {MARGIN})"


# 150 steps (PRESETS["cpu"]): at 60, lecture-gpt's LoRA r=8 was 0.057 below full fine-tuning, neither
# of them fitting its own training reviews yet (0.90 and 0.94).
@pytest.mark.parametrize("model", ["lecture-bert", "lecture-gpt"])
def test_parameter_efficient_methods_get_close_to_full_fine_tuning(results, model):
    result = experiment(results, "methods_side_by_side")
    gaps = result.gap_to_full()
    print(gaps.to_string())
    part = gaps[gaps["model"] == model]
    efficient = part[part["trainable %"] < 2]
    best = efficient["gap to full"].max()
    assert best >= -CLOSE, f"{model}: the best method under 2% of the weights is {-best:.3f} below full"
    lora = part.set_index("arm")["gap to full"]["LoRA r=8"]
    assert lora >= -2 * CLOSE, f"{model}: LoRA r=8 is {-lora:.3f} below full fine-tuning"


def test_fine_tuning_stays_near_its_start(results):
    result = experiment(results, "distance_from_start")
    final = result.final()
    print(final.to_string())
    assert final.loc["all", "pretrained"] < final.loc["all", "scratch"]
    accuracy = result.frame("accuracy").set_index("arm")["accuracy"]
    assert accuracy["pretrained"] > accuracy["scratch"]


def test_first_order_optimizers_end_up_alike(results):
    result = experiment(results, "compare_optimizers")
    table = result.table()
    print(table.to_string())
    means = table.set_index("optimizer")["accuracy mean"]
    assert means.max() - means.min() <= ALIKE, f"the optimizers' mean accuracies spread over {means.max() - means.min():.3f}"


def test_continued_pretraining_learns_the_recipe_domain(results):
    result = experiment(results, "domain_adaptive_pretraining")
    losses = result.settings["recipe_loss"]["loss"]
    assert losses[-1] < losses[0], "continued pretraining did not lower the masked-LM loss on unseen recipes"


# Masked-LM loss on unseen recipes falls from 13.6 to 1.0, yet held-out-dish accuracy moves only
# from 0.417 to 0.431 (three seeds): the dish-course task does not yet show the gain (issue 15).
@pytest.mark.xfail(strict=True, reason="held-out-dish accuracy rose by only 0.014 after continued pretraining")
def test_domain_adaptive_pretraining_helps_on_heldout_dishes(results):
    result = experiment(results, "domain_adaptive_pretraining")
    print(result.table().to_string())
    losses = result.settings["recipe_loss"]["loss"]
    assert losses[-1] < losses[0], "continued pretraining did not lower the masked-LM loss on unseen recipes"
    assert result.gain() >= GAIN, f"held-out-dish accuracy rose by only {result.gain():.3f} (claim: {GAIN})"


def test_lora_on_smollm2_trains_a_small_share_and_learns(results):
    result = experiment(results, "smollm2_lora")
    if result.skipped:
        pytest.skip(result.skipped)
    row = result.table().iloc[0]
    print(result.table().to_string())
    assert row["trainable %"] < 1 and row["ms per step"] > 0
    assert row["accuracy"] > 0.6
