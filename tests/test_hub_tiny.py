"""The model interface on tiny random Hugging Face models, one per kind, checked
against transformers doing the same job (tokenizer, pipeline, generate, loss)."""

from __future__ import annotations

import math

import pytest
import torch
import transformers

from lecturekit.hub import (
    KINDS,
    InputError,
    LanguageModel,
    NotSupportedError,
    OutOfMemoryError,
    load_model,
)
from lecturekit.hub.factory import MODEL_CLASSES, build_model
from lecturekit.hub.kinds import METHODS
from lecturekit.hub.tiny import MAX_POSITIONS, TINY_KINDS, save_tiny_model

TEXTS = [
    "Thank you for inviting me to your party last week.",
    "  Stanford   University\tis located in Palo Alto.",
    "Emoji 🙂🚀, accents naïve café, scripts 日本語 и кириллица.",
    "Control\x07characters\x00and\r\nnew lines",
    "",
]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    return {kind: save_tiny_model(kind, root / kind) for kind in TINY_KINDS}


@pytest.fixture(scope="module")
def models(folders):
    return {kind: load_model(f"hf:{folder}", device="cpu") for kind, folder in folders.items()}


@pytest.fixture(scope="module")
def references(folders):
    """The same checkpoints loaded by transformers directly."""
    classes = {
        "bert-mlm": transformers.AutoModelForMaskedLM,
        "bert": transformers.AutoModel,
        "gpt2": transformers.AutoModelForCausalLM,
        "llama": transformers.AutoModelForCausalLM,
        "t5": transformers.AutoModelForSeq2SeqLM,
    }
    return {
        kind: (classes[kind].from_pretrained(folder).eval(), transformers.AutoTokenizer.from_pretrained(folder))
        for kind, folder in folders.items()
    }


def test_kinds_are_read_from_the_checkpoint(models):
    assert {k: m.kind for k, m in models.items()} == {
        "bert-mlm": "masked-lm",
        "bert": "encoder",
        "gpt2": "causal-lm",
        "llama": "causal-lm",
        "t5": "encoder-decoder",
    }
    for model in models.values():
        assert model.device == torch.device("cpu") and model.dtype == torch.float32
        assert model.num_parameters == sum(p.numel() for p in model.module.parameters()) > 0


def test_each_kind_has_one_class_and_every_class_is_a_language_model(models):
    assert set(MODEL_CLASSES) == set(KINDS)
    for model in models.values():
        assert isinstance(model, LanguageModel) and type(model) is MODEL_CLASSES[model.kind]
    # A class computes exactly the methods kinds.METHODS promises for its kind.
    own_part = {"fill_mask": "_fill_mask", "next_token": "_next_token_logits", "generate": "_new_token_ids",
                "score": "_score", "score_candidates": "_candidate_scores"}
    for kind, cls in MODEL_CLASSES.items():
        assert {m for m, part in own_part.items() if hasattr(cls, part)} == set(METHODS[kind]) & set(own_part)
    with pytest.raises(ValueError, match="kind must be one of"):
        build_model(models["bert"].module, models["bert"].tokenizer, kind="decoder", name="x", max_length=8,
                    device=torch.device("cpu"), dtype=torch.float32)


@pytest.mark.parametrize("kind", TINY_KINDS)
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_tokenize_matches_the_hf_tokenizer(models, references, kind, text):
    table = models[kind].tokenize(text)
    _, tokenizer = references[kind]
    expected = tokenizer(text, return_offsets_mapping=True)
    assert table["id"].tolist() == expected["input_ids"]
    assert list(zip(table.start, table.end, strict=True)) == [tuple(o) for o in expected["offset_mapping"]]
    assert table["token"].tolist() == tokenizer.convert_ids_to_tokens(expected["input_ids"])
    for row in table.itertuples():
        assert row.text == text[row.start : row.end]


def test_fill_mask_matches_the_transformers_pipeline(models, folders):
    pipe = transformers.pipeline("fill-mask", model=str(folders["bert-mlm"]), device="cpu")
    text = "The cat sat on the [MASK] and looked at the record player."
    expected = pipe(text, top_k=5)
    table = models["bert-mlm"].fill_mask(text, top_k=5)
    assert table["id"].tolist() == [e["token"] for e in expected]
    assert table["probability"].tolist() == pytest.approx([e["score"] for e in expected], abs=1e-6)
    assert table["rank"].tolist() == [1, 2, 3, 4, 5] and set(table["mask"]) == {1}


