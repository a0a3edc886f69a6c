"""The pretraining loop, schedule, batches, checkpoints and the pretrain command."""

from __future__ import annotations

import json
import math

import pytest
import torch

from lecturekit.models import CheckpointError, LectureBERT, LectureGPT, LectureT5, TransformerConfig
from lecturekit.train import (
    BatchStream,
    TrainConfig,
    build_tokenizer,
    framed,
    resume,
    save_checkpoint,
    train,
)
from lecturekit.train.loop import evaluate, make_optimizer
from lecturekit.train.schedule import warmup_cosine

TEXTS = [
    "Iroh went into the kitchen to make some tea.",
    "Standing next to Iroh, Zuko pondered his destiny.",
    "Zuko left the kitchen.",
    "Stanford University is located in Stanford, California.",
    "The sequence goes 1, 1, 2, 3, 5, 8, 13, 21.",
] * 40


@pytest.fixture(scope="module")
def tokenizer():
    return build_tokenizer(TEXTS, num_merges=200)


def tiny(model_class, vocab_size, **overrides):
    preset = {LectureBERT: "bert_like", LectureGPT: "gpt_like", LectureT5: "t5_like"}[model_class]
    settings = dict(d_model=32, n_heads=2, n_layers=2, d_ff=64, max_positions=32, dropout=0.0,
                    attention_dropout=0.0)
    return model_class(getattr(TransformerConfig, preset)(vocab_size, **{**settings, **overrides}))


# ---------------------------------------------------------------- schedule

def test_schedule_matches_transformers_cosine_with_warmup():
    from transformers import get_cosine_schedule_with_warmup

    # Reference: HF's schedule (warm-up reaching the peak at step `warmup`, cosine to 0).
    parameter = torch.nn.Parameter(torch.zeros(1))
    reference = get_cosine_schedule_with_warmup(torch.optim.SGD([parameter], lr=1.0), 10, 100).lr_lambdas[0]
    ours = [warmup_cosine(step, 10, 100, min_ratio=0.0) for step in range(100)]
    reference_values = [reference(step) for step in range(100)]
    # Ours reaches the peak one step later during warm-up (it never uses lr 0); after warm-up they agree.
    assert all(math.isclose(a, b, abs_tol=1e-12) for a, b in zip(ours[10:], reference_values[10:], strict=True))
    assert all(0 < a <= 1 for a in ours[:10]) and ours[:10] == sorted(ours[:10])


def test_schedule_floor_and_bad_arguments():
    assert math.isclose(warmup_cosine(99, 10, 100, min_ratio=0.1), 0.1, abs_tol=1e-3)
    assert warmup_cosine(500, 10, 100, min_ratio=0.1) == pytest.approx(0.1)
    for args in [(0, 10, 0), (0, 200, 100), (0, 10, 100, 1.5)]:
        with pytest.raises(ValueError):
            warmup_cosine(*args)


# ---------------------------------------------------------------- tokenizer and batches

def test_tokenizer_uses_our_bpe_merges_and_round_trips(tokenizer):
    from lecturekit.subword import BPETokenizer, train_bpe
    from lecturekit.subword.pretokenize import split_words

    text = "Zuko went into the kitchen, pondering."
    counts = {}
    for t in TEXTS:
        for w in split_words(t):
            counts[w] = counts.get(w, 0) + 1
    ours = BPETokenizer(train_bpe(counts, 200), {c for w in counts for c in w})
    expected = ours.tokenize(text)
    assert tokenizer.encode(text, add_special_tokens=False).tokens == expected
    assert tokenizer.decode(tokenizer.encode("Zuko left the kitchen").ids) == "Zuko left the kitchen"


def test_framing_per_model_kind(tokenizer):
    assert framed(tokenizer, "masked-lm").encode("Zuko left").tokens[0] == "[CLS]"
    assert framed(tokenizer, "masked-lm").encode("Zuko left").tokens[-1] == "[SEP]"
    assert framed(tokenizer, "causal-lm").encode("Zuko left").tokens[0] == "[BOS]"
    assert framed(tokenizer, "encoder-decoder").encode("Zuko left").tokens[-1] == "[EOS]"
    with pytest.raises(ValueError, match="kind"):
        framed(tokenizer, "diffusion")


