"""ContextualEmbeddingExplorer: the pure functions on MiniLM and a tiny model, then the view."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from lecturekit.hub import load_model
from lecturekit.hub.tiny import save_tiny_model
from lecturekit.widgets.contextual_embeddings import (
    ContextualEmbeddingExplorer,
    cluster_occurrences,
    common_words,
    cosine_matrix,
    explorer_html,
    find_word,
    occurrence_vectors,
    pool,
    sense_separation,
    word_pieces,
)

VERBS = ["I want to record a song tonight.", "Please record the meeting for me.",
         "They record every game on video."]
NOUNS = ["She broke the world record yesterday.", "He played an old jazz record.",
         "The record shows that he was right."]


@pytest.fixture(scope="module")
def minilm():
    return load_model("minilm-l6", device="cpu")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_model(f"hf:{save_tiny_model('bert', tmp_path_factory.mktemp('tiny') / 'bert')}", device="cpu")


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


def test_pooling_mean_and_last():
    vectors = torch.arange(12.0).reshape(1, 4, 3)  # one layer, four tokens
    assert pool(vectors, [1, 2], "mean").tolist() == [[4.5, 5.5, 6.5]]
    assert pool(vectors, [1, 2], "last").tolist() == [[6.0, 7.0, 8.0]]
    with pytest.raises(ValueError, match="pooling"):
        pool(vectors, [1], "max")


def test_cosine_matrix_is_symmetric_with_ones_on_the_diagonal():
    vectors = torch.randn(5, 8, generator=torch.Generator().manual_seed(0))
    similarity = cosine_matrix(vectors)
    reference = torch.nn.functional.cosine_similarity(vectors[:, None], vectors[None], dim=-1).numpy()
    assert np.allclose(similarity, reference, atol=1e-6)
    assert np.allclose(similarity, similarity.T) and np.allclose(np.diag(similarity), 1)


def test_clustering_recovers_obvious_groups():
    similarity = np.array([[1, .9, .1, .2], [.9, 1, .2, .1], [.1, .2, 1, .8], [.2, .1, .8, 1]])
    assert cluster_occurrences(similarity, 2) == [0, 0, 1, 1]
    assert cluster_occurrences(similarity, 4) == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="n_clusters"):
        cluster_occurrences(similarity, 5)


def test_static_vector_is_one_row_of_the_embedding_matrix(minilm):
    occurrences = occurrence_vectors(minilm, VERBS + NOUNS, "record")
    row = minilm.input_embeddings[minilm.tokenize("record").id[1]]
    for vector in occurrences.static:
        assert torch.equal(vector, row)  # identical, whatever the sentence
    # Every Transformer layer's vectors differ from sentence to sentence.
    for layer in range(1, occurrences.num_layers + 1):
        assert cosine_matrix(occurrences.layers[layer]).min() < 0.95


def test_minilm_separates_the_senses_of_record_in_its_upper_layers(minilm):
    occurrences = occurrence_vectors(minilm, VERBS + NOUNS, "record")
    table = sense_separation(occurrences, ["verb"] * 3 + ["noun"] * 3)
    assert table.loc[table.layer == "static", "gap"].item() == pytest.approx(0)
    gaps = table.set_index("layer").gap
    assert gaps["6"] > gaps["0"] + 0.05  # measured: layer 0 ~0.00, layer 6 ~0.13
    last = occurrences.layers[occurrences.num_layers]
    assert cluster_occurrences(cosine_matrix(last), 2) == [0, 0, 0, 1, 1, 1]


def test_sense_labels_must_fit(minilm):
    occurrences = occurrence_vectors(minilm, VERBS[:2], "record")
    with pytest.raises(ValueError, match="one sense label per sentence"):
        sense_separation(occurrences, ["verb"])
    with pytest.raises(ValueError, match="two occurrences"):
        sense_separation(occurrences, ["verb", "noun"])


def test_common_words_and_bad_sentences(tiny):
    assert common_words(["A record.", "The record is a hit"]) == ["a", "record"]
    with pytest.raises(ValueError, match="at least one sentence"):
        occurrence_vectors(tiny, ["   ", ""], "record")
    with pytest.raises(ValueError, match="does not occur"):
        occurrence_vectors(tiny, ["a record", "no such word"], "record")


def test_html_escapes_user_text_and_checks_the_layer(tiny):
    sentences = ["<script>alert(1)</script> record", "a <b>record</b> & more"]
    occurrences = occurrence_vectors(tiny, sentences, "record")
    html = explorer_html(occurrences, 1, "tiny")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert html.count("<tr>") == 3 and "data:image/png;base64," in html
    assert "static input embedding" in explorer_html(occurrences, "static")
    with pytest.raises(ValueError, match="layer"):
        explorer_html(occurrences, 9)


def test_the_view_updates_when_controls_move(tiny):
    view = ContextualEmbeddingExplorer(tiny, sentences=VERBS + NOUNS, word="record")
    assert view.word_picker.value == "record" and view.layer_slider.max == 2
    first = view.static_html()
    assert "layer 2 of 2" in first
    view.layer_slider.value = 0
    assert "layer 0 of 2" in view.static_html()
    view.sentences_box.value = "A cat sat.\nThe cat ran."
    assert view.word_picker.value in ("cat", "the", "a") and "cat" in view.word_picker.options
    view.sentences_box.value = "one\ntwo"  # no shared word: a message, not a traceback
    assert "lk-error" in view.static_html()
    bundle = view._repr_mimebundle_()
    assert "text/html" in bundle


def test_sense_table_is_a_dataframe_per_layer(tiny):
    occurrences = occurrence_vectors(tiny, VERBS + NOUNS, "record", pooling="last")
    table = sense_separation(occurrences, ["v"] * 3 + ["n"] * 3)
    assert isinstance(table, pd.DataFrame) and table.layer.tolist() == ["static", "0", "1", "2"]
