"""lecturekit.contextual: pooling, a word's occurrence vectors, similarity and clustering.

References: scipy's average-linkage clustering, torch's cosine similarity, and the plain
transformers forward pass of MiniLM.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.cluster.hierarchy import cut_tree, linkage
from scipy.spatial.distance import squareform

from lecturekit.contextual import (
    POOLINGS,
    cluster_occurrences,
    cosine_matrix,
    find_word,
    occurrence_vectors,
    pool,
    sense_separation,
    word_pieces,
    word_pieces_and_vectors,
    word_vector,
)
from lecturekit.hub import load_model

VERBS = ["I want to record a song tonight.", "Please record the meeting for me.",
         "They record every game on video."]
NOUNS = ["She broke the world record yesterday.", "He played an old jazz record.",
         "The record shows that he was right."]


@pytest.fixture(scope="module")
def minilm():
    return load_model("minilm-l6", device="cpu")


# ------------------------------------------------------------------ pooling


def test_pooling_mean_first_and_last():
    vectors = torch.arange(12.0).reshape(1, 4, 3)  # one layer, four tokens
    assert pool(vectors, [1, 2], "mean").tolist() == [[4.5, 5.5, 6.5]]
    assert pool(vectors, [1, 2], "first").tolist() == [[3.0, 4.0, 5.0]]
    assert pool(vectors, [1, 2], "last").tolist() == [[6.0, 7.0, 8.0]]
    assert pool(vectors[0], [1, 2], "mean").tolist() == [4.5, 5.5, 6.5]  # one layer alone
    assert POOLINGS == ("mean", "first", "last")
    with pytest.raises(ValueError, match="pooling"):
        pool(vectors, [1], "max")


# -------------------------------------------------------------- occurrences


def test_find_word_matches_whole_words_in_any_case():
    assert find_word("Record the record.", "record") == (0, 6)
    assert find_word("a recorder, a record", "record") == (14, 20)
    with pytest.raises(ValueError, match="does not occur"):
        find_word("a recorder", "record")
    with pytest.raises(ValueError, match="empty"):
        find_word("a record", "  ")
    assert find_word("c++ (x) [y]", "(x)") == (4, 7)  # regex characters are escaped
    assert find_word("what? a.b", "a.b") == (6, 9)


def test_word_pieces_are_the_tokens_covering_the_word(minilm):
    text = "We will transformerify the model."
    tokens = minilm.tokenize(text)
    pieces = word_pieces(tokens, *find_word(text, "transformerify"))
    assert tokens.token[pieces].tolist() == ["transform", "##eri", "##fy"]


def test_static_vector_is_one_row_of_the_embedding_matrix(minilm):
    occurrences = occurrence_vectors(minilm, VERBS + NOUNS, "record")
    row = minilm.input_embeddings[minilm.tokenize("record").id[1]]
    for vector in occurrences.static:
        assert torch.equal(vector, row)  # identical, whatever the sentence
    # Every Transformer layer's vectors differ from sentence to sentence.
    for layer in range(1, occurrences.num_layers + 1):
        assert cosine_matrix(occurrences.layers[layer]).min() < 0.95


def test_occurrence_vectors_and_bad_sentences(minilm):
    with pytest.raises(ValueError, match="at least one sentence"):
        occurrence_vectors(minilm, ["   ", ""], "record")
    with pytest.raises(ValueError, match="does not occur"):
        occurrence_vectors(minilm, ["a record", "no such word"], "record")
    with pytest.raises(ValueError, match="pooling"):
        occurrence_vectors(minilm, ["a record"], "record", pooling="max")


def test_word_vectors_equal_the_plain_transformers_forward_pass_at_every_layer():
    """load_model's hidden states are MiniLM's own: same tokens, same numbers."""
    from transformers import AutoModel, AutoTokenizer

    from lecturekit.bundled import minilm_dir

    tokenizer = AutoTokenizer.from_pretrained(str(minilm_dir()))
    model = AutoModel.from_pretrained(str(minilm_dir())).eval()
    sentence = "the soup was taaaaasty ."
    words = sentence.split()
    encoding = tokenizer(words, is_split_into_words=True, return_tensors="pt")
    with torch.no_grad():
        output = model(**encoding, output_hidden_states=True)
    positions = [i for i, w in enumerate(encoding.word_ids()) if w == 3]
    pieces, vectors = word_pieces_and_vectors(sentence, 3)
    assert pieces == tokenizer.convert_ids_to_tokens(encoding["input_ids"][0, positions].tolist())
    assert pieces == ["ta", "##aa", "##aa", "##sty"]
    hidden = output.last_hidden_state[0, positions]
    assert torch.allclose(vectors, hidden, atol=1e-5)
    assert torch.allclose(word_vector(sentence, 3), hidden.mean(0), atol=1e-5)
    assert torch.allclose(word_vector(sentence, 3, "first"), hidden[0], atol=1e-5)
    assert torch.equal(word_vector(sentence, 3, "last"), vectors[-1])
    states = load_model("minilm-l6", device="cpu").hidden_states(sentence)
    assert torch.allclose(states.layers, torch.stack(output.hidden_states)[:, 0], atol=1e-5)


def test_word_vectors_bad_input():
    with pytest.raises(IndexError, match="out of range"):
        word_vector("two words", 5)
    with pytest.raises(ValueError, match="pooling"):
        word_vector("two words", 5, "max")  # checked before anything runs
    with pytest.raises(ValueError, match="no tokens"):
        word_vector("a \x00 b", 1)
    with pytest.raises(TypeError, match="str"):
        word_vector(b"bytes", 0)


# --------------------------------------------------------------- similarity


def test_cosine_matrix_is_symmetric_with_ones_on_the_diagonal():
    vectors = torch.randn(5, 8, generator=torch.Generator().manual_seed(0))
    similarity = cosine_matrix(vectors)
    reference = torch.nn.functional.cosine_similarity(vectors[:, None], vectors[None], dim=-1).numpy()
    assert np.allclose(similarity, reference, atol=1e-6)
    assert np.allclose(similarity, similarity.T) and np.allclose(np.diag(similarity), 1)


def test_minilm_separates_the_senses_of_record_in_its_upper_layers(minilm):
    occurrences = occurrence_vectors(minilm, VERBS + NOUNS, "record")
    table = sense_separation(occurrences, ["verb"] * 3 + ["noun"] * 3)
    assert table.loc[table.layer == "static", "gap"].item() == pytest.approx(0)
    gaps = table.set_index("layer").gap
    assert gaps["6"] > gaps["0"] + 0.05  # measured: layer 0 ~0.00, layer 6 ~0.19
    last = occurrences.layers[occurrences.num_layers]
    assert cluster_occurrences(cosine_matrix(last), 2) == [0, 0, 0, 1, 1, 1]


def test_sense_labels_must_fit(minilm):
    occurrences = occurrence_vectors(minilm, VERBS[:2], "record")
    with pytest.raises(ValueError, match="one sense label per sentence"):
        sense_separation(occurrences, ["verb"])
    with pytest.raises(ValueError, match="two occurrences"):
        sense_separation(occurrences, ["verb", "noun"])


def test_clustering_recovers_obvious_groups():
    similarity = np.array([[1, .9, .1, .2], [.9, 1, .2, .1], [.1, .2, 1, .8], [.2, .1, .8, 1]])
    assert cluster_occurrences(similarity, 2) == [0, 0, 1, 1]
    assert cluster_occurrences(similarity, 4) == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="n_clusters"):
        cluster_occurrences(similarity, 5)


def _by_first_appearance(labels) -> list[int]:
    numbers: dict[int, int] = {}
    return [numbers.setdefault(int(label), len(numbers)) for label in labels]


def _scipy_partitions(similarity: np.ndarray) -> dict[int, list[int]]:
    """scipy's average linkage on cosine distances, cut after every merge."""
    distances = squareform(1 - similarity, checks=False)
    tree = linkage(distances, method="average")
    count = len(similarity)
    return {n: _by_first_appearance(cut_tree(tree, n_clusters=n)[:, 0]) for n in range(1, count + 1)}


@pytest.mark.parametrize("seed", range(8))
def test_clustering_makes_the_same_merges_as_scipy_average_linkage(seed):
    # Random vectors with a little structure, so that the merges are neither all ties nor trivial.
    generator = torch.Generator().manual_seed(seed)
    centres = torch.randn(3, 16, generator=generator)
    vectors = centres[torch.arange(10) % 3] + 0.8 * torch.randn(10, 16, generator=generator)
    similarity = cosine_matrix(vectors)
    expected = _scipy_partitions(similarity)
    # The partition after every merge agrees, so the merge order is scipy's.
    for n_clusters in range(1, len(similarity) + 1):
        assert cluster_occurrences(similarity, n_clusters) == expected[n_clusters], n_clusters


def test_clustering_of_minilm_layers_matches_scipy(minilm):
    occurrences = occurrence_vectors(minilm, VERBS + NOUNS, "record")
    for layer in range(occurrences.num_layers + 1):
        similarity = cosine_matrix(occurrences.layers[layer])
        expected = _scipy_partitions(similarity)
        for n_clusters in range(1, len(similarity) + 1):
            assert cluster_occurrences(similarity, n_clusters) == expected[n_clusters], (layer, n_clusters)