def test_fill_mask_handles_two_masks_and_batches(models):
    model = models["bert-mlm"]
    two = model.fill_mask("I [MASK] a song every [MASK].", top_k=3)
    assert two["mask"].tolist() == [1, 1, 1, 2, 2, 2]
    batch = model.fill_mask(["I [MASK] a song.", "The [MASK] shop opens at nine, as usual."], top_k=3)
    alone = model.fill_mask("The [MASK] shop opens at nine, as usual.", top_k=3)
    assert batch[1]["id"].tolist() == alone["id"].tolist()
    assert batch[1]["probability"].tolist() == pytest.approx(alone["probability"].tolist(), abs=1e-5)


@pytest.mark.parametrize("kind", ["gpt2", "llama"])
def test_next_token_is_the_softmax_of_the_last_logits(models, references, kind):
    reference, tokenizer = references[kind]
    text = "Iroh went into the kitchen to make"
    ids = tokenizer(text, return_tensors="pt").input_ids
    with torch.no_grad():
        logits = reference(input_ids=ids).logits[0, -1]
    for temperature in (1.0, 0.5, 2.0):
        expected = torch.softmax(logits / temperature, dim=-1).topk(5)
        table = models[kind].next_token(text, top_k=5, temperature=temperature)
        assert table["id"].tolist() == expected.indices.tolist()
        assert table["probability"].tolist() == pytest.approx(expected.values.tolist(), abs=1e-6)


def test_next_token_batch_equals_one_by_one(models):
    model = models["llama"]
    texts = ["The cat", "Stanford University is located in Palo"]
    batch = model.next_token(texts, top_k=4)
    for text, table in zip(texts, batch, strict=True):
        alone = model.next_token(text, top_k=4)
        assert table["id"].tolist() == alone["id"].tolist()
        assert table["probability"].tolist() == pytest.approx(alone["probability"].tolist(), abs=1e-5)


@pytest.mark.parametrize("kind", ["gpt2", "llama", "t5"])
def test_greedy_generate_matches_transformers_generate(models, references, kind):
    reference, tokenizer = references[kind]
    text = "Thank you for inviting me"
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        output = reference.generate(
            **inputs, max_new_tokens=10, do_sample=False, pad_token_id=tokenizer.pad_token_id
            if tokenizer.pad_token_id is not None else tokenizer.eos_token_id,
        )
    # A decoder-only output repeats the prompt; T5's starts with the decoder start token.
    new_ids = output[0, 1:].tolist() if kind == "t5" else output[0, inputs.input_ids.shape[1] :].tolist()
    if tokenizer.eos_token_id in new_ids:  # transformers keeps the end token; we stop before it
        new_ids = new_ids[: new_ids.index(tokenizer.eos_token_id)]
    expected = tokenizer.decode(new_ids, skip_special_tokens=False)
    assert models[kind].generate(text, max_new_tokens=10, temperature=0) == expected


@pytest.mark.parametrize("kind", ["gpt2", "t5"])
def test_sampling_is_seeded_and_top_k_1_is_greedy(models, kind):
    model = models[kind]
    first = model.generate("The movie was", max_new_tokens=8, temperature=1.5, seed=3)
    again = model.generate("The movie was", max_new_tokens=8, temperature=1.5, seed=3)
    others = {model.generate("The movie was", max_new_tokens=8, temperature=1.5, seed=s) for s in range(4, 9)}
    assert first == again
    assert len(others | {first}) > 1, "different seeds should give different samples"
    greedy = model.generate("The movie was", max_new_tokens=8, temperature=0)
    assert model.generate("The movie was", max_new_tokens=8, temperature=0.7, top_k=1, seed=5) == greedy


def test_stream_pieces_join_to_the_generated_text(models):
    model = models["gpt2"]
    pieces = list(model.stream("Emoji 🙂", max_new_tokens=12, temperature=1.0, seed=1))
    assert "".join(pieces) == model.generate("Emoji 🙂", max_new_tokens=12, temperature=1.0, seed=1)
    assert all("\ufffd" not in p for p in pieces) or "\ufffd" in "".join(pieces)


