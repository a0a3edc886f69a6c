"""Every public tokenizer takes awkward text without crashing (the issue's list of bad input)."""

from __future__ import annotations

import pytest

from lecturekit.subword import TINY_CORPUS, BPETokenizer, fewest_pieces, greedy_longest_match
from lecturekit.subword.pretokenize import split_words
from lecturekit.subword.showcase import (
    bert_wordpiece,
    english_word_level,
    showcase_tokenizers,
    smollm2_byte_level,
)

AWKWARD = {
    "empty": "",
    "whitespace only": " \t\n\r\u00a0\u3000 ",
    "100,000-character word": "pretraining" * 9_091,
    "control characters": "a\x00b\x07c\x1b[31md\x7fe\u200b\ufeff",
    "lone surrogates": "left\ud800right \udfff",
    "emoji and other scripts": "👨‍👩‍👧 🇫🇷 日本語 한국어 العربية हिन्दी ΣΊΣΥΦΟΣ",
}


@pytest.fixture(scope="module")
def tokenizers():
    return showcase_tokenizers()


@pytest.mark.parametrize("name", AWKWARD)
def test_showcase_tokenizers_take_awkward_text(tokenizers, name):
    text = AWKWARD[name]
    for name, tokenize in tokenizers.items():
        pieces = tokenize(text)
        assert all(isinstance(piece, str) and isinstance(i, int) for piece, i in pieces)
        if not text.strip():
            if name.startswith("byte-level"):  # whitespace is text too: kept as tokens
                assert smollm2_byte_level().decode([i for _, i in pieces]) == text
            else:  # the others drop whitespace
                assert pieces == []


@pytest.mark.parametrize("name", AWKWARD)
def test_byte_level_round_trips_awkward_text(name):
    text = AWKWARD[name]
    tokenizer = smollm2_byte_level()
    expected = text.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")
    assert tokenizer.decode(tokenizer.encode(text)) == expected


@pytest.mark.parametrize("name", AWKWARD)
def test_wordpiece_and_word_level_on_awkward_text(name):
    text = AWKWARD[name]
    wordpiece = bert_wordpiece()
    ids = wordpiece.encode(text, add_special_tokens=True)
    assert ids[0] == wordpiece.vocab["[CLS]"] and ids[-1] == wordpiece.vocab["[SEP]"]
    assert isinstance(wordpiece.decode(ids), str)
    assert 0.0 <= english_word_level().unk_rate(text) <= 1.0


@pytest.mark.parametrize("name", AWKWARD)
def test_own_bpe_and_segmenters_on_awkward_text(name):
    text = AWKWARD[name]
    bpe = BPETokenizer.train(TINY_CORPUS, 10)
    pieces = bpe.tokenize(text)
    assert len(pieces) >= len(split_words(text))
    for word in split_words(text)[:3]:
        assert "".join(greedy_longest_match(word, bpe.vocab)).count("<unk>") <= len(word)
        assert len(fewest_pieces(word, bpe.vocab)) <= len(greedy_longest_match(word, bpe.vocab))


def test_non_text_is_a_clear_type_error():
    for call in [
        lambda: bert_wordpiece().tokenize(None),
        lambda: smollm2_byte_level().encode(b"bytes"),
        lambda: BPETokenizer.train(TINY_CORPUS, 3).tokenize(42),
        lambda: split_words(["a"]),
    ]:
        with pytest.raises(TypeError, match="must be a str"):
            call()
