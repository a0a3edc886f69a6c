"""Checks for the exercises of notebook 02 (contextual embeddings).

Each check recomputes the answer with the library, so it stays right if the
notebook's sentences or the model change.
"""

from __future__ import annotations

from functools import lru_cache

from .base import close, whole_number

VERB_SENTENCES = (
    "I want to record a song tonight.",
    "Please record the meeting for me.",
    "They record every game on video.",
)
NOUN_SENTENCES = (
    "She broke the world record yesterday.",
    "He played an old jazz record.",
    "The record shows that he was right.",
)


@lru_cache(maxsize=1)
def _minilm():
    from ..hub import load_model

    return load_model("minilm-l6")


def _pieces(answer):
    expected = len(_minilm().tokenize("transformerify")) - 2  # without [CLS] and [SEP]
    return whole_number(answer) == expected, "count the rows of minilm.tokenize('transformerify') that are not special"


def _static_similarity(answer):
    return close(answer, 1.0, abs_=1e-6), (
        "a static vector is one row of the embedding matrix, the same in every sentence"
    )


def _best_layer(answer):
    # Recomputed here from the notebook's six sentences: a check that read the learner's own
    # table back would pass whatever table they passed.
    from ..contextual import occurrence_vectors, sense_separation

    occurrences = occurrence_vectors(_minilm(), [*VERB_SENTENCES, *NOUN_SENTENCES], "record")
    table = sense_separation(occurrences, ["verb"] * 3 + ["noun"] * 3)
    layers = table[table.layer != "static"]
    best = layers.loc[layers.gap.idxmax(), "layer"]
    return str(answer).strip() == str(best), (
        "find the layer with the largest gap in the sense_separation table")


def _noun_sentence(answer):
    from ..contextual import cosine_matrix, occurrence_vectors

    if not isinstance(answer, str):
        return False, "answer with a sentence, as a string"
    sentence = answer
    if "record" not in sentence.lower():
        return False, "the sentence must contain the word 'record'"
    sentences = [*VERB_SENTENCES, *NOUN_SENTENCES, sentence]
    occurrences = occurrence_vectors(_minilm(), sentences, "record")
    similarity = cosine_matrix(occurrences.layers[occurrences.num_layers])[-1]
    to_verbs, to_nouns = similarity[:3].mean(), similarity[3:6].mean()
    return to_nouns > to_verbs, (
        f"at the last layer your 'record' is closer to the verbs ({to_verbs:.2f}) than to the "
        f"nouns ({to_nouns:.2f}); try a sentence where 'record' is clearly a thing"
    )


CHECKS = {
    "pieces": _pieces,
    "static_similarity": _static_similarity,
    "best_layer": _best_layer,
    "noun_sentence": _noun_sentence,
}
