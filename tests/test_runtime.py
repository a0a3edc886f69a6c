"""lecturekit.device() and seed_everything()."""

from __future__ import annotations

import random

import pytest
import torch

import lecturekit


def test_device_prefers_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.delenv("LECTUREKIT_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert lecturekit.device().type == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert lecturekit.device().type == "mps"
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert lecturekit.device() == torch.device("cpu")


def test_environment_variable_overrides(monkeypatch):
    monkeypatch.setenv("LECTUREKIT_DEVICE", "cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert lecturekit.device() == torch.device("cpu")


@pytest.mark.parametrize("value", ["gpu", "tpu", "cuda-0"])
def test_nonsense_override_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("LECTUREKIT_DEVICE", value)
    with pytest.raises(ValueError, match="LECTUREKIT_DEVICE"):
        lecturekit.device()


def test_asking_for_a_missing_gpu_says_so(monkeypatch):
    monkeypatch.setenv("LECTUREKIT_DEVICE", "cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError, match="no\\s+CUDA GPU"):
        lecturekit.device()


def test_seed_everything_repeats_python_numpy_and_torch():
    import numpy as np

    def draw():
        return random.random(), float(np.random.rand()), torch.rand(3).tolist()

    lecturekit.seed_everything(123)
    first = draw()
    lecturekit.seed_everything(123)
    assert draw() == first
    lecturekit.seed_everything(124)
    assert draw() != first


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        lecturekit.no_such_thing  # noqa: B018
