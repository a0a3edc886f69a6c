"""Decoding: greedy, temperature, top-k and top-p against Hugging Face.

The filtered distributions must equal, exactly, what transformers' own logits
warpers (TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper, in the order
``generate`` applies them) give on the same logits; and with the same seed our
``generate`` writes exactly the text ``transformers.generate`` writes, greedy or
sampled, since both draw with ``torch.multinomial`` from the same probabilities.
"""

from __future__ import annotations

import math

import pytest
import torch
import transformers
from transformers.generation.logits_process import (
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

from lecturekit.hub import load_model
from lecturekit.hub.sampling import keep_top_p, next_token_distribution
from lecturekit.hub.tiny import save_tiny_model
from lecturekit.prompting import (
    STRATEGIES,
    compare_decodings,
    decode,
    filter_table,
    next_token_filters,
)
from lecturekit.widgets.next_token_explorer import NextTokenExplorer, next_token_update

SETTINGS = [(1.0, None, 0.9), (0.7, 5, None), (1.0, None, 0.5), (1.3, 20, 0.9), (2.0, None, 0.95),
            (0.5, 50, 0.3), (1.0, 3, 0.99), (0.9, None, 0.01)]


def hf_distribution(logits, temperature, top_k, top_p):
    scores = TemperatureLogitsWarper(temperature)(None, logits.clone())
    if top_k is not None:
        scores = TopKLogitsWarper(top_k)(None, scores)
    if top_p is not None:
        scores = TopPLogitsWarper(top_p)(None, scores)
    return torch.softmax(scores, dim=-1)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return save_tiny_model("gpt2", tmp_path_factory.mktemp("tiny") / "gpt2")


@pytest.fixture(scope="module")
def tiny(folder):
    return load_model(f"hf:{folder}", device="cpu")


@pytest.fixture(scope="module")
def hf_tiny(folder):
    return transformers.AutoModelForCausalLM.from_pretrained(folder).eval()


def hf_generate(hf_model, model, prompt, max_new_tokens, temperature, top_k, top_p, seed):
    ids = torch.tensor([model.tokenizer.encode(prompt).ids])
    torch.manual_seed(seed)
    settings = ({"do_sample": False} if temperature == 0 else
                {"do_sample": True, "temperature": temperature, "top_k": top_k or 0, "top_p": top_p or 1.0})
    eos = model.specials.eos
    new = hf_model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens,
                            pad_token_id=eos, **settings)[0, ids.shape[1]:].tolist()
    if eos in new:  # our generate stops before the end-of-text token
        new = new[: new.index(eos)]
    return model.tokenizer.decode(new, skip_special_tokens=False)


# ---------------------------------------------------------------- the filters


@pytest.mark.parametrize(("temperature", "top_k", "top_p"), SETTINGS)
def test_filtered_distributions_equal_the_hf_warpers(temperature, top_k, top_p):
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(4, 1000, generator=generator) * 3  # a batch of rows, as generate sees them
    ours = next_token_distribution(logits, temperature, top_k, top_p)
    assert torch.equal(ours, hf_distribution(logits, temperature, top_k, top_p))
    for row in range(4):  # and one row at a time, as our sampler sees them
        assert torch.equal(next_token_distribution(logits[row], temperature, top_k, top_p), ours[row])


def test_top_p_with_ties_and_a_sure_model():
    ties = torch.tensor([[2.0, 2.0, 2.0, 2.0, 0.0, 0.0]])
    assert torch.equal(keep_top_p(ties, 0.5), TopPLogitsWarper(0.5)(None, ties.clone()))
    sure = torch.tensor([[30.0, 0.0, 0.0, 0.0]])
    kept = next_token_distribution(sure, top_p=0.9)
    assert kept[0, 0] == 1.0 and int((kept > 0).sum()) == 1  # the nucleus of a sure model is one token
    assert torch.equal(next_token_distribution(sure, top_p=1.0), next_token_distribution(sure))


@pytest.mark.parametrize("bad", [0, 0.0, -0.1, 1.5, math.nan, "0.9", True])
def test_top_p_must_be_a_probability(tiny, bad):
    with pytest.raises(ValueError, match="top_p must be a probability"):
        next_token_distribution(torch.zeros(5), top_p=bad)
    with pytest.raises(ValueError, match="top_p"):
        tiny.generate("The cat", 3, top_p=bad)


# ---------------------------------------------------- generate, against HF


@pytest.mark.parametrize(("temperature", "top_k", "top_p"), [(0.0, None, None), *SETTINGS[:5]])
def test_generate_writes_what_hf_generate_writes(tiny, hf_tiny, temperature, top_k, top_p):
    for seed in (0, 1, 2):
        ours = tiny.generate("The cat sat on the", 12, temperature=temperature, top_k=top_k, seed=seed, top_p=top_p)
        assert ours == hf_generate(hf_tiny, tiny, "The cat sat on the", 12, temperature, top_k, top_p, seed)


