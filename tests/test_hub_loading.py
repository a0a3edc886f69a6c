"""load_model: names, the hf: path offline, the lecture checkpoint path, device and dtype."""

from __future__ import annotations

import json
import sys
import time
import types

import pytest
import torch
import transformers

import lecturekit
from lecturekit.hub import (
    HubError,
    InputError,
    ModelNotShippedError,
    OfflineError,
    UnknownModelError,
    load_model,
    model_names,
)
from lecturekit.hub import huggingface as hf_loader
from lecturekit.hub.lecture import load_lecture_checkpoint
from lecturekit.hub.precision import default_dtype, resolve_dtype
from lecturekit.hub.tiny import save_tiny_lecture_checkpoint, save_tiny_model

CPU = torch.device("cpu")


def test_lecturekit_exposes_load_model():
    assert lecturekit.load_model is load_model


def test_an_unknown_name_lists_the_valid_ones():
    with pytest.raises(UnknownModelError) as caught:
        load_model("bert-large-cased")
    for name in ["lecture-bert", "lecture-gpt", "lecture-t5", "smollm2-135m", "minilm-l6", "hf:"]:
        assert name in str(caught.value)
    assert set(model_names()) == {"lecture-bert", "lecture-gpt", "lecture-t5", "smollm2-135m", "minilm-l6"}
    with pytest.raises(TypeError, match="must be a string"):
        load_model(None)


@pytest.mark.parametrize(("typed", "meant"), [("bert-base", "hf:bert-base-uncased"), ("GPT-2", "hf:gpt2"),
                                             ("lecture-bert-base", "lecture-bert")])
def test_an_unknown_name_suggests_what_was_meant(typed, meant):
    with pytest.raises(UnknownModelError, match=f"Did you mean {meant}"):
        load_model(typed)


@pytest.mark.parametrize("name", ["lecture-bert", "lecture-gpt", "lecture-t5"])
def test_lecture_models_say_when_they_are_not_shipped(name, tmp_path, monkeypatch):
    # An installation without the checkpoints (say, a trimmed wheel): point at an empty folder.
    from lecturekit.hub import lecture

    monkeypatch.setattr(lecture, "checkpoint_dir", lambda model_name: tmp_path / model_name)
    with pytest.raises(ModelNotShippedError, match="not trained/shipped yet.*minilm-l6 or smollm2-135m"):
        load_model(name)