@pytest.mark.parametrize("kind", ["gpt2", "llama"])
def test_causal_score_matches_the_hf_loss(models, references, kind):
    reference, tokenizer = references[kind]
    text = "The cat sat on the mat."
    score = models[kind].score(text)
    start = models[kind].specials.start_of_text()
    ids = torch.tensor([[start, *tokenizer(text).input_ids]])
    with torch.no_grad():
        loss = reference(input_ids=ids, labels=ids).loss  # mean negative log-likelihood
    assert score.perplexity == pytest.approx(math.exp(float(loss)), rel=1e-5)
    assert len(score.tokens) == ids.shape[1] - 1
    assert "".join(score.tokens.text) == text


def test_score_with_context_scores_only_the_text(models):
    model = models["gpt2"]
    whole = model.score("Thank you for inviting me")
    tail = model.score(" inviting me", context="Thank you for")
    assert tail.tokens["text"].str.strip().tolist() == ["in", "vit", "ing", "me"]
    assert tail.log_prob == pytest.approx(whole.tokens.log_prob.iloc[-4:].sum(), abs=1e-4)


def test_masked_score_is_a_pseudo_log_likelihood(models, references):
    model = models["bert-mlm"]
    reference, tokenizer = references["bert-mlm"]
    score = model.score("the record shop")
    assert score.pseudo and len(score.tokens) == 3
    ids = tokenizer("the record shop").input_ids
    masked = list(ids)
    masked[2] = tokenizer.mask_token_id  # "record" alone hidden
    with torch.no_grad():
        logits = reference(input_ids=torch.tensor([masked])).logits[0, 2]
    assert score.tokens.log_prob[1] == pytest.approx(float(torch.log_softmax(logits, -1)[ids[2]]), abs=1e-5)


def test_masked_candidates_agree_with_the_pipeline(models, folders):
    pipe = transformers.pipeline("fill-mask", model=str(folders["bert-mlm"]), device="cpu")
    results = pipe("I put [MASK] fork down on the table.", targets=["the", "a"])
    expected = {r["token_str"]: math.log(r["score"]) for r in results}
    scores = models["bert-mlm"].score_candidates("I put ___ fork down on the table.", ["the", "a"])
    assert scores == pytest.approx([expected["the"], expected["a"]], abs=1e-5)


def test_masked_candidates_mask_every_piece(models, references):
    model = models["bert-mlm"]
    reference, tokenizer = references["bert-mlm"]
    [score] = model.score_candidates("It tasted ___ indeed.", ["taaaaasty"])
    ids = tokenizer("It tasted taaaaasty indeed.").input_ids
    pieces = [i for i, t in enumerate(tokenizer.convert_ids_to_tokens(ids)) if t in ("ta", "##aa", "##sty")]
    assert len(pieces) == 4
    masked = torch.tensor([[tokenizer.mask_token_id if i in pieces else t for i, t in enumerate(ids)]])
    with torch.no_grad():
        log_probs = torch.log_softmax(reference(input_ids=masked).logits[0], -1)
    assert score == pytest.approx(sum(float(log_probs[p, ids[p]]) for p in pieces), abs=1e-4)


def test_causal_candidates_are_whole_sentence_log_probabilities(models):
    model = models["llama"]
    scores = model.score_candidates("Zuko left the ___.", ["kitchen", "room"])
    assert scores == pytest.approx(
        [model.score("Zuko left the kitchen.").log_prob, model.score("Zuko left the room.").log_prob]
    )


def test_t5_candidates_follow_span_corruption(models, references):
    model = models["t5"]
    reference, tokenizer = references["t5"]
    [score] = model.score_candidates("Thank you ___ me to your party.", ["for inviting"])
    source = tokenizer("Thank you <extra_id_0> me to your party.", return_tensors="pt").input_ids
    target_ids = [tokenizer.convert_tokens_to_ids("<extra_id_0>"),
                  *tokenizer("for inviting", add_special_tokens=False).input_ids,
                  tokenizer.convert_tokens_to_ids("<extra_id_1>")]
    labels = torch.tensor([target_ids])
    with torch.no_grad():  # transformers shifts the labels right to make the decoder input
        log_probs = torch.log_softmax(reference(input_ids=source, labels=labels).logits[0], -1)
    expected = sum(float(log_probs[t, target_ids[t]]) for t in range(1, len(target_ids)))
    assert score == pytest.approx(expected, abs=1e-4)


