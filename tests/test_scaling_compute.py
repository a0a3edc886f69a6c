"""C ≈ 6·N·D and the exact count, pinned to the papers' own figures and to the real modules."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from lecturekit.models import (
    LectureBERT,
    LectureGPT,
    LectureT5,
    TransformerConfig,
    count_parameters,
    flops_per_token,
)
from lecturekit.scaling import DecoderShape, chinchilla_flops, parameter_count, training_flops

ROOT = Path(__file__).resolve().parent.parent


def test_six_flops_per_parameter_per_token():
    from lecturekit.scaling.compute import BACKWARD_FLOPS_PER_PARAMETER, FORWARD_FLOPS_PER_PARAMETER

    assert (FORWARD_FLOPS_PER_PARAMETER, BACKWARD_FLOPS_PER_PARAMETER) == (2, 4)
    assert training_flops(1, 1) == 6


def test_gpt3_training_compute_matches_brown_et_al():
    # Brown et al. 2020, Table D.1: GPT-3 175B, 300B tokens, 3.14e23 FLOPs.
    assert training_flops(175e9, 300e9) == pytest.approx(3.14e23, rel=0.005)


def test_chinchilla_has_gophers_budget():
    # Hoffmann et al. 2022: Chinchilla (70B, 1.4T tokens) used Gopher's budget, 5.76e23 FLOPs.
    # 6ND gives 5.88e23, 2% above: the paper's own count and rounded sizes differ slightly.
    assert training_flops(70e9, 1.4e12) == pytest.approx(5.76e23, rel=0.03)


@pytest.mark.parametrize("parameters, flops, tokens", [
    # Hoffmann et al. 2022, Table 3 (approach 1): parameters, FLOPs, tokens.
    (400e6, 1.92e19, 8.0e9), (1e9, 1.21e20, 20.2e9), (10e9, 1.23e22, 205.1e9), (67e9, 5.76e23, 1.5e12),
    (175e9, 3.85e24, 3.7e12), (280e9, 9.90e24, 5.9e12), (520e9, 3.43e25, 11.0e12), (1e12, 1.27e26, 21.2e12),
    (10e12, 1.30e28, 216.2e12),
])
def test_six_nd_reproduces_hoffmann_table_3(parameters, flops, tokens):
    assert training_flops(parameters, tokens) == pytest.approx(flops, rel=0.05)


def test_llama_3_405b_compute_matches_dubey_et_al():
    # Dubey et al. 2024: 405B parameters, 15.6T tokens, 3.8e25 FLOPs.
    assert training_flops(405e9, 15.6e12) == pytest.approx(3.8e25, rel=0.01)


# Hoffmann et al. 2022, Table A4: layers, d_model, ffw_size, heads, key size, parameters,
# and the ratio of their FLOP count to 6ND (vocabulary 32,000, sequences of 2,048 tokens).
TABLE_A4 = [
    (10, 640, 2560, 10, 64, 73e6, 1.03), (20, 1024, 4096, 16, 64, 305e6, 1.10),
    (24, 1280, 5120, 10, 128, 552e6, 1.08), (26, 1792, 7168, 14, 128, 1.1e9, 1.04),
    (28, 2048, 8192, 16, 128, 1.6e9, 1.03), (40, 3584, 14336, 28, 128, 6.8e9, 0.99),
]


@pytest.mark.parametrize("layers, d, ffw, heads, key_size, parameters, ratio", TABLE_A4)
def test_appendix_f_count_reproduces_table_a4(layers, d, ffw, heads, key_size, parameters, ratio):
    shape = DecoderShape(vocab_size=32_000, d_model=d, n_layers=layers, n_heads=heads, key_size=key_size,
                         ffw_size=ffw, seq_len=2048)
    # Their parameter count: per layer attention (with relative-position parameters),
    # feed-forward and norms, plus the output matrix once.
    per_layer = 3 * d * d + 3 * d + d * d + 2 * d + d * d + d + d * ffw + ffw + ffw * d + d + 4 * d
    n = layers * per_layer + 2 * d + d * 32_000
    assert n == pytest.approx(parameters, rel=0.05)
    assert chinchilla_flops(shape).layers_only_per_token / (6 * n) == pytest.approx(ratio, abs=0.006)


def test_flops_count_adds_up():
    count = chinchilla_flops(DecoderShape(vocab_size=100, d_model=8, n_layers=2, n_heads=2, key_size=4,
                                          ffw_size=32, seq_len=16))
    assert count.forward == count.embeddings + 2 * (count.attention + count.dense) + count.logits
    assert count.backward == 2 * count.forward and count.total == 3 * count.forward
    # Each term by hand (Appendix F).
    s, v, d, w = 16, 100, 8, 8
    assert count.embeddings == 2 * s * v * d and count.logits == 2 * s * d * v
    assert count.dense == 2 * s * 2 * d * 32
    assert count.attention == 2 * 3 * s * d * w + 2 * s * s * w + 3 * 2 * s * s + 2 * s * s * w + 2 * s * w * d


def shipped_configs():
    vocab = json.loads((ROOT / "lecturekit" / "checkpoints" / "lecture-gpt" / "config.json").read_text())["vocab_size"]
    presets = {"mlm": ("bert_like", LectureBERT, "masked-lm"), "clm": ("gpt_like", LectureGPT, "causal-lm"),
               "span": ("t5_like", LectureT5, "encoder-decoder")}
    for path in sorted((ROOT / "configs").glob("lecture-*.json")):
        spec = json.loads(path.read_text())
        preset, model_class, kind = presets[spec["objective"]]
        yield path.stem, getattr(TransformerConfig, preset)(vocab, **spec["model"]), model_class, kind


@pytest.mark.parametrize("name, config, model_class, kind", list(shipped_configs()), ids=lambda v: str(v)[:12])
def test_parameter_count_matches_the_lecture_models(name, config, model_class, kind):
    assert parameter_count(config, kind) == count_parameters(model_class(config))


@pytest.mark.parametrize("kind, model_class, overrides", [
    ("masked-lm", LectureBERT, {"next_sentence_head": True}),
    ("masked-lm", LectureBERT, {"norm_placement": "pre", "type_vocab_size": 0}),
    ("causal-lm", LectureGPT, {"norm_placement": "post", "d_ff": 48}),
    ("encoder-decoder", LectureT5, {"n_decoder_layers": 1}),
    ("encoder-decoder", LectureT5, {"norm_placement": "post"}),
])
def test_parameter_count_matches_variants(kind, model_class, overrides):
    sizes = {"vocab_size": 50, "d_model": 16, "n_heads": 2, "n_layers": 2, "d_ff": 64, "max_positions": 20}
    config = TransformerConfig(**{**sizes, **overrides})
    assert parameter_count(config, kind) == count_parameters(model_class(config))


def test_the_shipped_lecture_gpt_card_agrees():
    card = json.loads((ROOT / "lecturekit" / "checkpoints" / "lecture-gpt" / "card.json").read_text())
    vocab = card["tokenizer"]["vocab_size"]
    spec = json.loads((ROOT / "configs" / "lecture-gpt.json").read_text())
    assert parameter_count(TransformerConfig.gpt_like(vocab, **spec["model"])) == card["parameters"]


def test_exact_count_agrees_with_the_models_own_flops_per_token():
    # lecturekit.models.flops_per_token: 6N (N: every multiplied weight, biases included)
    # plus 12·layers·context·d_model for attention. Appendix F without softmax and
    # embedding look-up is the same sum, up to biases and norms.
    config = TransformerConfig.gpt_like(2994, d_model=128, n_heads=4, n_layers=4, d_ff=512, max_positions=128)
    model = LectureGPT(config)
    count = chinchilla_flops(DecoderShape.from_config(config))
    softmax = config.n_layers * 3 * config.n_heads * 128 * 128
    matrix_products = 3 * (count.layers - softmax + count.logits) / 128
    assert matrix_products == pytest.approx(flops_per_token(model, 128).total, rel=0.01)


def test_shape_from_config():
    config = TransformerConfig.gpt_like(300, d_model=64, n_heads=4, n_layers=3, d_ff=256, max_positions=32)
    shape = DecoderShape.from_config(config)
    assert (shape.key_size, shape.ffw_size, shape.seq_len) == (16, 256, 32)
    assert DecoderShape.from_config(config, seq_len=8).seq_len == 8


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, -math.inf, 1e40, "1e9", None, True])
def test_training_flops_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="between"):
        training_flops(bad, 1e9)
    with pytest.raises(ValueError, match="between"):
        training_flops(1e9, bad)


def test_bad_shape_and_kind():
    with pytest.raises(ValueError, match="positive whole number"):
        DecoderShape(vocab_size=0, d_model=8, n_layers=1, n_heads=1, key_size=8, ffw_size=8, seq_len=8)
    with pytest.raises(ValueError, match="causal-lm"):
        parameter_count(TransformerConfig(vocab_size=10, d_model=8, n_heads=2, n_layers=1, d_ff=8), "vision")


def test_pytorchs_counter_sees_two_flops_forward_and_four_backward():
    import torch

    from lecturekit.scaling.measure import measure_training_step

    config = TransformerConfig.gpt_like(60, d_model=16, n_heads=2, n_layers=2, d_ff=64, max_positions=16)
    model = LectureGPT(config)
    ids = torch.randint(1, 60, (2, 16), generator=torch.Generator().manual_seed(0))
    step = measure_training_step(model, ids)
    # Every weight matrix is multiplied once per token, the tied output matrix included.
    multiplied = sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear)) + 60 * 16
    weights = 2 * multiplied * ids.numel()
    attention = config.n_layers * 2 * (2 * 2 * 16 * 16 * 16)  # query·key and weights·value: 2 sequences of 16
    # Whether the counter sees attention's own products depends on the kernel PyTorch picks.
    assert step.forward in (weights, weights + attention)
    assert step.backward == 2 * step.forward
    assert step.parameters == count_parameters(model) and step.tokens == 32
