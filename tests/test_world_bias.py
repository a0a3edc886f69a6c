"""The bias knob: it shifts pronoun-profession co-occurrence, and nothing else."""

import pytest

from lecturekit.world import build_corpus
from lecturekit.world.bias import pronoun_profession_counts, stereotype_agreement

WORDS = 200_000
PRONOUNS = {"he", "she", "his", "her", "him", "He", "She", "His", "Her", "Him"}


@pytest.fixture(scope="module")
def texts():
    return {bias: build_corpus(WORDS, seed=0, bias=bias).text() for bias in (-0.8, 0.0, 0.8)}


def test_no_bias_means_no_skew_and_the_knob_moves_it_both_ways(texts):
    neutral = stereotype_agreement(texts[0.0])
    assert neutral == pytest.approx(0.5, abs=0.1)
    assert stereotype_agreement(texts[0.8]) > neutral + 0.2
    assert stereotype_agreement(texts[-0.8]) < neutral - 0.2


def test_the_knob_changes_only_pronouns(texts):
    plain, skewed = texts[0.0].split(), texts[0.8].split()
    assert len(plain) == len(skewed)
    changed = [(a, b) for a, b in zip(plain, skewed, strict=True) if a != b]
    assert changed  # it does change something ...
    for before, after in changed:  # ... and only pronouns
        assert before.strip(".,") in PRONOUNS and after.strip(".,") in PRONOUNS, (before, after)


def test_counts_on_a_hand_written_text():
    text = (
        "The pilot said she was tired. The pilot checked his watch. "
        "The nurse told us that he would stay. The nurse smiled."
    )
    table = pronoun_profession_counts(text)
    assert table.loc["pilot", "he"] == 1 and table.loc["pilot", "she"] == 1
    assert table.loc["nurse", "he"] == 1 and table.loc["nurse", "she"] == 0
    assert table.loc["pilot", "share_he"] == 0.5
    # pilot (stereotype he): 1 of 2 agree; nurse (stereotype she): 0 of 1 agree.
    assert stereotype_agreement(text) == pytest.approx(1 / 3)


def test_a_text_without_workers_cannot_be_measured():
    with pytest.raises(ValueError, match="nothing to measure"):
        stereotype_agreement("A quiet day. 🌧️ Nothing happened.")
