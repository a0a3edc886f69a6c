"""Saving and loading: safetensors only, and clear errors for every broken folder."""

from __future__ import annotations

import json

import pytest
import torch

from lecturekit.models import (
    CheckpointError,
    LectureBERT,
    LectureGPT,
    LectureT5,
    TransformerConfig,
    load_pretrained,
)

SMALL = dict(vocab_size=40, d_model=16, n_heads=2, n_layers=2, d_ff=32, max_positions=12)
MODELS = {
    "bert": (LectureBERT, TransformerConfig.bert_like(**SMALL, next_sentence_head=True)),
    "gpt": (LectureGPT, TransformerConfig.gpt_like(**SMALL)),
    "t5": (LectureT5, TransformerConfig.t5_like(**SMALL, n_decoder_layers=1)),
}


def _logits(model, ids):
    with torch.no_grad():
        if isinstance(model, LectureT5):
            return model(ids, decoder_input_ids=ids[:, :4]).logits
        return model(ids).logits


@pytest.mark.parametrize("name", list(MODELS))
def test_round_trip_gives_the_same_class_config_and_logits(tmp_path, name):
    model_class, config = MODELS[name]
    torch.manual_seed(0)
    model = model_class(config).eval()
    model.save_pretrained(tmp_path / name)
    assert sorted(p.name for p in (tmp_path / name).iterdir()) == ["config.json", "model.safetensors"]
    saved = json.loads((tmp_path / name / "config.json").read_text())
    assert saved["architecture"] == model_class.architecture
    loaded = load_pretrained(tmp_path / name, device="cpu")
    assert type(loaded) is model_class and loaded.config == config and not loaded.training
    ids = torch.randint(40, (2, 7))
    assert torch.equal(_logits(model, ids), _logits(loaded, ids))


def test_tied_weights_stay_tied_after_loading(tmp_path):
    model_class, config = MODELS["gpt"]
    model_class(config).save_pretrained(tmp_path)
    loaded = load_pretrained(tmp_path, device="cpu")
    # one table reads and predicts tokens, so training it moves both
    assert not any("lm_head" in name for name, _ in loaded.named_parameters())


@pytest.fixture
def saved_gpt(tmp_path):
    model_class, config = MODELS["gpt"]
    folder = tmp_path / "gpt"
    model_class(config).save_pretrained(folder)
    return folder


def test_missing_folder_and_files_are_named(tmp_path, saved_gpt):
    with pytest.raises(CheckpointError, match="is not a folder"):
        load_pretrained(tmp_path / "nowhere")
    (saved_gpt / "model.safetensors").unlink()
    with pytest.raises(CheckpointError, match=r"gpt: model.safetensors is missing"):
        load_pretrained(saved_gpt)
    (saved_gpt / "config.json").unlink()
    with pytest.raises(CheckpointError, match=r"gpt: no config.json"):
        load_pretrained(saved_gpt)


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_corrupted_weights_file_is_reported(saved_gpt, damage):
    path = saved_gpt / "model.safetensors"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"\x00\x01not safetensors" * 10)
    with pytest.raises(CheckpointError, match=r"gpt.model\.safetensors is not a readable safetensors file"):
        load_pretrained(saved_gpt)


def _rewrite_config(folder, **changes):
    path = folder / "config.json"
    values = json.loads(path.read_text())
    values.update(changes)
    path.write_text(json.dumps(values))


def test_weights_of_another_shape_are_reported(saved_gpt):
    # A config.json from a different model: shapes differ.
    _rewrite_config(saved_gpt, d_ff=48)
    with pytest.raises(CheckpointError, match="d_ff: config.json 48 vs weights 32"):
        load_pretrained(saved_gpt)


def test_shape_mismatch_without_metadata_lists_the_tensors(tmp_path, saved_gpt):
    from safetensors.torch import load_file, save_file

    weights = load_file(saved_gpt / "model.safetensors")
    save_file(weights, str(saved_gpt / "model.safetensors"))  # drop the saved configuration
    _rewrite_config(saved_gpt, d_ff=48, n_layers=3)
    with pytest.raises(CheckpointError, match=r"weights missing.*feed_forward\.up\.weight has shape \(32, 16\) but the config needs \(48, 16\)"):
        load_pretrained(saved_gpt)


def test_same_shapes_but_different_configuration_is_reported(saved_gpt):
    # Changing the activation keeps every shape: only the saved configuration can tell.
    _rewrite_config(saved_gpt, activation="relu")
    with pytest.raises(CheckpointError, match="activation"):
        load_pretrained(saved_gpt)


def test_bad_config_files_are_reported(saved_gpt):
    _rewrite_config(saved_gpt, architecture="LectureXL")
    with pytest.raises(CheckpointError, match="'LectureXL' is not one of"):
        load_pretrained(saved_gpt)
    _rewrite_config(saved_gpt, architecture="LectureGPT", colour="blue")
    with pytest.raises(CheckpointError, match="Unknown TransformerConfig fields: colour"):
        load_pretrained(saved_gpt)
    (saved_gpt / "config.json").write_text("{not json")
    with pytest.raises(CheckpointError, match="not valid JSON"):
        load_pretrained(saved_gpt)


def test_config_round_trips_and_rejects_nonsense():
    config = TransformerConfig.bert_like(**SMALL)
    assert TransformerConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="split evenly"):
        TransformerConfig(vocab_size=10, d_model=30, n_heads=4)
    with pytest.raises(ValueError, match="norm_placement"):
        TransformerConfig(vocab_size=10, norm_placement="middle")
    with pytest.raises(ValueError, match="dropout"):
        TransformerConfig(vocab_size=10, dropout=1.5)
    with pytest.raises(ValueError, match="vocab_size must be a positive integer"):
        TransformerConfig(vocab_size=0)
    with pytest.raises(ValueError, match="pad_token_id=12"):
        TransformerConfig(vocab_size=10, pad_token_id=12)