@pytest.mark.parametrize("objective", ["mlm", "clm", "span", "prefix"])
def test_batch_streams_are_reproducible_and_well_formed(tokenizer, objective):
    first = next(BatchStream(tokenizer, TEXTS, objective, block_size=16, batch_size=4, seed=3))
    again = next(BatchStream(tokenizer, TEXTS, objective, block_size=16, batch_size=4, seed=3))
    assert all(torch.equal(first[k], again[k]) for k in first)
    assert first["input_ids"].shape[0] == 4
    labels = first["labels"]
    if objective == "mlm":
        chosen = labels != -100
        assert first["input_ids"].shape[1] == 16
        assert 0 < chosen.float().mean() < 0.5  # about 15% carry loss
        assert (first["input_ids"][:, 0] == tokenizer.token_to_id("[CLS]")).all()
    if objective == "clm":
        assert torch.equal(labels, first["input_ids"])  # the model shifts the labels itself
    if objective == "span":
        sentinel = tokenizer.token_to_id("<extra_id_0>")
        assert (labels[:, 0] == sentinel).all()


def test_prefix_lm_batches_split_each_block_into_what_the_encoder_reads_and_the_decoder_writes(tokenizer):
    """The definition: prefix + [EOS] in, the rest of the same block + [EOS] out, nothing lost or added."""
    stream = BatchStream(tokenizer, TEXTS, "prefix", block_size=16, batch_size=4, seed=5)
    eos, pad = tokenizer.token_to_id("[EOS]"), tokenizer.token_to_id("[PAD]")
    blocks = {tuple(block) for block in stream.examples}
    lengths = []
    for _ in range(5):
        batch = next(stream)
        for source, mask, target in zip(batch["input_ids"], batch["attention_mask"], batch["labels"], strict=True):
            prefix = source[mask.bool()].tolist()
            continuation = target[target != -100].tolist()
            assert prefix[-1] == eos and continuation[-1] == eos and pad not in prefix
            assert tuple(prefix[:-1] + continuation[:-1]) in blocks  # the two parts rebuild one block
            assert len(prefix) >= 2 and len(continuation) >= 2  # neither part is empty
            lengths.append(len(prefix) - 1)
    assert len(set(lengths)) > 3  # the split point is drawn afresh, not fixed


def test_too_little_text_is_a_clear_error(tokenizer):
    with pytest.raises(ValueError, match="too short"):
        BatchStream(tokenizer, ["tiny"], "clm", block_size=64, batch_size=2)
    with pytest.raises(ValueError, match="objective"):
        BatchStream(tokenizer, TEXTS, "cloze", block_size=16, batch_size=2)


# ---------------------------------------------------------------- the loop

@pytest.mark.parametrize("model_class,objective",
                         [(LectureBERT, "mlm"), (LectureGPT, "clm"), (LectureT5, "span"), (LectureT5, "prefix")])
def test_training_lowers_the_loss(tokenizer, model_class, objective):
    torch.manual_seed(0)
    model = tiny(model_class, tokenizer.get_vocab_size())
    stream = BatchStream(tokenizer, TEXTS, objective, block_size=16, batch_size=8, seed=0)
    validation = BatchStream(tokenizer, TEXTS, objective, block_size=16, batch_size=8, seed=1).batches(2)
    config = TrainConfig(steps=60, learning_rate=3e-3, warmup_steps=5, eval_every=30)
    initial = evaluate(model, validation, torch.device("cpu"))
    seen = []
    history = train(model, stream, config, eval_batches=validation, callbacks=[lambda s: seen.append(s.step)],
                    device="cpu", progress=False)
    assert seen == [30, 60]
    assert initial == pytest.approx(math.log(tokenizer.get_vocab_size()), rel=0.1)  # a fresh model guesses uniformly
    assert history.val_loss[-1] < 0.8 * initial
    assert sum(history.train_loss[-10:]) < sum(history.train_loss[:10])
    assert history.tokens == sorted(history.tokens) and history.tokens[-1] > 0


def test_gradient_accumulation_equals_one_big_batch(tokenizer):
    """Two half-batches accumulated give the same update as the whole batch at once."""
    stream = BatchStream(tokenizer, TEXTS, "clm", block_size=16, batch_size=8, seed=0)
    batch = next(stream)
    halves = [{k: v[:4] for k, v in batch.items()}, {k: v[4:] for k, v in batch.items()}]
    results = []
    for batches, accumulation in [([batch], 1), (halves, 2)]:
        torch.manual_seed(0)
        model = tiny(LectureGPT, tokenizer.get_vocab_size())
        config = TrainConfig(steps=1, learning_rate=1e-2, warmup_steps=0, eval_every=1, accumulation=accumulation)
        train(model, iter(batches), config, device="cpu", progress=False)
        results.append(torch.cat([p.detach().flatten() for p in model.parameters()]))
    assert torch.allclose(results[0], results[1], atol=1e-5)


def test_running_out_of_batches_says_so(tokenizer):
    model = tiny(LectureGPT, tokenizer.get_vocab_size())
    with pytest.raises(ValueError, match="ran out"):
        train(model, iter([]), TrainConfig(steps=2, eval_every=1), device="cpu", progress=False)