def test_a_hub_id_offline_fails_fast_naming_the_offline_models(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    # This machine has no network; make sure of it even where one exists.
    monkeypatch.setattr(hf_loader, "hub_reachable", lambda timeout: (False, "no network (test)"))
    monkeypatch.setenv("HF_HUB_CACHE", "/nonexistent-hf-cache")
    monkeypatch.setattr(hf_loader, "_in_hf_cache", lambda hub_id: False)
    start = time.perf_counter()
    with pytest.raises(OfflineError) as caught:
        load_model("hf:bert-base-uncased")
    assert time.perf_counter() - start < 3
    message = str(caught.value)
    assert "smollm2-135m" in message and "minilm-l6" in message and "lecture-bert" in message


def test_a_hub_id_with_the_real_network_check_answers_within_3_seconds(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    if hf_loader.hub_reachable(timeout=3)[0]:
        pytest.skip("this machine can reach the hub")
    start = time.perf_counter()
    with pytest.raises(OfflineError, match="offline"):
        load_model("hf:gpt2")
    assert time.perf_counter() - start < 3


def test_hf_hub_offline_is_respected(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def must_not_be_called(timeout):
        raise AssertionError("with HF_HUB_OFFLINE set, the network is not even tried")

    monkeypatch.setattr(hf_loader, "hub_reachable", must_not_be_called)
    monkeypatch.setattr(hf_loader, "_in_hf_cache", lambda hub_id: False)
    with pytest.raises(OfflineError, match="HF_HUB_OFFLINE is set"):
        load_model("hf:org/some-model")


def test_a_local_folder_loads_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder = save_tiny_model("gpt2", tmp_path / "gpt2")
    model = load_model(f"hf:{folder}")
    assert model.kind == "causal-lm" and model.name == f"hf:{folder}"


def test_pickled_weights_are_never_loaded(tmp_path, monkeypatch):
    """A folder whose weights are only a pickled pytorch_model.bin is refused, not unpickled."""
    from safetensors.torch import load_file

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder = save_tiny_model("gpt2", tmp_path / "gpt2")

    weights = load_file(str(folder / "model.safetensors"))
    (folder / "model.safetensors").unlink()
    torch.save(weights, folder / "pytorch_model.bin")  # what an old hub repo holds
    with pytest.raises(HubError, match="only loads safetensors"):
        load_model(f"hf:{folder}")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("hf:", "Write the model after 'hf:'"),
        ("hf:   ", "Write the model after 'hf:'"),
        ("hf:./no/such/folder", "No model folder"),
        ("hf:not a valid id!", "No model folder"),
    ],
)
def test_bad_hf_specs_get_clear_errors(spec, message):
    with pytest.raises(HubError, match=message):
        load_model(spec)


def test_a_folder_that_is_not_a_model_is_refused(tmp_path):
    with pytest.raises(HubError, match="no config.json"):
        load_model(f"hf:{tmp_path}")
    (tmp_path / "weights.bin").write_bytes(b"\x00")
    with pytest.raises(HubError, match="is a file"):
        load_model(f"hf:{tmp_path / 'weights.bin'}")


def test_default_dtype_is_float32_on_cpu_and_16_bit_on_gpus():
    assert default_dtype(CPU) == torch.float32
    assert default_dtype(torch.device("cuda"), bf16_supported=True) == torch.bfloat16
    assert default_dtype(torch.device("cuda"), bf16_supported=False) == torch.float16
    assert resolve_dtype("bf16", CPU) == torch.bfloat16
    assert resolve_dtype(None, CPU) == torch.float32
    with pytest.raises(ValueError, match="dtype"):
        resolve_dtype("int3", CPU)
    with pytest.raises(ValueError, match="not a device"):
        load_model("minilm-l6", device="gpu-please")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA GPU"):
            load_model("minilm-l6", device="cuda")


def test_an_explicit_dtype_is_applied(tmp_path):
    folder = save_tiny_model("gpt2", tmp_path / "gpt2")
    model = load_model(f"hf:{folder}", device="cpu", dtype="bfloat16")
    assert model.dtype == torch.bfloat16
    assert {p.dtype for p in model.module.parameters()} == {torch.bfloat16}
    probabilities = model.next_token("The cat", top_k=3)["probability"]
    assert probabilities.dtype == "float64" and probabilities.between(0, 1).all()


# ---- the lecture checkpoint path, exercised with tiny HF modules in its layout


@pytest.fixture(scope="module")
def lecture_folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("lecture")
    return {kind: save_tiny_lecture_checkpoint(kind, root / kind) for kind in ("bert-mlm", "gpt2", "t5")}


def _hf_loader(folder):
    """Stands in for lecturekit.models.load_pretrained: any module with the HF forward."""
    kind = json.loads((folder / "config.json").read_text())["kind"]
    auto = {"masked-lm": transformers.AutoModelForMaskedLM, "causal-lm": transformers.AutoModelForCausalLM,
            "encoder-decoder": transformers.AutoModelForSeq2SeqLM}[kind]
    return auto.from_pretrained(folder)


@pytest.mark.parametrize("kind", ["bert-mlm", "gpt2", "t5"])
def test_the_lecture_adapter_gives_what_the_hf_path_gives(lecture_folders, kind):
    folder = lecture_folders[kind]
    lecture = load_lecture_checkpoint(folder, CPU, torch.float32, name=f"lecture-{kind}", loader=_hf_loader)
    hub = load_model(f"hf:{folder}", device="cpu")
    assert lecture.kind == hub.kind
    text = "Thank you for inviting me to your party."
    assert lecture.tokenize(text).equals(hub.tokenize(text))
    if kind == "bert-mlm":  # special tokens found by their spelling in the raw tokenizer.json
        assert lecture.specials.mask == hub.specials.mask
        assert lecture.fill_mask("Thank you for [MASK] me.").equals(hub.fill_mask("Thank you for [MASK] me."))
    else:
        assert lecture.generate(text, max_new_tokens=5, temperature=0) == hub.generate(
            text, max_new_tokens=5, temperature=0)
    blank = "Thank you ___ me to your party."
    assert lecture.score_candidates(blank, ["for inviting", "a"]) == pytest.approx(
        hub.score_candidates(blank, ["for inviting", "a"]), abs=1e-5)


def test_lecture_prefix_uses_lecturekit_models(lecture_folders, monkeypatch):
    fake = types.ModuleType("lecturekit.models")
    fake.load_pretrained = _hf_loader
    monkeypatch.setitem(sys.modules, "lecturekit.models", fake)
    model = load_model(f"lecture:{lecture_folders['t5']}")
    assert model.kind == "encoder-decoder" and len(model.specials.sentinels) == 10


def test_damaged_or_incomplete_checkpoints_are_reported(lecture_folders, tmp_path):
    with pytest.raises(HubError, match="lacks config.json, model.safetensors, tokenizer.json"):
        load_lecture_checkpoint(tmp_path, CPU, torch.float32, loader=_hf_loader)
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("config.json", "model.safetensors"):
        (broken / name).write_bytes((lecture_folders["gpt2"] / name).read_bytes())
    (broken / "tokenizer.json").write_text("{not json")
    with pytest.raises(HubError, match="damaged"):
        load_lecture_checkpoint(broken, CPU, torch.float32, loader=_hf_loader)


# ---- the real lecture modules (lecturekit.models), tiny and random, through lecture:<folder>


@pytest.fixture(scope="module")
def real_lecture_folders(tmp_path_factory):
    models = pytest.importorskip("lecturekit.models")
    from tokenizers import Tokenizer

    from lecturekit import bundled
    from lecturekit.hub.tiny import _byte_level_bpe, _t5_unigram

    tokenizers = {
        "LectureBERT": Tokenizer.from_file(str(bundled.minilm_dir() / "tokenizer.json")),
        "LectureGPT": _byte_level_bpe(["[PAD]", "[BOS]", "[EOS]"]),
        "LectureT5": _t5_unigram()[0],
    }
    root = tmp_path_factory.mktemp("real-lecture")
    folders = {}
    for name, tokenizer in tokenizers.items():
        torch.manual_seed(0)
        config = models.TransformerConfig(vocab_size=tokenizer.get_vocab_size(), d_model=32, n_heads=2,
                                          n_layers=2, d_ff=64, max_positions=48)
        module = getattr(models, name)(config)
        module.init_weights()
        module.save_pretrained(root / name)
        tokenizer.save(str(root / name / "tokenizer.json"))
        folders[name] = root / name
    return folders


def test_real_lecture_modules_work_through_the_interface(real_lecture_folders):
    from lecturekit.models import load_pretrained

    bert = load_model(f"lecture:{real_lecture_folders['LectureBERT']}")
    assert (bert.kind, bert.max_length) == ("masked-lm", 48)
    table = bert.fill_mask("the [MASK] shop", top_k=3)
    module = load_pretrained(real_lecture_folders["LectureBERT"]).eval()
    ids = bert.tokenize("the [MASK] shop").id.tolist()
    with torch.no_grad():
        expected = torch.softmax(module(input_ids=torch.tensor([ids])).logits[0, 2], -1).topk(3)
    assert table.id.tolist() == expected.indices.tolist()
    assert table.probability.tolist() == pytest.approx(expected.values.tolist(), abs=1e-6)
    assert bert.hidden_states("the record").layers.shape == (3, 4, 32)
    assert bert.input_embeddings.shape == (30522, 32)

    gpt = load_model(f"lecture:{real_lecture_folders['LectureGPT']}")
    assert gpt.kind == "causal-lm" and gpt.specials.start_of_text() == gpt.tokenizer.token_to_id("[BOS]")
    module = load_pretrained(real_lecture_folders["LectureGPT"]).eval()
    ids = gpt.tokenize("the record").id.tolist()
    for _ in range(4):  # greedy decoding by hand
        with torch.no_grad():
            ids.append(int(module(input_ids=torch.tensor([ids])).logits[0, -1].argmax()))
    assert gpt.generate("the record", max_new_tokens=4, temperature=0) == gpt.tokenizer.decode(
        ids[-4:], skip_special_tokens=False)

    t5 = load_model(f"lecture:{real_lecture_folders['LectureT5']}")
    assert t5.kind == "encoder-decoder" and len(t5.specials.sentinels) == 10
    scores = t5.score_candidates("Thank you ___ me.", ["for inviting", "a"])
    assert len(scores) == 2 and all(s < 0 for s in scores)
    with pytest.raises(InputError, match="at most 48"):
        t5.score("word " * 100)
