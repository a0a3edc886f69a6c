"""The exercise checks of notebook 02 accept right answers and reject wrong ones."""

from __future__ import annotations

import pandas as pd
import pytest

from lecturekit.exercises import check


def test_checks_accept_right_and_reject_wrong_answers():
    assert check("pieces", 3).startswith("✓")
    with pytest.raises(AssertionError, match="Hint"):
        check("pieces", 1)
    assert check("static_similarity", 1.0000000001).startswith("✓")
    with pytest.raises(AssertionError):
        check("static_similarity", 0.8)
    with pytest.raises(ValueError, match="no exercise"):
        check("nope", 1)


def test_best_layer_is_recomputed_not_read_back():
    # MiniLM's gap is largest at its last layer (0.185, notebook 02's table).
    assert check("best_layer", "6").startswith("✓")
    assert check("best_layer", 6).startswith("✓")
    for wrong in ("static", "2", None):
        with pytest.raises(AssertionError):
            check("best_layer", wrong)
    table = pd.DataFrame({"layer": ["static", "0", "1", "2"], "gap": [0.0, 0.01, 0.3, 0.2]})
    with pytest.raises(TypeError):  # a learner's own table is no longer an input
        check("best_layer", "1", table=table)


def test_noun_sentence_uses_minilm():
    assert check("noun_sentence", "Her first record sold a million copies.").startswith("✓")
    with pytest.raises(AssertionError, match="closer to the verbs"):
        check("noun_sentence", "Please record this call for me.")
    with pytest.raises(AssertionError, match="must contain"):
        check("noun_sentence", "No such word here.")