# ---------------------------------------------------------------- checkpoints

def test_resume_continues_exactly_like_an_unbroken_run(tokenizer, tmp_path):
    def stream():
        return BatchStream(tokenizer, TEXTS, "mlm", block_size=16, batch_size=4, seed=0)

    config = TrainConfig(steps=12, learning_rate=3e-3, warmup_steps=3, eval_every=6)
    torch.manual_seed(0)
    unbroken = tiny(LectureBERT, tokenizer.get_vocab_size())
    train(unbroken, stream(), config, device="cpu", progress=False)

    torch.manual_seed(0)
    model = tiny(LectureBERT, tokenizer.get_vocab_size())
    optimizer = make_optimizer(model, config)
    batches = stream()
    saved = {}

    def stop_at_6(state):
        if state.step == 6:
            save_checkpoint(tmp_path / "ckpt", state.model, optimizer, state.step, state.history, config)
            saved["rng"] = batches.generator.get_state()
            raise KeyboardInterrupt  # the learner closes the laptop

    with pytest.raises(KeyboardInterrupt):
        train(model, batches, config, callbacks=[stop_at_6], optimizer=optimizer, device="cpu", progress=False)
    model2, optimizer2, step, history, config2 = resume(tmp_path / "ckpt", device="cpu")
    assert step == 6 and config2 == config and len(history.step) == 6
    batches.generator.set_state(saved["rng"])  # the same data stream continues
    train(model2, batches, config2, optimizer=optimizer2, start_step=step, history=history, device="cpu",
          progress=False)
    for (name, a), b in zip(unbroken.state_dict().items(), model2.state_dict().values(), strict=True):
        assert torch.allclose(a, b, atol=1e-6), name


