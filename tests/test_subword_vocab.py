"""The word-level baseline (UNK), real word frequencies, and fertility."""

from __future__ import annotations

import pytest

from lecturekit.subword import (
    LANGUAGES,
    UNK,
    BPETokenizer,
    WordLevelVocabulary,
    fertility,
    fertility_table,
    sample_running_words,
    unk_rate_curve,
    word_counts,
)
from lecturekit.subword.pretokenize import split_words


def test_unseen_words_all_become_the_same_unk():
    vocabulary = WordLevelVocabulary.from_text("I learn about the transformer. It is tasty.", 100)
    tokens = vocabulary.tokenize("I lern about transformerify, taaaaasty!")
    assert tokens == ["i", UNK, "about", UNK, UNK, UNK, UNK]  # "," and "!" were never seen either
    ids = vocabulary.encode("lern transformerify")
    assert ids[0] == ids[1] == vocabulary.vocab[UNK]  # the information is gone


def test_unk_rate_falls_with_vocabulary_size_but_never_reaches_zero():
    training = sample_running_words("en", 20_000, seed=1)
    held_out = sample_running_words("en", 5_000, seed=2)
    curve = unk_rate_curve(training, held_out, [10, 100, 1000, 5000, 100_000])
    rates = [rate for _, rate in curve]
    assert rates == sorted(rates, reverse=True)
    assert rates[0] > 0.5 and 0 < rates[-1] < 0.2
    # Same number computed directly: share of held-out words never seen in training.
    seen = set(training)
    assert rates[-1] == pytest.approx(sum(w not in seen for w in held_out) / len(held_out))


def test_word_level_bad_input():
    vocabulary = WordLevelVocabulary.from_counts({"a": 2, "b": 1}, 1)
    assert len(vocabulary) == 2 and vocabulary.tokenize("b") == [UNK]
    assert vocabulary.tokenize("") == [] and vocabulary.unk_rate("   ") == 0.0
    assert vocabulary.tokenize("a\x00a\ud800") == ["a", UNK, "a", UNK]
    with pytest.raises(ValueError, match="size"):
        WordLevelVocabulary.from_counts({"a": 1}, -1)


def test_split_words_keeps_punctuation_as_tokens():
    assert split_words("Wait... what?! --- ok") == [
        "Wait",
        ".",
        ".",
        ".",
        "what",
        "?",
        "!",
        "-",
        "-",
        "-",
        "ok",
    ]
    assert split_words("") == [] and split_words("\n\t ") == []


def test_word_counts_follow_wordfreq():
    import wordfreq

    counts = word_counts("en", 100)
    assert len(counts) <= 100 and all(w.isalpha() for w in counts)
    assert counts["the"] == round(wordfreq.get_frequency_dict("en")["the"] * 1_000_000)
    assert counts["the"] == pytest.approx(
        wordfreq.word_frequency("the", "en") * 1_000_000, rel=1e-2
    )
    assert max(counts, key=counts.get) == "the"


def test_swahili_is_explained_and_unknown_languages_rejected():
    with pytest.raises(ValueError, match="Swahili.*not in wordfreq"):
        word_counts("sw")
    with pytest.raises(ValueError, match="no language"):
        sample_running_words("xx", 10, seed=0)
    with pytest.raises(ValueError, match="top_n"):
        word_counts("en", 0)


def test_fertility_is_pieces_per_word():
    assert fertility(lambda w: list(w), ["ab", "abcd"]) == 3.0
    with pytest.raises(ValueError, match="at least one word"):
        fertility(list, [])


def test_morphologically_rich_languages_need_more_pieces():
    # Same recipe for each language: BPE with 1,000 merges on its 5,000 most frequent
    # words, measured on words of rank 5,000-30,000 drawn by frequency.
    samples = {
        LANGUAGES[lang]: sample_running_words(lang, 1000, seed=0, skip_top=5000, top_n=30_000)
        for lang in ["en", "fi", "tr"]
    }
    tokenizers = {
        lang: BPETokenizer.train(word_counts(code, 5000), 1000).tokenize_word
        for code, lang in [("en", "English"), ("fi", "Finnish"), ("tr", "Turkish")]
    }
    rows = {row["language"]: row["bpe"] for row in fertility_table(samples, {"bpe": tokenizers})}
    assert rows["Finnish"] > rows["English"] and rows["Turkish"] > rows["English"]