def test_smollm2_greedy_and_nucleus_match_hf():
    from lecturekit import bundled

    model = load_model("smollm2-135m", device="cpu")
    reference = transformers.AutoModelForCausalLM.from_pretrained(str(bundled.smollm2_dir())).eval()
    prompt = "The capital of France is"
    assert decode(model, prompt, "greedy", 10) == hf_generate(reference, model, prompt, 10, 0.0, None, None, 0)
    sampled = decode(model, prompt, max_new_tokens=10, seed=4, temperature=1.0, top_p=0.9)
    assert sampled == hf_generate(reference, model, prompt, 10, 1.0, None, 0.9, 4)


def test_stream_and_next_token_take_top_p(tiny, hf_tiny):
    prompt = "The cat sat on the"
    pieces = "".join(tiny.stream(prompt, 8, temperature=1.0, seed=5, top_p=0.6))
    assert pieces == tiny.generate(prompt, 8, temperature=1.0, seed=5, top_p=0.6)
    table = tiny.next_token(prompt, top_k=10, temperature=0.8, top_p=0.6)
    with torch.no_grad():
        logits = hf_tiny(input_ids=torch.tensor([tiny.tokenizer.encode(prompt).ids])).logits[:, -1]
    expected = hf_distribution(logits, 0.8, None, 0.6)[0].topk(10)
    assert list(table.id[table.probability > 0]) == expected.indices[expected.values > 0].tolist()
    assert list(table.probability) == pytest.approx(expected.values.tolist(), abs=1e-6)


# ------------------------------------------------ showing the distribution


def test_filter_table_shows_each_stage():
    logits = torch.tensor([3.0, 2.5, 1.0, 0.5, 0.0, -1.0])
    table = filter_table(logits, lambda i: f"t{i}", temperature=0.5, top_k=4, top_p=0.9, show=5)
    assert list(table.columns) == ["rank", "token", "id", "p(model)", "p(temperature)", "p(top-k)", "p(top-p)",
                                   "kept"]
    assert list(table.id) == [0, 1, 2, 3, 4] and table.token.iloc[0] == "t0"
    assert list(table["p(model)"]) == pytest.approx(torch.softmax(logits, 0)[:5].tolist())
    assert list(table["p(top-p)"]) == pytest.approx(next_token_distribution(logits, 0.5, 4, 0.9)[:5].tolist())
    assert table.attrs["kept"] == {"model": 6, "temperature": 6, "top-k": 4, "top-p": 2}
    assert list(table.kept) == [True, True, False, False, False]
    with pytest.raises(ValueError, match="one row"):
        filter_table(logits[None], str)


def test_next_token_filters_agree_with_next_token(tiny):
    # next_token's top_k is how many rows to show, not a filter: compare without the top-k stage.
    table = next_token_filters(tiny, "The cat", temperature=0.2, top_p=0.5, show=8)
    reference = tiny.next_token("The cat", top_k=8, temperature=0.2, top_p=0.5)
    assert 0 < table.attrs["kept"]["top-p"] < table.attrs["kept"]["temperature"]
    assert list(table.id) == list(reference.id)
    assert list(table["p(top-p)"]) == pytest.approx(list(reference.probability), abs=1e-6)


def test_decode_names_and_compare(tiny):
    assert decode(tiny, "The cat", "top-p 0.9", 6, seed=3) == tiny.generate("The cat", 6, 1.0, None, 3, 0.9)
    assert decode(tiny, "The cat", "greedy", 6) == tiny.generate("The cat", 6, temperature=0.0)
    table = compare_decodings(tiny, "The cat", seeds=(0, 1), max_new_tokens=4)
    assert list(table.strategy).count("greedy") == 1 and len(table) == 1 + 2 * (len(STRATEGIES) - 1)
    with pytest.raises(ValueError, match="Unknown strategy"):
        decode(tiny, "The cat", "beam search")


# ------------------------------------------------------------- the widget


def test_the_explorer_cuts_to_the_nucleus(tiny):
    # The random tiny model is nearly flat; a low temperature gives it a small nucleus to show.
    state = next_token_update(tiny, "The cat sat on the", 10, temperature=0.1, top_p=0.15)
    nucleus = state.candidates[state.candidates.probability > 0]
    assert state.top_p == 0.15 and 1 <= len(nucleus) < 10
    assert float(nucleus.probability.sum()) == pytest.approx(1.0)
    assert "top-p 0.15" in state.html()
    assert next_token_update(tiny, "The cat", 5, top_p=1.0).top_p is None  # 1.0 filters nothing
    view = NextTokenExplorer(tiny, prompt="The cat", top_k=5, max_new_tokens=5, seed=2)
    assert view.top_p.value == 1.0 and "top-p" not in view.static_html()
    view.top_p.value = 0.6
    assert view.state.top_p == 0.6
    assert view.stream() == tiny.generate(view.prompt.value, 5, temperature=1.0, top_k=5, seed=2, top_p=0.6)
