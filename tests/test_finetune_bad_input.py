"""Bad input gets a clear message and breaks nothing (the loaded model stays usable)."""

from __future__ import annotations

import pytest
import torch

from lecturekit.finetune import LoRALinear, apply_lora, train_classifier
from lecturekit.finetune import training as training_module
from lecturekit.hub import InputError, NotSupportedError, OutOfMemoryError, load_model
from lecturekit.hub.factory import build_model
from lecturekit.models import LectureGPT, TransformerConfig

TEXTS = ["It was wonderful.", "It was awful.", "A lovely film.", "A dull film."]
LABELS = ["positive", "negative", "positive", "negative"]
QUICK = dict(steps=2, batch_size=2, progress=False, device="cpu")


@pytest.fixture(scope="module")
def bert():
    return load_model("lecture-bert", device="cpu")


def test_lora_rank_zero_or_larger_than_the_layer():
    with pytest.raises(ValueError, match="positive integer, got 0"):
        LoRALinear(torch.nn.Linear(8, 4), r=0, alpha=1)
    with pytest.raises(ValueError, match=r"r=5 is larger than the layer \(8 -> 4\).*at most 4"):
        LoRALinear(torch.nn.Linear(8, 4), r=5, alpha=1)
    with pytest.raises(ValueError, match="larger than"):
        train_classifier(load_model("lecture-gpt", device="cpu"), TEXTS, LABELS, "lora", r=1000, **QUICK)


def test_unknown_lora_targets_list_the_valid_names():
    model = LectureGPT(TransformerConfig.gpt_like(vocab_size=40, d_model=16, n_heads=2, n_layers=1, d_ff=32))
    with pytest.raises(ValueError, match="called 'query'.*Valid target names: down, out, qkv, up") as error:
        apply_lora(model, ["query"], r=2)
    assert "dotted suffixes" in str(error.value)
    assert all(p.requires_grad for p in model.parameters())  # nothing was changed


def test_one_class_only(bert):
    with pytest.raises(ValueError, match="Every label is 'positive'.*at least two classes"):
        train_classifier(bert, TEXTS, ["positive"] * 4, **QUICK)


def test_texts_and_labels_of_different_lengths(bert):
    with pytest.raises(ValueError, match="4 texts but 3 labels"):
        train_classifier(bert, TEXTS, LABELS[:3], **QUICK)


def test_an_empty_training_set(bert):
    with pytest.raises(ValueError, match="training set is empty"):
        train_classifier(bert, [], [], **QUICK)


def test_a_single_string_instead_of_a_list(bert):
    with pytest.raises(TypeError, match="got one string"):
        train_classifier(bert, "It was good.", ["positive"], **QUICK)


def test_texts_longer_than_the_context_are_cut_and_the_result_says_so(bert):
    long_text = " ".join(["wonderful"] * 400)
    with pytest.warns(UserWarning, match=r"1 of 4 texts were longer than the 128 tokens lecture-bert"):
        classifier = train_classifier(bert, [long_text, *TEXTS[1:]], LABELS, **QUICK)
    assert classifier.notes and "cut to their first 128 tokens" in classifier.notes[0]
    with pytest.warns(UserWarning, match="longer than the 120 tokens"):  # 8 positions go to the prompt
        train_classifier(bert, [long_text, *TEXTS[1:]], LABELS, "prompt_tuning", **QUICK)
    with pytest.warns(UserWarning, match="longer than"):
        assert classifier.predict(long_text) in ("positive", "negative")


class NoHiddenStates(torch.nn.Module):
    """A module with a language model's forward signature that returns only logits."""

    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(3000, 8)

    def forward(self, input_ids, attention_mask=None, output_hidden_states=False):
        return type("Output", (), {"logits": self.embedding(input_ids), "hidden_states": None})()


def test_a_model_without_hidden_states(bert):
    model = build_model(NoHiddenStates(), bert.tokenizer, kind="causal-lm", name="logits-only",
                        max_length=32, device=torch.device("cpu"), dtype=torch.float32)
    with pytest.raises(NotSupportedError, match="logits-only gives no hidden states"):
        train_classifier(model, TEXTS, LABELS, "linear_probe", **QUICK)
    with pytest.raises(NotSupportedError, match="lecture model or a Hugging Face model"):
        train_classifier(model, TEXTS, LABELS, "prefix_tuning", **QUICK)
    with pytest.raises(TypeError, match="needs a model from lecturekit.load_model"):
        train_classifier(torch.nn.Linear(2, 2), TEXTS, LABELS, **QUICK)


def test_a_method_that_does_not_apply_to_the_kind():
    t5 = load_model("lecture-t5", device="cpu")
    for method in ("prompt_tuning", "prefix_tuning"):
        with pytest.raises(NotSupportedError, match=f"lecture-t5: {method}.*not for encoder-decoder.*Use lora"):
            train_classifier(t5, TEXTS, LABELS, method, **QUICK)


def test_unknown_methods_settings_and_ranges(bert):
    with pytest.raises(ValueError, match="Unknown method 'adapter'; choose one of full, linear_probe"):
        train_classifier(bert, TEXTS, LABELS, "adapter", **QUICK)
    with pytest.raises(TypeError, match="method='full' takes no setting r"):
        train_classifier(bert, TEXTS, LABELS, "full", r=4, **QUICK)
    with pytest.raises(ValueError, match="n_layers must be between 1 and 4"):
        train_classifier(bert, TEXTS, LABELS, "top_layers", n_layers=9, **QUICK)
    with pytest.raises(ValueError, match="leaves no room for text"):
        train_classifier(bert, TEXTS, LABELS, "prefix_tuning", n_virtual_tokens=128, **QUICK)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        train_classifier(bert, TEXTS, LABELS, steps=0, progress=False)
    with pytest.raises(ValueError, match="pooling must be one of"):
        train_classifier(bert, TEXTS, LABELS, pooling="cls", **QUICK)
    classifier = train_classifier(bert, TEXTS, LABELS, "linear_probe", **QUICK)
    with pytest.raises(ValueError, match="'neutral' is not one of the classes"):
        classifier.accuracy(TEXTS[:1], ["neutral"])


def test_gpu_out_of_memory_names_the_size_and_what_to_try(bert, monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(training_module, "training_step", out_of_memory)
    with pytest.raises(OutOfMemoryError) as error:
        train_classifier(bert, TEXTS, LABELS, "full", steps=2, batch_size=4, progress=False, device="cpu")
    message = str(error.value)
    assert "lecture-bert" in message and "1.2M parameters" in message and "batch_size=4" in message
    assert "batch_size=2" in message and "method='lora'" in message
    assert isinstance(error.value.__cause__, torch.cuda.OutOfMemoryError)


def test_the_loaded_model_still_works_after_every_error(bert):
    assert not isinstance(bert.module.encoder.blocks[0].attention.qkv, LoRALinear)
    assert bert.fill_mask("It was a [MASK] film.").shape[0] == 5
    with pytest.raises(InputError):
        bert.fill_mask("no mask here")
