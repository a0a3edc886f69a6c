"""The cost table is measured, and its numbers are what a training step really leaves behind."""

from __future__ import annotations

import pytest
import torch

from lecturekit.finetune import METHODS, cost_table, measure_costs
from lecturekit.finetune.costs import ResidentPeak
from lecturekit.hub import load_model


@pytest.fixture(scope="module")
def bert():
    return load_model("lecture-bert", device="cpu")


def test_gradients_and_optimizer_state_exist_only_for_what_trains(bert):
    probe = measure_costs(bert, "linear_probe", steps=1, device="cpu")
    head = 2 * 128 + 2
    assert probe["trainable"] == head
    assert probe["gradients MB"] * 2**20 == 4 * head  # float32 gradients of the classifier alone
    # AdamW keeps two moments per number and a step counter per tensor (weight and bias).
    assert probe["optimizer MB"] * 2**20 == 2 * 4 * head + 2 * 4
    full = measure_costs(bert, "full", steps=1, device="cpu")
    assert full["gradients MB"] * 2**20 == 4 * full["trainable"]
    assert full["trainable %"] > 98 and probe["trainable %"] < 0.1


def test_peak_memory_is_measured_and_holds_what_must_exist(bert):
    full = measure_costs(bert, "full", steps=1, device="cpu")
    probe = measure_costs(bert, "linear_probe", steps=1, device="cpu")
    assert full["memory measure"] == "process resident memory growth"
    # Gradients and AdamW state are new memory the step had to find, so the measured
    # growth can be no smaller; a probe, with neither, needs clearly less.
    assert full["peak MB"] >= full["gradients MB"] + full["optimizer MB"]
    assert probe["peak MB"] < full["peak MB"]


def test_resident_peak_sees_a_large_allocation():
    with ResidentPeak() as watch:
        block = torch.ones(64 * 2**20 // 4)  # 64 MB, touched
        del block
    assert watch.growth >= 60 * 2**20


def test_the_cost_table_has_one_row_per_method(bert):
    table = cost_table(bert, steps=1, device="cpu", options={"lora": {"r": 2}})
    assert table.method.tolist() == list(METHODS)
    assert {"trainable", "trainable %", "gradients MB", "optimizer MB", "ms per step", "peak MB"} <= set(table.columns)
    assert (table["ms per step"] > 0).all()
    lora = table.set_index("method").loc["lora"]
    assert "r=2" in lora.settings and lora.trainable == 4 * 2 * (128 + 384) + 258


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_on_a_gpu_the_allocator_counts_peak_memory(bert):
    full = measure_costs(bert, "full", steps=2, device="cuda")
    lora = measure_costs(bert, "lora", steps=2, device="cuda")
    assert full["memory measure"] == "cuda max_memory_allocated"
    assert full["peak MB"] >= full["gradients MB"] + full["optimizer MB"]
    assert lora["peak MB"] < full["peak MB"]