def test_hidden_states_are_every_layer_of_every_token(models, references):
    for kind in ("bert", "gpt2", "t5"):
        model = models[kind]
        states = model.hidden_states("the record shop")
        reference, tokenizer = references[kind]
        ids = tokenizer("the record shop", return_tensors="pt").input_ids
        with torch.no_grad():
            if kind == "t5":
                expected = reference.encoder(input_ids=ids, output_hidden_states=True).hidden_states
            else:
                expected = reference(input_ids=ids, output_hidden_states=True).hidden_states
        assert states.layers.shape == (3, ids.shape[1], 32)
        assert torch.allclose(states.layers, torch.stack(expected)[:, 0], atol=1e-5)
        assert states.tokens["id"].tolist() == ids[0].tolist()


def test_hidden_states_batch_equals_one_by_one(models):
    model = models["bert"]
    batch = model.hidden_states(["a", "the record shop opens at nine"])
    alone = model.hidden_states("a")
    assert torch.allclose(batch[0].layers, alone.layers, atol=1e-5)


def test_static_input_embeddings_are_the_embedding_matrix(models):
    matrix = models["bert"].input_embeddings
    assert matrix.shape == (30522, 32)
    assert not matrix.requires_grad


@pytest.mark.parametrize(
    ("kind", "method", "call", "hint"),
    [
        ("bert", "fill_mask", lambda m: m.fill_mask("a [MASK]"), "lecture-bert"),
        ("gpt2", "fill_mask", lambda m: m.fill_mask("a [MASK]"), "masked LM"),
        ("t5", "fill_mask", lambda m: m.fill_mask("a [MASK]"), "masked LM"),
        ("bert-mlm", "next_token", lambda m: m.next_token("a"), "smollm2-135m"),
        ("bert-mlm", "generate", lambda m: m.generate("a"), "smollm2-135m"),
        ("bert", "score", lambda m: m.score("a"), "hidden_states"),
        ("bert", "score_candidates", lambda m: m.score_candidates("a ___", ["b"]), "hidden_states"),
    ],
)
def test_methods_that_do_not_apply_say_why(models, kind, method, call, hint):
    with pytest.raises(NotSupportedError, match=f"no {method}") as caught:
        call(models[kind])
    assert hint in str(caught.value)


def test_bad_input_gets_clear_errors(models):
    bert, gpt = models["bert-mlm"], models["gpt2"]
    with pytest.raises(InputError, match=r"No \[MASK\]"):
        bert.fill_mask("nothing to fill")
    with pytest.raises(InputError, match=f"at most {MAX_POSITIONS}"):
        bert.fill_mask("word " * 200 + "[MASK]")
    with pytest.raises(InputError, match=f"at most {MAX_POSITIONS}"):
        gpt.score("word " * 200)
    with pytest.raises(InputError, match="exactly one ___"):
        gpt.score_candidates("no blank", ["a"])
    with pytest.raises(InputError, match="exactly one ___"):
        gpt.score_candidates("___ and ___", ["a"])
    with pytest.raises(InputError, match="empty candidate"):
        gpt.score_candidates("a ___", ["  "])
    with pytest.raises(TypeError, match="list of strings"):
        gpt.tokenize(42)
    with pytest.raises(TypeError, match="list of strings"):
        gpt.score_candidates("a ___", "b")
    with pytest.raises(ValueError, match="temperature"):
        gpt.next_token("a", temperature=0)
    with pytest.raises(ValueError, match="top_k"):
        gpt.generate("a", top_k=0)
    with pytest.raises(InputError, match="no tokens to score"):
        gpt.score("")
    assert gpt.score_candidates("a ___", []) == []
    assert gpt.tokenize([]) == []


def test_empty_text_is_a_documented_no_op(models):
    assert models["gpt2"].tokenize("").empty
    assert models["bert"].tokenize("")["token"].tolist() == ["[CLS]", "[SEP]"]
    # An empty prompt starts from the start-of-text token, like a new document.
    assert len(models["gpt2"].next_token("", top_k=3)) == 3
    assert isinstance(models["gpt2"].generate("", max_new_tokens=3, seed=0), str)


def test_out_of_memory_names_the_model_size(models, monkeypatch):
    model = models["gpt2"]

    def out_of_memory(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(model.module, "forward", out_of_memory)
    with pytest.raises(OutOfMemoryError, match=r"parameters, \d+\.\d+ GB in float32") as caught:
        model.next_token("a")
    assert f"{model.num_parameters / 1e6:,.1f}M" in str(caught.value)
