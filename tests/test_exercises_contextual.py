"""The exercise checks of notebook 02 accept right answers and reject wrong ones; the right
answers are worked out here with the plain Hugging Face model, not with the checks' code."""

from __future__ import annotations

import pandas as pd
import pytest
import torch

from lecturekit.exercises import check
from lecturekit.exercises.contextual_embeddings import NOUN_SENTENCES, VERB_SENTENCES


def test_pieces_are_the_word_without_the_special_tokens():
    from lecturekit.subword.showcase import bert_wordpiece

    right = len(bert_wordpiece().tokenize_word("transformerify"))  # MiniLM uses BERT's vocabulary
    assert check("pieces", right).startswith("✓")
    assert check("pieces", float(right)).startswith("✓")
    for wrong in (right + 2, 1, "3", True):
        with pytest.raises(AssertionError, match="Hint"):
            check("pieces", wrong)


def test_static_vectors_are_the_same_in_every_sentence():
    assert check("static_similarity", 1.0000000001).startswith("✓")
    assert check("static_similarity", torch.tensor(1.0)).startswith("✓")
    for wrong in (0.8, "1.0", -1.0, float("nan")):
        with pytest.raises(AssertionError):
            check("static_similarity", wrong)


@pytest.fixture(scope="module")
def largest_gap_layer():
    import transformers

    from lecturekit.bundled import minilm_dir

    tokenizer = transformers.AutoTokenizer.from_pretrained(str(minilm_dir()))
    model = transformers.AutoModel.from_pretrained(str(minilm_dir()), output_hidden_states=True).eval()
    sentences = [*VERB_SENTENCES, *NOUN_SENTENCES]
    record = tokenizer.convert_tokens_to_ids("record")
    rows = []
    with torch.no_grad():
        for sentence in sentences:
            encoding = tokenizer(sentence, return_tensors="pt")
            position = encoding["input_ids"][0].tolist().index(record)  # "record" is one piece
            rows.append(torch.stack([h[0, position] for h in model(**encoding).hidden_states]))
    vectors = torch.nn.functional.normalize(torch.stack(rows, dim=1).double(), dim=-1)  # (layers, 6, dim)
    senses = torch.tensor([0, 0, 0, 1, 1, 1])
    same = (senses[:, None] == senses[None]) & ~torch.eye(6, dtype=torch.bool)
    gaps = []
    for layer in vectors:
        similarity = layer @ layer.T
        gaps.append(float(similarity[same].mean() - similarity[senses[:, None] != senses[None]].mean()))
    return max(range(len(gaps)), key=gaps.__getitem__)


def test_best_layer_is_recomputed_not_read_back(largest_gap_layer):
    assert check("best_layer", str(largest_gap_layer)).startswith("✓")
    assert check("best_layer", largest_gap_layer).startswith("✓")
    for wrong in ("static", str(largest_gap_layer - 1), "layer 6x"):
        with pytest.raises(AssertionError):
            check("best_layer", wrong)
    table = pd.DataFrame({"layer": ["static", "0", "1", "2"], "gap": [0.0, 0.01, 0.3, 0.2]})
    with pytest.raises(TypeError):  # a learner's own table is no input
        check("best_layer", "1", table=table)


def test_noun_sentence_uses_minilm():
    assert check("noun_sentence", "Her first record sold a million copies.").startswith("✓")
    with pytest.raises(AssertionError, match="closer to the verbs"):
        check("noun_sentence", "Please record this call for me.")
    with pytest.raises(AssertionError, match="must contain"):
        check("noun_sentence", "No such word here.")
    with pytest.raises(AssertionError, match="as a string"):
        check("noun_sentence", ["Her first record sold a million copies."])
