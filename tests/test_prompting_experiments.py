"""Notebook 07's experiments: the pieces checked against independent arithmetic, and each claim the
notebook's text makes checked on the committed numbers it prints (lecturekit/prompting/results/cpu.json,
made by tools/prompting_experiments.py)."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
import torch

from lecturekit.hub import load_model
from lecturekit.prompting.experiments.icl import emergence
from lecturekit.prompting.experiments.results import load_results
from lecturekit.prompting.experiments.scratchpad import (
    TOKEN,
    VOCABULARY,
    batches,
    length_needed,
    problem,
    read_answer,
    running_values,
    split_problems,
    target,
)
from lecturekit.prompting.experiments.word_problems import last_number, problems

COMMITTED = load_results("cpu")["results"]


# ------------------------------------------------------------------ the pieces

def test_chain_targets_follow_left_to_right_arithmetic():
    numbers = (4, ("+", 3), ("*", 2), ("+", 5), ("*", 3))
    assert problem(numbers) == "4+3*2+5*3="
    assert ((4 + 3) * 2 + 5) * 3 == 57  # only the last digit is kept at each step
    assert target(numbers, "scratch pad", "chain") == "7,4,9,7;7"
    assert target(numbers, "answer only", "chain") == "7"
    sums = (3, ("+", 5), ("+", 9), ("+", 2), ("+", 7))
    assert target(sums, "scratch pad", "sum") == "8,17,19,26;26" and target(sums, "answer only", "sum") == "26"
    assert read_answer("8,17,19,26;26") == "26" and read_answer("26") == "26"
    with pytest.raises(ValueError, match="form"):
        target(sums, "steps")


def test_training_never_shows_a_test_problem_and_scores_only_the_target():
    held_out, test = split_problems("chain", 3, 40)
    length = length_needed("chain", 3)
    stream = batches("scratch pad", "chain", 3, held_out, 64, length, seed=0)
    for _ in range(5):
        batch = next(stream)
        for ids, labels in zip(batch["input_ids"], batch["labels"], strict=True):
            text = "".join(VOCABULARY[i] for i in ids.tolist() if i > TOKEN["[BOS]"])
            given = text.split("=")[0] + "="
            assert given not in {problem(p) for p in test}
            scored = [VOCABULARY[i] for i in labels.tolist() if i != -100]
            assert "=" not in scored and scored[-1] == "[EOS]"  # the problem itself is not a target
    # both forms read rows of the same length: identical compute per step
    assert batches("answer only", "chain", 3, held_out, 4, length, 0).__next__()["input_ids"].shape == (4, length)


def test_word_problems_are_right():
    for question, steps, answer in problems(30, seed=0):
        numbers = [int(n) for n in question.replace(".", " ").split() if n.isdigit()]
        assert answer == numbers[0] + numbers[1] - numbers[2] >= 1
        assert last_number(steps) == answer
    assert last_number("so 3 + 4 = 7.") == 7 and last_number("none") is None


def test_emergence_reads_the_interval_at_the_largest_k():
    table = pd.DataFrame({"task": ["a", "a", "b", "b"], "k": [0, 8, 0, 8], "accuracy": [0.0, 0.9, 0.0, 0.1],
                          "ci_low": [0.0, 0.6, 0.0, 0.02], "ci_high": [0.3, 0.98, 0.3, 0.4]})
    assert emergence(table)["learned in context"].tolist() == [True, True]
    table.loc[3, "ci_low"] = 0.0
    assert emergence(table)["learned in context"].tolist() == [True, False]


# ------------------------------------------------------------------ the claims, on the committed numbers

def accuracy(name, form):
    table = COMMITTED[name]
    return float(table.loc[table.form == form, "accuracy"].mean())


def test_the_scratch_pad_wins_clearly_where_the_answer_needs_steps():
    chain = COMMITTED["scratchpad_chain"]
    scratch, direct = accuracy("scratchpad_chain", "scratch pad"), accuracy("scratchpad_chain", "answer only")
    _, test = split_problems("chain", chain.attrs["settings"]["terms"], chain.attrs["settings"]["n_test"])
    majority = Counter(running_values(p, "chain")[-1] for p in test).most_common(1)[0][1] / len(test)
    assert scratch >= 0.9 and scratch - direct >= 0.3
    assert direct > majority  # answering at once learned something, just far less


def test_sums_need_no_steps_both_solve_them():
    assert accuracy("scratchpad_sum", "answer only") >= 0.95 and accuracy("scratchpad_sum", "scratch pad") >= 0.95


def test_both_arms_had_identical_compute():
    for name in ("scratchpad_sum", "scratchpad_chain"):
        settings = COMMITTED[name].attrs["settings"]
        assert settings["steps"] == 1500 and settings["positions_per_row"] == length_needed(settings["task"], 5)


def test_nli_beats_the_majority_but_not_the_word_rule_nor_the_random_twin():
    nli = COMMITTED["nli"]
    assert nli.attrs["majority"] == pytest.approx(1 / 3) and nli.attrs["rule"] == pytest.approx(2 / 3)
    means = nli.groupby("arm")[["accuracy", "train accuracy"]].mean()
    assert (means.accuracy > nli.attrs["majority"] + 0.2).all()
    assert (means.accuracy < nli.attrs["rule"] + 0.05).all()  # "neither clears the word rule by a clear margin"
    assert means.accuracy["pretrained"] - means.accuracy["scratch"] < 0.05
    assert means["train accuracy"]["pretrained"] > means["train accuracy"]["scratch"] + 0.1


def test_the_calibration_picture_is_a_distribution():
    from lecturekit.prompting import calibrate

    p = torch.tensor([[0.9, 0.1], [0.6, 0.4]])
    assert torch.allclose(calibrate(p, torch.tensor([0.8, 0.2])).sum(dim=1), torch.ones(2))


def test_chain_of_thought_prompting_helps_smollm2_on_two_step_problems_but_stays_mostly_wrong():
    cot = COMMITTED["cot_prompting"].set_index("style")
    # "a likely gain, not a sure one": the intervals overlap, but only just
    assert cot.loc["direct", "ci_high"] > cot.loc["chain of thought", "ci_low"] > cot.loc["direct", "accuracy"]
    assert cot.loc["direct", "ci_high"] - cot.loc["chain of thought", "ci_low"] < 0.02
    assert cot.loc["chain of thought", "accuracy"] < 0.5  # "still wrong most of the time"
    assert "7 - 6 = 9" in " ".join(COMMITTED["cot_prompting"].attrs["answers"]["chain of thought"])


def test_icl_at_135m_learns_plurals_in_context_and_not_english_french():
    # The notebook's live curve, for the two tasks its summary names (6 items each, as printed there).
    from lecturekit.hub import load_model
    from lecturekit.prompting.experiments.icl import icl_curves

    table = icl_curves(load_model("smollm2-135m", device="cpu"), tasks=("english-french", "plurals"),
                       ks=(0, 1, 2, 4, 8), items=6)
    learned = emergence(table).set_index("task")
    assert table[table.task == "english-french"].accuracy.max() == 0.0  # "near zero at every k"
    assert learned.loc["plurals", "learned in context"] and not learned.loc["english-french", "learned in context"]


def test_with_few_labels_prompting_beats_the_fine_tuned_small_decoder():
    table = COMMITTED["classification"].pivot_table(index="n", columns="arm", values="accuracy")
    prompted, tuned = table["prompted smollm2-135m"], table["fine-tuned lecture-gpt"]
    assert (prompted - tuned > 0.05).all()
    assert (tuned < COMMITTED["classification"].attrs["majority"] + 0.15).all()  # "near the majority label"
    assert prompted[16] < prompted[4]  # "falls as the prompt grows"
    assert tuned[4] < table["scratch lecture-gpt"][4]  # "not clearly above its random twin (below it at 4 labels)"


def test_the_pronoun_probe_reads_what_notebook_07_says():
    # lecture-gpt: near 0.5 (text without skew); SmolLM2 in one frame: "she" after every profession,
    # yet more "he" after the male-stereotyped ones on average.
    from lecturekit.hub import load_model
    from lecturekit.prompting.experiments.bias import (
        CONTEXTS,
        REAL_PROFESSIONS_HE,
        REAL_PROFESSIONS_SHE,
        pronoun_preference,
    )

    smol = pronoun_preference(load_model("smollm2-135m", device="cpu"), REAL_PROFESSIONS_HE, REAL_PROFESSIONS_SHE,
                              contexts=CONTEXTS[:1])
    assert (smol["share he"] < 0.35).all()
    means = smol.groupby("stereotype")["share he"].mean()
    assert means["he"] > means["she"]
    assert abs(pronoun_preference(load_model("lecture-gpt", device="cpu")).attrs["model skew"] - 0.5) < 0.05


def test_continued_pretraining_moves_towards_the_texts_skew_without_amplifying_it():
    # Notebook 07, section 9: in order, in the right direction, between the start and the data.
    table = COMMITTED["bias_skews"]
    before = float(table.loc[table.run == "before", "model skew"].iloc[0])
    runs = table.dropna(subset=["data skew"]).sort_values("data skew")
    assert round(before, 3) == 0.525 and len(runs) == 5 and runs["documents"].nunique() == 1
    assert runs["model skew"].is_monotonic_increasing
    for data, model in zip(runs["data skew"], runs["model skew"], strict=True):
        assert min(data, before) - 1e-9 <= model <= max(data, before) + 1e-9, (data, model)
    assert runs["model skew"].iloc[0] < 0.2 and runs["model skew"].iloc[-1] > 0.8  # it does move


def test_the_committed_icl_curves_read_as_notebook_07_says():
    curves = COMMITTED["icl_curves"]
    assert set(curves["items"]) == {24}  # 12 items x 2 draws of the demonstrations per point
    learned = emergence(curves).set_index("task")
    assert set(learned.index[learned["learned in context"]]) >= {"antonyms", "plurals", "capitals", "sentiment"}
    assert curves[curves.task == "english-french"].accuracy.max() == 0.0  # "0 at every k"
    addition = curves[curves.task == "addition"].set_index("k").accuracy
    assert not learned.loc["addition", "learned in context"] and addition.idxmax() == 1 and addition[8] < addition[1]
    typos = curves[curves.task == "typos"].set_index("k").accuracy
    assert 0 < typos.max() <= 0.3  # "rises a little"


def test_lecture_gpt_knows_a_citys_country_in_the_form_it_read_and_hardly_elsewhere():
    """Notebook 07's reason why pretraining does not help NLI: the fact does not travel to the hypothesis."""
    from lecturekit.prompting.experiments.nli import COUNTRY_PROBES, country_knowledge

    gpt = load_model("lecture-gpt", device="cpu")
    knowledge = country_knowledge(gpt)
    assert len(knowledge) == 40 * len(COUNTRY_PROBES) and knowledge.attrs["countries"] == 16
    share = knowledge.groupby("probe")["correct"].mean()
    assert share["alone"] >= 0.95  # "39 of the 40 cities"
    assert 1 / 16 < share["after a premise"] <= 0.2 and share["in a biography"] <= 1 / 3  # "a fifth", "a third"
    with pytest.raises(ValueError, match="one of the world's people"):
        country_knowledge(gpt, name="Yuki Mensah")
