"""The two bundled real models through the interface: real behaviour, not just shapes."""

from __future__ import annotations

import pytest
import torch
import transformers

from lecturekit import bundled
from lecturekit.hub import NotSupportedError, load_model

TEXTS = [
    "Stanford University is located in Palo Alto, California.",
    "transformerify taaaaasty lern",  # rare words split into pieces; a typo
    "Emoji 🙂🚀 and naïve café, 日本語, кириллица, عربى.",
    "Control\x07chars\x00and\r\nnew lines... ---- !!!",
    "   ",
    "",
]


@pytest.fixture(scope="module")
def minilm():
    return load_model("minilm-l6", device="cpu")


@pytest.fixture(scope="module")
def minilm_tokenizer():
    return transformers.AutoTokenizer.from_pretrained(str(bundled.minilm_dir()))


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_minilm_tokenization_equals_its_hf_tokenizer(minilm, minilm_tokenizer, text):
    table = minilm.tokenize(text)
    expected = minilm_tokenizer(text, return_offsets_mapping=True)
    assert table["id"].tolist() == expected["input_ids"]
    assert table["token"].tolist() == minilm_tokenizer.convert_ids_to_tokens(expected["input_ids"])
    assert list(zip(table.start, table.end, strict=True)) == [tuple(o) for o in expected["offset_mapping"]]


def test_minilm_is_an_encoder_without_fill_mask(minilm):
    assert minilm.kind == "encoder" and minilm.max_length == 512
    assert 22e6 < minilm.num_parameters < 23e6  # all-MiniLM-L6-v2: 22.7M
    with pytest.raises(NotSupportedError) as caught:
        minilm.fill_mask("The capital of France is [MASK].")
    message = str(caught.value)
    assert "without a language-model head" in message and "lecture-bert" in message and "hf:" in message


def test_minilm_hidden_states_match_transformers(minilm):
    reference = transformers.AutoModel.from_pretrained(str(bundled.minilm_dir())).eval()
    states = minilm.hidden_states(["I record a song.", "The record is old and scratched."])
    assert states[0].layers.shape == (7, 7, 384)  # embeddings + 6 layers; [CLS] i record a song . [SEP]
    ids = torch.tensor([states[1].tokens.id.tolist()])
    with torch.no_grad():
        expected = reference(input_ids=ids, output_hidden_states=True).hidden_states
    assert torch.allclose(states[1].layers, torch.stack(expected)[:, 0], atol=1e-4)


# ---- SmolLM2: in-context learning rises with the number of demonstrations

PATTERNS = {
    "antonyms": {
        "hot": "cold", "big": "small", "up": "down", "happy": "sad", "fast": "slow", "open": "closed",
        "early": "late", "rich": "poor", "strong": "weak", "full": "empty", "wet": "dry",
        "true": "false", "win": "lose", "love": "hate", "day": "night",
    },
    "plurals": {
        "cat": "cats", "dog": "dogs", "child": "children", "mouse": "mice", "box": "boxes",
        "city": "cities", "man": "men", "foot": "feet", "tooth": "teeth", "woman": "women",
        "baby": "babies", "knife": "knives", "leaf": "leaves", "bus": "buses", "goose": "geese",
    },
    "capitals": {
        "France": "Paris", "Germany": "Berlin", "Italy": "Rome", "Spain": "Madrid", "Japan": "Tokyo",
        "Russia": "Moscow", "Egypt": "Cairo", "Canada": "Ottawa", "Greece": "Athens",
        "Portugal": "Lisbon", "Ireland": "Dublin", "Norway": "Oslo", "Poland": "Warsaw",
        "Austria": "Vienna", "Kenya": "Nairobi",
    },
}
SHOTS = (0, 3)


def few_shot_prompt(pairs: dict[str, str], index: int, shots: int) -> str:
    """'word -> answer' lines for the next `shots` items (never the query itself), then the query."""
    words = list(pairs)
    demos = [words[(index + j) % len(words)] for j in range(1, shots + 1)]
    return "".join(f"{w} -> {pairs[w]}\n" for w in demos) + f"{words[index]} ->"


def accuracy(model, pairs: dict[str, str], shots: int) -> float:
    """Share of queries whose greedy next token is the answer's first token."""
    prompts = [few_shot_prompt(pairs, i, shots) for i in range(len(pairs))]
    predicted = [table["id"][0] for table in model.next_token(prompts, top_k=1)]
    expected = [table["id"][0] for table in model.tokenize([" " + a for a in pairs.values()])]
    return sum(p == e for p, e in zip(predicted, expected, strict=True)) / len(pairs)


@pytest.mark.slow  # 40-80 s on 2 busy cores (+ a one-time ~10 s conversion on a fresh cache)
def test_smollm2_few_shot_accuracy_rises_with_demonstrations():
    model = load_model("smollm2-135m", device="cpu")
    assert model.kind == "causal-lm" and 134e6 < model.num_parameters < 135e6
    results = {name: [accuracy(model, pairs, k) for k in SHOTS] for name, pairs in PATTERNS.items()}
    print({name: [round(float(a), 2) for a in r] for name, r in results.items()})
    for name, (zero, three) in results.items():
        # Zero-shot, "hot ->" is no task at all; three examples define it.
        assert three >= zero + 0.5, f"{name}: {results[name]}"
    assert sum(r[1] for r in results.values()) / len(results) >= 0.6


def test_the_conversion_parses_the_gguf_once_and_restores_gguf_afterwards():
    import gguf

    original = gguf.GGUFReader, gguf.get_tensor_name_map
    path = str(bundled.smollm2_gguf())
    with bundled._gguf_read_once():
        first = gguf.GGUFReader(path)
        assert gguf.GGUFReader(path) is first  # config, tokenizer and weights share one parse
        assert gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, 30) is gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, 30)
        assert len(first.tensors) == 272  # the file as transformers reads it: every tensor listed
    assert (gguf.GGUFReader, gguf.get_tensor_name_map) == original
    assert gguf.GGUFReader(path) is not first
