"""What notebook 06 says about its committed encoder-decoder runs, checked on the numbers it reads
(``committed_results``: tools/closed_book_experiments.py and tools/encoder_decoder_experiments.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from lecturekit.finetune.experiments.closed_book import MARGIN, committed_results
from lecturekit.prompting.evaluation import wilson_interval


@pytest.fixture(scope="module")
def committed():
    return committed_results()


def pooled(entry: dict, init: str = "pretrained") -> tuple[int, int]:
    rows = pd.DataFrame(entry["closed_book"]["rows"])
    rows = rows[rows["init"] == init]
    return int(rows["correct"].sum()), int(rows["total"].sum())


def test_lecture_t5_does_not_answer_from_memory(committed):
    """Section 3: level with its random twin and with the most common city, as its cloze predicted."""
    t5 = committed["closed_book"]["lecture-t5"]
    result = t5["closed_book"]
    pretrained, scratch = result.accuracy("lecture-t5", "pretrained"), result.accuracy("lecture-t5", "scratch")
    assert pretrained < scratch + MARGIN and pretrained < result.baseline_accuracy + MARGIN
    assert t5["cloze"]["correct"] <= 3 * result.baseline["correct"]  # about the baseline's count (2 of 90)
    gpt = committed["closed_book"]["lecture-gpt"]
    assert gpt["cloze"]["correct"] > gpt["cloze"]["total"] / 2  # "most held-out people" before fine-tuning


def test_the_objective_pair_is_alike_but_for_the_objective(committed):
    pair = committed["encoder_decoder"]["pair"]
    assert set(pair["models"]) == {"span", "prefix"}
    assert len({m["parameters"] for m in pair["models"].values()}) == 1
    settings = {tuple(sorted((k, str(v)) for k, v in m["closed_book"]["settings"].items() if k != "models"))
                for m in pair["models"].values()}
    assert len(settings) == 1, "the same fine-tuning for both"


def test_span_corruption_ahead_but_the_pair_settles_nothing(committed):
    """The notebook's reading: span ahead, neither knows the birthplaces as a cloze, intervals overlap."""
    pair = committed["encoder_decoder"]["pair"]["models"]
    (span_correct, total), (prefix_correct, _) = pooled(pair["span"]), pooled(pair["prefix"])
    assert span_correct > prefix_correct
    baseline = pair["span"]["closed_book"]["baseline"]
    assert all(m["cloze"]["correct"] <= baseline["correct"] for m in pair.values())
    assert wilson_interval(span_correct, total)[0] < wilson_interval(prefix_correct, total)[1]
    assert span_correct / total < baseline["correct"] / baseline["total"] + MARGIN


def test_each_salient_run_hides_the_same_share_in_both_arms(committed):
    for length, run in committed["encoder_decoder"]["salient"].items():
        arms = run["arms"]
        assert set(arms) == {"salient", "random"}, length
        assert arms["random"]["hidden share"] == round(arms["salient"]["hidden share"], 3)
        assert 0.05 < arms["salient"]["hidden share"] < run["settings"]["noise_density"]


def test_salient_spans_teach_lecture_t5_the_birthplaces(committed):
    """Section 4's reading of the 6,000-step run: salient spans beat random spans clearly on what the
    model knows (cloze) and beat the random init and the baseline by the margin, and no more, once
    fine-tuned; the fine-tuned gap to random spans is within the noise (intervals overlap), and all
    stays below lecture-gpt. The short run barely moves either arm."""
    runs = committed["encoder_decoder"]["salient"]
    long = runs["6000 steps"]["arms"]
    (salient, total), (random_spans, _) = pooled(long["salient"]), pooled(long["random"])
    scratch, _ = pooled(long["salient"], "scratch")
    baseline = long["salient"]["closed_book"]["baseline"]
    knows, knows_random = long["salient"]["cloze"]["correct"], long["random"]["cloze"]["correct"]
    assert knows >= 3 * knows_random and knows / 90 > 0.2  # "24 of the 90 ... against 6"
    assert committed["closed_book"]["lecture-t5"]["cloze"]["correct"] == 0  # "none before the continuation"
    strongest_simple = max(scratch, baseline["correct"] * 3, pooled(long["random"], "scratch")[0])
    lead = salient - strongest_simple
    assert lead >= round(MARGIN * total)  # "27 more of the 270 ... the margin of 0.10"
    assert lead < round(MARGIN * total) + 0.02 * total  # "... and no more"
    assert salient > random_spans
    assert wilson_interval(salient, total)[0] < wilson_interval(random_spans, total)[1]  # "intervals overlap"
    assert salient / total < knows / 90  # fine-tuning draws out less than the cloze shows
    gpt = committed["closed_book"]["lecture-gpt"]["closed_book"]
    assert salient / total < gpt.accuracy("lecture-gpt", "pretrained")
    short = runs["2000 steps"]["arms"]
    assert max(short[arm]["cloze"]["correct"] for arm in short) <= 3  # "3 and 2 of the 90"
    for arm in short:  # "about as many answers as from a random initialisation"
        assert abs(pooled(short[arm])[0] - pooled(short[arm], "scratch")[0]) <= 0.02 * total


def test_each_arm_got_the_recipe_its_validation_people_favour(committed):
    """Section 4 says each arm's QA recipe comes from its own search, as section 3's does per model."""
    from lecturekit.finetune.experiments.closed_book import best_recipe

    for length, run in committed["encoder_decoder"]["salient"].items():
        for arm, entry in run["arms"].items():
            chosen = best_recipe(pd.DataFrame(entry["recipe_search"]))
            settings = entry["closed_book"]["settings"]
            assert (settings["steps"], settings["learning_rate"]) == (chosen["steps"], chosen["learning_rate"]), (
                length, arm)