def test_damaged_checkpoints_give_clear_errors(tokenizer, tmp_path):
    config = TrainConfig(steps=1, eval_every=1)
    model = tiny(LectureGPT, tokenizer.get_vocab_size())
    optimizer = make_optimizer(model, config)
    train(model, BatchStream(tokenizer, TEXTS, "clm", 16, 4), config, optimizer=optimizer, device="cpu",
          progress=False)
    folder = save_checkpoint(tmp_path / "ok", model, optimizer, 1, __import__("lecturekit").train.History(), config)
    resume(folder)  # loads

    (folder / "optimizer.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(CheckpointError, match="optimizer.safetensors is damaged"):
        resume(folder)
    (folder / "trainer_state.json").write_text("{broken")
    with pytest.raises(CheckpointError, match="trainer_state.json is damaged"):
        resume(folder)
    # A checkpoint of a different configuration cannot be loaded into this one.
    other = tiny(LectureGPT, tokenizer.get_vocab_size(), d_model=48)
    other.save_pretrained(tmp_path / "other")
    config_json = json.loads((folder / "config.json").read_text())
    (tmp_path / "other" / "config.json").write_text(json.dumps(config_json))
    with pytest.raises(CheckpointError):
        resume(tmp_path / "other")
    (folder / "model.safetensors").write_bytes(b"\x00" * 20)
    with pytest.raises(CheckpointError):
        resume(folder)


# ---------------------------------------------------------------- the pretrain command

def tiny_config(tmp_path, **changes) -> dict:
    config = {
        "name": "tiny-bert", "objective": "mlm",
        # 256: with only 100 merges a three-person world-state probe is about 235 tokens.
        "model": {"d_model": 16, "n_heads": 2, "n_layers": 1, "d_ff": 32, "max_positions": 256,
                  "dropout": 0.0, "attention_dropout": 0.0},
        "init": {"positions": "sinusoidal", "scale": 0.1},
        "corpus": {"words": 4000, "seed": 0},
        "tokenizer": {"path": str(tmp_path / "tokenizer.json"), "num_merges": 100},
        "block_size": 32, "batch_size": 4, "masking": {"mask_rate": 0.4},
        "train": {"steps": 4, "warmup_steps": 1, "eval_every": 2, "eval_batches": 1},
        "probes_per_category": 1,
        "out": str(tmp_path / "out"), "work_dir": str(tmp_path / "work"),
        "notes": "Four steps only: a test of the command, not a model.",
    }
    return {**config, **changes}


def write_config(tmp_path, config) -> str:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    return str(path)


def test_config_mistakes_are_caught_before_training(tmp_path):
    from lecturekit.train.pretrain import ConfigError, build_model, read_config

    base = tiny_config(tmp_path)
    read_config(write_config(tmp_path, base))  # the good one passes
    for change, message in [
        ({"masking": {"noise_density": 0.3}}, "do not apply to objective 'mlm'"),
        ({"block_size": 300}, "longer than the model's max_positions"),
        ({"objective": "rnn"}, "objective must be one of"),
    ]:
        with pytest.raises(ConfigError, match=message):
            read_config(write_config(tmp_path, {**base, **change}))
    with pytest.raises(ConfigError, match="init.positions"):
        build_model({**base, "init": {"positions": "rotary"}}, 50)


def test_probes_longer_than_the_context_are_reported_up_front(tokenizer):
    from lecturekit.train.pretrain import ConfigError, check_probes_fit
    from lecturekit.world import make_world, probes

    items = probes(make_world(0), "world_state")[:5]
    with pytest.raises(ConfigError, match=r"max_positions >= \d+"):
        check_probes_fit(items, framed(tokenizer, "masked-lm"), max_positions=16)
    check_probes_fit(items, framed(tokenizer, "masked-lm"), max_positions=512)


def test_sinusoidal_positions_make_offsets_position_independent():
    from lecturekit.models.layers import sinusoidal_positions

    table = sinusoidal_positions(64, 16)
    assert table.shape == (64, 16) and torch.allclose(table[0, 1::2], torch.ones(8))
    # The similarity of positions p and p + k depends on k only: offsets look the same everywhere.
    for k in (1, 5):
        similarities = (table[:-k] * table[k:]).sum(dim=1)
        assert torch.allclose(similarities, similarities[0].expand_as(similarities), atol=1e-4)
    assert not torch.allclose((table[:-1] * table[1:]).sum(1), (table[:-5] * table[5:]).sum(1)[:1].expand(63))


@pytest.mark.parametrize("objective", ["mlm", "span"])
def test_sinusoidal_init_sets_every_position_table(tmp_path, objective):
    from lecturekit.models.layers import Embeddings, sinusoidal_positions
    from lecturekit.train.pretrain import build_model

    model = build_model({**tiny_config(tmp_path), "objective": objective}, 50)
    tables = [m.position.weight for m in model.modules() if isinstance(m, Embeddings)]
    assert len(tables) == (2 if objective == "span" else 1)
    for table in tables:
        assert torch.allclose(table, 0.1 * sinusoidal_positions(256, 16))
    plain = build_model({**tiny_config(tmp_path), "init": {}}, 50)
    assert plain.embeddings.position.weight.std() < 0.05  # N(0, 0.02) as in BERT


@pytest.mark.slow  # the final probe table scores all 1,680 probes
def test_pretrain_writes_a_checkpoint_and_a_truthful_card(tmp_path):
    from lecturekit.train.pretrain import pretrain
    from lecturekit.world import CATEGORIES

    out = pretrain(tiny_config(tmp_path), command="lecturekit pretrain --config tiny.json", progress=False,
                   device="cpu")
    card = json.loads((out / "card.json").read_text())
    assert card["steps"] == 4 and card["masking"] == {"mask_rate": 0.4}
    assert card["init"] == {"positions": "sinusoidal", "scale": 0.1}
    assert [row["category"] for row in card["probes"]] == list(CATEGORIES)
    assert {row["step"] for row in card["probe_history"]} == {2, 4}
    assert card["loss_history"]["step"] == [2, 4]
    readme = (out / "README.md").read_text()
    assert "lecturekit pretrain --config tiny.json" in readme and "| masking | mask_rate 0.4 |" in readme
    assert "## Notes\n\nFour steps only" in readme
    # The checkpoint loads through the one model interface.
    from lecturekit.hub.lecture import load_lecture_checkpoint

    model = load_lecture_checkpoint(out, torch.device("cpu"), torch.float32)
    assert model.kind == "masked-lm" and len(model.fill_mask("a [MASK] .")) > 0


def test_the_objective_pair_differs_only_in_the_objective(tokenizer):
    from lecturekit.train.objective_pair import as_language_model, objective_pair

    pair = objective_pair(tokenizer, TEXTS * 4, steps=6, batch_size=4, block_size=32, d_model=32, n_layers=1)
    span, prefix = pair["span"], pair["prefix"]
    assert span.parameters == prefix.parameters
    same = {k: v for k, v in span.settings.items() if k != "masking"}
    assert same == {k: v for k, v in prefix.settings.items() if k != "masking"}  # same data, size, steps, seed
    assert span.batches.examples == prefix.batches.examples  # the same blocks ...
    assert span.history.tokens[-1] > 0 and prefix.history.tokens[-1] > 0
    model = as_language_model(prefix, tokenizer)
    assert model.kind == "encoder-decoder" and isinstance(model.generate("a cat", max_new_tokens=3), str)
