"""FLOPs to GPU-hours and back, checked against what LLaMA's paper reports."""

from __future__ import annotations

import math

import pytest

from lecturekit.scaling import ACCELERATORS, accelerators, compute_for_gpu_hours, gpu_hours
from lecturekit.scaling.hardware import implied_utilisation


def test_peak_speeds_are_the_datasheets():
    peaks = {name: a.peak_flops for name, a in ACCELERATORS.items()}
    assert peaks["A100"] == 312e12 and peaks["H100"] == 989e12 and peaks["H200"] == 989e12
    for accelerator in ACCELERATORS.values():
        assert accelerator.source, f"{accelerator.name} needs a source"
    assert list(accelerators().columns) == ["peak_flops", "precision", "source"]


def test_gpu_hours_is_compute_over_speed():
    assert gpu_hours(989e12 * 3600, "H100", utilisation=1.0) == pytest.approx(1.0)
    assert gpu_hours(989e12 * 3600, "H100", utilisation=0.5) == pytest.approx(2.0)


def test_the_inverse():
    for gpu in ACCELERATORS:
        assert gpu_hours(compute_for_gpu_hours(1000, gpu, 0.3), gpu, 0.3) == pytest.approx(1000)
    # "What could I train with 1,000 H100-hours?" At 40% of peak: 1.4e21 FLOPs.
    assert compute_for_gpu_hours(1000, "H100") == pytest.approx(1000 * 3600 * 989e12 * 0.4)


def test_llama_65b_gpu_hours():
    # Touvron et al. 2023a: LLaMA 65B (65.2B parameters, 1.4T tokens) ran at about 380
    # tokens/s per A100-80GB, and took 1,022,362 GPU-hours (Table 15).
    compute = 6 * 65.2e9 * 1.4e12
    utilisation = 6 * 65.2e9 * 380 / 312e12  # the share of peak that 380 tokens/s is
    assert gpu_hours(compute, "A100", utilisation) == pytest.approx(1_022_362, rel=0.01)
    assert implied_utilisation(compute, 1_022_362, "A100") == pytest.approx(0.48, abs=0.01)


@pytest.mark.parametrize("bad", [0, -0.1, 1.01, 2, math.nan, math.inf, None, "high", True])
def test_utilisation_must_be_a_share(bad):
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        gpu_hours(1e21, "H100", utilisation=bad)
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        compute_for_gpu_hours(10, "H100", utilisation=bad)


def test_unknown_accelerator_lists_the_valid_ones():
    with pytest.raises(ValueError) as error:
        gpu_hours(1e21, "TPU v4")
    for name in ACCELERATORS:
        assert repr(name) in str(error.value)


@pytest.mark.parametrize("bad", [0, -3, math.nan, math.inf, 1e20, "ten"])
def test_bad_hours(bad):
    with pytest.raises(ValueError, match="GPU-hours"):
        compute_for_gpu_hours(bad, "A100")


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, 1e40])
def test_bad_compute(bad):
    with pytest.raises(ValueError, match="between 1e9 and 1e30 FLOPs"):
        gpu_hours(bad, "A100")
