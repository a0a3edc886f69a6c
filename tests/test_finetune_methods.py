"""Every method trains on the CPU, lowers the loss, and changes only what it should.

A tiny task: 48 lecture-world reviews, positive or negative, 20 steps. The loss at
step 0 (the pretrained network with a fresh classifier) must fall.
"""

from __future__ import annotations

import pytest
import torch

from lecturekit.finetune import METHODS, train_classifier
from lecturekit.hub import load_model
from lecturekit.hub.tiny import save_tiny_model
from lecturekit.world.splits import sentiment_transfer

REVIEWS = sentiment_transfer(n_train=48, n_test=2).train
TEXTS = [r.text for r in REVIEWS]
LABELS = [r.label for r in REVIEWS]
SHORT = dict(steps=20, batch_size=8, progress=False, device="cpu")


@pytest.fixture(scope="module")
def models():
    return {name: load_model(name, device="cpu") for name in ("lecture-bert", "lecture-gpt")}


@pytest.fixture(scope="module")
def tiny_hf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    return {kind: load_model(f"hf:{save_tiny_model(kind, folder / kind)}", device="cpu")
            for kind in ("gpt2", "llama", "bert")}


def state(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ["lecture-bert", "lecture-gpt"])
def test_every_method_lowers_the_loss_on_a_lecture_model(models, name, method):
    model = models[name]
    before = state(model.module)
    classifier = train_classifier(model, TEXTS, LABELS, method, **SHORT)
    history = classifier.history
    assert history.eval_step[0] == 0 and history.eval_step[-1] == 20
    assert history.eval_loss[-1] < history.eval_loss[0]
    assert len(history.train_loss) == 20 and classifier.seconds > 0
    # The learner's model is still θ̂: fine-tuning trained a copy.
    after = state(model.module)
    assert after.keys() == before.keys() and all(torch.equal(after[k], before[k]) for k in before)


def expected_trainable(model, method: str) -> int:
    config, head = model.module.config, 2 * model.module.config.d_model + 2
    blocks = model.module.encoder.blocks if hasattr(model.module, "encoder") else model.module.decoder.blocks
    if method == "full":
        unused = sum(p.numel() for p in model.module.mlm_head.parameters()) if model.kind == "masked-lm" else 0
        return model.num_parameters - unused + head
    if method == "top_layers":
        return sum(p.numel() for p in blocks[-2:].parameters()) + head
    if method == "prompt_tuning":
        return 3 * config.d_model + head
    if method == "prefix_tuning":
        return 3 * config.n_layers * 2 * config.d_model + head
    if method == "lora":  # r (in + out) for the fused query-key-value matrix of every block
        return config.n_layers * 4 * (config.d_model + 3 * config.d_model) + head
    return head


OPTIONS = {"top_layers": {"n_layers": 2}, "prompt_tuning": {"n_virtual_tokens": 3},
           "prefix_tuning": {"n_virtual_tokens": 3}, "lora": {"r": 4}}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ["lecture-bert", "lecture-gpt"])
def test_each_method_trains_exactly_its_parameters(models, name, method):
    model = models[name]
    classifier = train_classifier(model, TEXTS[:16], LABELS[:16], method, steps=2, batch_size=4,
                                  progress=False, device="cpu", **OPTIONS.get(method, {}))
    assert classifier.trainable_parameters == expected_trainable(model, method)
    assert classifier.settings == {**classifier.settings, **OPTIONS.get(method, {})}
    # Frozen weights keep their pretrained values; weights that train have moved.
    original = dict(model.module.named_parameters())
    moved = []
    for key, parameter in classifier.network.network.named_parameters():
        key = key.replace(".base.", ".").replace(".table.", ".")  # names inside the LoRA / prompt wrappers
        if key not in original:
            continue  # a new parameter: LoRA's A and B, the prompt's vectors, the prefix
        if not parameter.requires_grad:
            assert torch.equal(parameter, original[key]), key
        elif not torch.equal(parameter, original[key]):
            moved.append(key)
    assert bool(moved) == (method in ("full", "top_layers"))


def test_lora_leaves_the_wrapped_weights_at_their_pretrained_values(models):
    model = models["lecture-gpt"]
    classifier = train_classifier(model, TEXTS[:16], LABELS[:16], "lora", steps=3, progress=False, device="cpu")
    network = classifier.network.network
    for i, block in enumerate(network.decoder.blocks):
        assert torch.equal(block.attention.qkv.base.weight, model.module.decoder.blocks[i].attention.qkv.weight)
        assert block.attention.qkv.lora_B.weight.abs().max() > 0  # B left zero: LoRA learned


def test_copy_model_false_trains_the_loaded_network_in_place(tmp_path):
    model = load_model(f"hf:{save_tiny_model('gpt2', tmp_path / 'gpt2')}", device="cpu")
    classifier = train_classifier(model, TEXTS[:8], LABELS[:8], "full", steps=2, progress=False,
                                  device="cpu", copy_model=False)
    assert classifier.network.network is model.module


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kind", ["gpt2", "llama", "bert"])
def test_every_method_trains_a_hugging_face_model_from_the_hub(tiny_hf, kind, method):
    texts = ["good film", "bad film", "great story", "awful story"] * 4
    labels = ["pos", "neg"] * 8
    classifier = train_classifier(tiny_hf[kind], texts, labels, method, steps=15, batch_size=8,
                                  learning_rate=1e-2, progress=False, device="cpu")
    assert classifier.history.eval_loss[-1] < classifier.history.eval_loss[0]
    assert classifier.predict("good film") in ("pos", "neg")


def test_encoder_decoders_fine_tune_their_encoder(tmp_path):
    model = load_model("lecture-t5", device="cpu")
    classifier = train_classifier(model, TEXTS, LABELS, "lora", steps=10, progress=False, device="cpu")
    assert classifier.pooling == "mean"
    # LoRA went into the encoder only: the decoder is never read by the classifier.
    network = classifier.network.network
    assert all(not p.requires_grad for p in network.decoder.parameters())
    assert classifier.history.eval_loss[-1] < classifier.history.eval_loss[0]


@pytest.mark.slow
@pytest.mark.parametrize("method", ["lora", "prompt_tuning", "prefix_tuning", "top_layers"])
def test_smollm2_fine_tunes(method):
    model = load_model("smollm2-135m", device="cpu")
    classifier = train_classifier(model, TEXTS[:8], LABELS[:8], method, steps=3, batch_size=4,
                                  progress=False, device="cpu")
    assert classifier.history.eval_loss[-1] < classifier.history.eval_loss[0]


@pytest.mark.parametrize("method", ["lora", "prefix_tuning", "prompt_tuning"])
def test_minilm_fine_tunes(method):
    model = load_model("minilm-l6", device="cpu")
    classifier = train_classifier(model, TEXTS[:8], LABELS[:8], method, steps=3, batch_size=4,
                                  progress=False, device="cpu")
    assert classifier.history.eval_loss[-1] < classifier.history.eval_loss[0]
