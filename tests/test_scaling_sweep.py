"""The measured sweep: its config, its mechanics on a tiny run, its command, and the committed results."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from lecturekit.scaling.sweep import (
    PRESETS,
    SweepConfig,
    load_results,
    prepare_data,
    replay,
    run_sweep,
    runs_table,
    steps_for_budget,
)

ROOT = Path(__file__).resolve().parent.parent
TINY = SweepConfig("tiny", sizes=((8, 2), (16, 2), (24, 2)), budgets=(3e9,), corpus_words=20_000,
                   validation_batches=2, min_steps=5)


def test_the_committed_config_is_the_cpu_preset():
    assert SweepConfig.from_file(ROOT / "configs" / "scaling-sweep.json") == PRESETS["cpu"]


def test_presets_are_valid_and_round_trip():
    for preset in PRESETS.values():
        assert SweepConfig.from_dict(preset.to_dict()) == preset
        assert len(preset.sizes) >= 5 or preset.name == "live"


@pytest.mark.parametrize("change, message", [
    ({"budgets": [0]}, "between 1e9 and 1e30"), ({"budgets": [math.nan]}, "finite"),
    ({"budgets": [1e40]}, "between"), ({"budgets": []}, "at least one"),
    ({"sizes": [[30, 2]]}, "4 heads"), ({"sizes": [[16]]}, "d_model, n_layers"),
    ({"learning_rate": 0}, "positive"), ({"min_steps": 10, "max_steps": 5}, "min_steps"),
    ({"colour": "blue"}, "unknown sweep settings colour"),
])
def test_bad_configs_say_what_is_wrong(change, message):
    with pytest.raises(ValueError, match=message):
        SweepConfig.from_dict({**TINY.to_dict(), **change})


def test_config_files(tmp_path):
    with pytest.raises(ValueError, match="no sweep config"):
        SweepConfig.from_file(tmp_path / "missing.json")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(ValueError, match="not valid JSON"):
        SweepConfig.from_file(tmp_path / "broken.json")
    (tmp_path / "short.json").write_text('{"name": "x"}')
    with pytest.raises(ValueError, match="needs budgets, sizes"):
        SweepConfig.from_file(tmp_path / "short.json")


def test_steps_make_six_nd_match_the_budget():
    steps = steps_for_budget(1e11, 26_808, 1024)
    assert abs(6 * 26_808 * steps * 1024 - 1e11) <= 6 * 26_808 * 1024 / 2
    assert steps_for_budget(1e9, 10**9, 1024) == 1


@pytest.fixture(scope="module")
def tiny_data():
    return prepare_data(TINY)


def test_every_run_reads_the_same_batches(tiny_data):
    from lecturekit.train.data import BatchStream

    first, second = replay(tiny_data.train, 0), replay(tiny_data.train, 0)
    for _ in range(3):
        assert (next(first)["input_ids"] == next(second)["input_ids"]).all()
    # ... which are the batches a freshly made stream would give.
    from lecturekit.train.pretrain import corpus_documents

    train_docs, _ = corpus_documents({"words": TINY.corpus_words, "seed": TINY.corpus_seed})
    fresh = BatchStream(tiny_data.tokenizer, train_docs, "clm", block_size=TINY.block_size,
                        batch_size=TINY.batch_size, seed=0)
    again = replay(tiny_data.train, 0)
    for _ in range(3):
        assert (next(fresh)["input_ids"] == next(again)["input_ids"]).all()


def test_a_tiny_sweep_writes_a_model_card_like_record():
    results = run_sweep(TINY, device="cpu", log=None)
    for key in ("command", "device", "torch", "wall_time_seconds", "config", "data", "runs", "skipped"):
        assert key in results
    assert results["config"] == TINY.to_dict()
    assert len(results["runs"]) + len(results["skipped"]) == 3
    for run in results["runs"]:
        assert run["compute_6nd"] == 6 * run["parameters"] * run["tokens"]
        assert run["compute_6nd"] == pytest.approx(run["budget"], rel=0.5 / run["steps"] + 1e-9)
        assert run["compute_exact"] > run["compute_6nd"]  # attention and the embedding look-up
        assert math.isfinite(run["validation_loss"])
    again = run_sweep(TINY, device="cpu", log=None)  # deterministic on the CPU
    assert [r["validation_loss"] for r in again["runs"]] == [r["validation_loss"] for r in results["runs"]]


def test_the_command_line(tmp_path, capsys):
    from lecturekit.cli import main

    config = tmp_path / "tiny.json"
    config.write_text(json.dumps({**TINY.to_dict(), "sizes": [[8, 2], [16, 2]]}))
    out = tmp_path / "out" / "tiny.json"
    assert main(["scaling", "sweep", "--config", str(config), "--out", str(out), "--device", "cpu"]) == 0
    assert len(json.loads(out.read_text())["runs"]) == 2
    assert main(["scaling", "sweep", "--config", str(tmp_path / "nope.json")]) == 2
    assert "no sweep config" in capsys.readouterr().err
    assert main(["scaling", "optimal", "5.76e23"]) == 0
    printed = capsys.readouterr().out
    assert "besiroglu" in printed and "B parameters" in printed
    assert main(["scaling", "optimal", "--gpu-hours", "1000", "--gpu", "H100"]) == 0
    assert main(["scaling", "optimal", "1e40"]) == 2
    assert "between 1e9 and 1e30" in capsys.readouterr().err
    assert main(["scaling", "optimal", "--gpu-hours", "10", "--gpu", "TPU"]) == 2


# ------------------------------------------------------------- the committed results


@pytest.fixture(scope="module")
def committed():
    return load_results("cpu")


def test_committed_results_say_how_they_were_made(committed):
    assert committed["command"].startswith("lecturekit scaling sweep")
    assert "configs/scaling-sweep.json" in committed["command"]
    assert committed["config"] == PRESETS["cpu"].to_dict()
    assert committed["device"].startswith("cpu") and committed["torch"]
    assert committed["wall_time_seconds"] < 15 * 60  # the CPU default must fit in 15 minutes


def test_committed_runs_spend_their_budgets(committed):
    runs = runs_table(committed)
    assert set(runs.budget) == set(PRESETS["cpu"].budgets)
    assert runs.groupby("budget").size().min() >= 5  # five or more sizes per budget
    assert ((runs.compute_6nd / runs.budget - 1).abs() < 0.02).all()
    assert (runs.epochs <= 1.0).all(), "no run should repeat its data"


def test_committed_results_have_enough_minima_for_an_exponent(committed):
    from lecturekit.scaling.isoflop import fit_exponent, iso_flop_minima

    minima = iso_flop_minima(runs_table(committed))
    assert minima.inside.sum() >= 3
    fit = fit_exponent(runs_table(committed), bootstrap=200)
    assert 0 < fit.a < 1 and fit.bootstrap_low < fit.a < fit.bootstrap_high


def test_load_results_says_what_exists(tmp_path):
    with pytest.raises(FileNotFoundError, match="committed results: .*cpu"):
        load_results("nonexistent")
