"""Our WordPiece and byte-level BPE give exactly the ids of the Hugging Face tokenizers.

References: MiniLM's ``tokenizer.json`` (bert-base-uncased's vocabulary with the
BERT normaliser and pre-tokenizer) and SmolLM2's converted ``tokenizer.json``,
both loaded with ``transformers.AutoTokenizer``. The test strings are generated
deterministically and mix many kinds of text that tokenizers get wrong.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from lecturekit import bundled
from lecturekit.subword import ByteLevelBPETokenizer, VocabularyError, WordPieceTokenizer
from lecturekit.subword.byte_level import bytes_to_unicode

NUM_STRINGS = 1200

PUNCTUATION = list(".,!?;:-—–…\"'()[]{}<>/@#$%^&*_+=~`|\\«»„“”‘’¿¡") + [
    "...",
    "---",
    "!!!",
    "?!",
    "''",
    "--",
]
EMOJI = ["😀", "🎉", "👍🏽", "👨‍👩‍👧", "🇫🇷", "❤️", "🤖", "🙈🙉🙊", "✨"]
CJK = ["日本語", "中文", "漢字", "東京", "한국어", "ひらがな", "カタカナ", "你好世界"]
ACCENTED = [
    "café",
    "naïve",
    "résumé",
    "Ångström",
    "façade",
    "São Paulo",
    "Zürich",
    "Dvořák",
    "İstanbul",
    "ŒUVRE",
]
GREEK_CAPITALS = ["ΣΊΣΥΦΟΣ", "ΟΔΥΣΣΕΥΣ", "Σ", "ΆΣΜΑ"]
SPACES = [
    " ",
    "  ",
    "   ",
    "\n",
    "\n\n",
    "\t",
    " \t ",
    "\r\n",
    "\u00a0",
    "\u3000",
    "\u2009",
    " \n  \n",
]
CONTROL = [
    "\x00",
    "\x07",
    "\x1b",
    "\x0b",
    "\x0c",
    "\x7f",
    "\u200b",
    "\ufeff",
    "\u200d",
    "\u0085",
    "\ufffd",
]
LECTURE = ["transformerify", "taaaaasty", "lern", "learning", "Hat", "unbelievable", "Pretraining"]


def _words_from(language: str, rng: random.Random, k: int) -> list[str]:
    import wordfreq

    words = wordfreq.top_n_list(language, 3000)
    return [rng.choice(words) for _ in range(k)]


def varied_strings(count: int = NUM_STRINGS, seed: int = 5) -> list[str]:
    """Deterministic test strings: real words in many languages mixed with the hard cases."""
    rng = random.Random(seed)
    word_pool = []
    for language in [
        "en",
        "fr",
        "de",
        "fi",
        "tr",
        "hu",
        "ru",
        "el",
        "ar",
        "zh",
        "ja",
        "ko",
        "hi",
        "vi",
    ]:
        word_pool += _words_from(language, rng, 150)

    def number() -> str:
        return rng.choice(
            [
                str(rng.randint(0, 10 ** rng.randint(1, 12))),
                f"{rng.uniform(0, 1000):.{rng.randint(1, 4)}f}",
                "1,000,000",
                "3.14159",
                "2024-06-01",
                "+44 20 7946 0958",
                "0x1F",
            ]
        )

    def long_word() -> str:
        letters = "abcdefghijklmnopqrstuvwxyzäöü"
        return rng.choice(
            [
                "a" * rng.randint(90, 130),
                "".join(rng.choices(letters, k=rng.randint(60, 150))),
                "Donaudampfschifffahrtsgesellschaftskapitän",
                "x" * 101,
                "ab" * 50,
            ]
        )

    makers = [
        lambda: rng.choice(word_pool),
        lambda: rng.choice(word_pool).capitalize(),
        lambda: rng.choice(word_pool).upper(),
        lambda: rng.choice(PUNCTUATION),
        number,
        lambda: rng.choice(EMOJI),
        lambda: rng.choice(CJK),
        lambda: rng.choice(ACCENTED),
        lambda: rng.choice(GREEK_CAPITALS),
        lambda: rng.choice(CONTROL),
        lambda: rng.choice(LECTURE),
        long_word,
        lambda: "it's don't we'll they're I'M",
    ]
    strings = ["", " ", "\n", "   \t\n", "Hello, world!", "<|im_start|>user\nhi<|im_end|>"]
    while len(strings) < count:
        parts = [rng.choice(makers)() for _ in range(rng.randint(1, 12))]
        text = parts[0]
        for part in parts[1:]:
            text += rng.choice(SPACES[:3] * 4 + SPACES + ["", ""]) + part
        strings.append(text)
    return strings


@pytest.fixture(scope="module")
def strings():
    return varied_strings()


@pytest.fixture(scope="module")
def wordpiece_pair():
    from transformers import AutoTokenizer

    return WordPieceTokenizer.from_vocab(bundled.minilm_vocab()), AutoTokenizer.from_pretrained(
        str(bundled.minilm_dir())
    )


@pytest.fixture(scope="module")
def byte_level_pair():
    from transformers import AutoTokenizer

    folder = bundled.smollm2_dir()
    return ByteLevelBPETokenizer.from_tokenizer_json(folder), AutoTokenizer.from_pretrained(
        str(folder)
    )


def test_the_strings_cover_the_hard_cases(strings):
    joined = "".join(strings)
    assert len(set(strings)) >= 1000
    for needle in ["😀", "日本語", "é", "\n\n", "\t", "\x00", "  ", "Σ"]:
        assert needle in joined
    assert any(len(w) > 100 for s in strings for w in s.split())


def test_wordpiece_ids_match_hugging_face_bert(strings, wordpiece_pair):
    ours, theirs = wordpiece_pair
    mismatches = [
        s for s in strings if ours.encode(s) != theirs.encode(s, add_special_tokens=False)
    ]
    assert not mismatches, f"{len(mismatches)} differ, e.g. {mismatches[:3]!r}"
    # With [CLS] ... [SEP] as BERT sees a sentence.
    for s in strings[:50]:
        assert ours.encode(s, add_special_tokens=True) == theirs.encode(s)


def test_wordpiece_vocabulary_is_bert_base_uncased(wordpiece_pair):
    ours, theirs = wordpiece_pair
    assert len(ours) == len(theirs) == 30522
    assert ours.vocab["[UNK]"] == 100 and ours.vocab["[CLS]"] == 101
    # The pieces themselves (not only the ids) are the library's, with ## marks.
    for word in LECTURE:
        assert ours.tokenize(word) == theirs.tokenize(word)
    assert ours.tokenize("learn") == ["learn"]  # a common word is one token
    assert len(ours.tokenize("transformerify")) > 1 and ours.tokenize("transformerify")[
        1
    ].startswith("##")


def random_character_strings(characters: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(
            rng.choice(characters) if rng.random() < 0.7 else rng.choice(" ab.,\n")
            for _ in range(rng.randint(1, 15))
        )
        for _ in range(count)
    ]


def test_wordpiece_matches_on_any_character_of_unicode_3_2(wordpiece_pair):
    # Characters from the whole Unicode 3.2 repertoire (~95,000 with private use),
    # all scripts and categories, except the few whose category has changed since
    # (U+1886 was a letter, is now a combining mark). Newer characters may be
    # classified differently by the Rust library's older tables (see wordpiece.py).
    ours, theirs = wordpiece_pair
    old = [
        chr(c)
        for c in range(0x110000)
        if not 0xD800 <= c <= 0xDFFF
        and unicodedata.ucd_3_2_0.category(chr(c)) != "Cn"
        and unicodedata.ucd_3_2_0.category(chr(c)) == unicodedata.category(chr(c))
    ]
    strings = random_character_strings(old, 1000, seed=3)
    mismatches = [
        s for s in strings if ours.encode(s) != theirs.encode(s, add_special_tokens=False)
    ]
    assert not mismatches, f"{len(mismatches)} differ, e.g. {mismatches[:3]!r}"


def test_byte_level_matches_on_any_code_point(byte_level_pair):
    ours, theirs = byte_level_pair
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    strings = random_character_strings(every, 1000, seed=4)
    mismatches = [
        s for s in strings if ours.encode(s) != theirs.encode(s, add_special_tokens=False)
    ]
    assert not mismatches, f"{len(mismatches)} differ, e.g. {mismatches[:3]!r}"


def test_bytes_missing_from_the_vocabulary_are_dropped_like_hugging_face(byte_level_pair):
    ours, theirs = byte_level_pair
    table = bytes_to_unicode()
    vocab = theirs.get_vocab()
    assert ours.missing_bytes() == [b for b in range(256) if table[b] not in vocab]
    assert 0 < len(ours.missing_bytes()) < 30  # SmolLM2 lacks a few byte tokens
    text = "a\x04b !\x06! \U00040000 end"  # U+40000 starts with the missing byte 0xF1
    assert ours.encode(text) == theirs.encode(text, add_special_tokens=False)
    assert ours.decode(ours.encode(text)) == theirs.decode(
        theirs.encode(text, add_special_tokens=False)
    )


def test_byte_level_ids_match_hugging_face_smollm2(strings, byte_level_pair):
    ours, theirs = byte_level_pair
    mismatches = [
        s for s in strings if ours.encode(s) != theirs.encode(s, add_special_tokens=False)
    ]
    assert not mismatches, f"{len(mismatches)} differ, e.g. {mismatches[:3]!r}"


def test_byte_level_decodes_back_to_the_text(strings, byte_level_pair):
    ours, theirs = byte_level_pair
    for s in strings:
        ids = ours.encode(s)
        assert ours.decode(ids) == s
        assert theirs.decode(ids) == s  # and the library agrees on what the ids mean


def test_byte_level_vocabulary_is_smollm2(byte_level_pair):
    ours, theirs = byte_level_pair
    assert len(ours) == len(theirs) == 49152
    assert ours.tokenize(" hello") == ["Ġhello"]
    assert ours.token_text("Ġhello") == " hello"


def test_lone_surrogates_become_the_replacement_character(wordpiece_pair, byte_level_pair):
    broken = "ab\ud800cd \udfff"
    repaired = broken.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")
    wordpiece, hf_wordpiece = wordpiece_pair
    assert wordpiece.encode(broken) == hf_wordpiece.encode(repaired, add_special_tokens=False)
    byte_level, hf_byte_level = byte_level_pair
    assert byte_level.encode(broken) == hf_byte_level.encode(repaired, add_special_tokens=False)
    assert byte_level.decode(byte_level.encode(broken)) == repaired


def test_huge_text_is_handled(wordpiece_pair, byte_level_pair):
    word = "taste" * 20_000  # a 100,000-character word
    wordpiece, _ = wordpiece_pair
    assert wordpiece.tokenize(word) == ["[UNK]"]  # BERT's rule: words over 100 characters
    byte_level, hf = byte_level_pair
    ids = byte_level.encode(word)
    assert ids == hf.encode(word, add_special_tokens=False)
    assert byte_level.decode(ids) == word


def test_bad_vocabulary_files_give_clear_errors(tmp_path):
    with pytest.raises(VocabularyError, match="no vocabulary file"):
        WordPieceTokenizer.from_vocab(tmp_path / "missing.txt")
    binary = tmp_path / "vocab.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(VocabularyError, match="UTF-8"):
        WordPieceTokenizer.from_vocab(binary)
    no_unk = tmp_path / "no_unk.txt"
    no_unk.write_text("a\nb\n")
    with pytest.raises(VocabularyError, match=r"\[UNK\]"):
        WordPieceTokenizer.from_vocab(no_unk)
    with pytest.raises(VocabularyError, match="no tokenizer.json"):
        ByteLevelBPETokenizer.from_tokenizer_json(tmp_path / "missing")
    bad_json = tmp_path / "tokenizer.json"
    bad_json.write_text("{not json")
    with pytest.raises(VocabularyError, match="not a Hugging Face BPE"):
        ByteLevelBPETokenizer.from_tokenizer_json(bad_json)
    bad_json.write_text('{"model": {"type": "WordPiece", "vocab": {}}}')
    with pytest.raises(VocabularyError, match="not BPE"):
        ByteLevelBPETokenizer.from_tokenizer_json(bad_json)


def test_unknown_ids_are_reported(byte_level_pair):
    ours, _ = byte_level_pair
    with pytest.raises(ValueError, match="not in this vocabulary"):
        ours.decode([10**9])
