"""Notebook 01's exercise checks: right answers (worked out here, not with the checks'
code) pass; wrong answers fail."""

from __future__ import annotations

import pytest

from lecturekit.exercises import check
from lecturekit.subword import TINY_CORPUS, bpe_trace


def replay(merges, word):
    """Apply BPE merges in order to a word's characters (end-of-word mark on the last)."""
    units = [*word[:-1], word[-1] + "</w>"]
    for left, right in merges:
        i, merged = 0, []
        while i < len(units):
            if i + 1 < len(units) and (units[i], units[i + 1]) == (left, right):
                merged.append(left + right)
                i += 2
            else:
                merged.append(units[i])
                i += 1
        units = merged
    return units


def test_bpe_lowest_is_the_replayed_merges():
    right = replay([step.pair for step in bpe_trace(TINY_CORPUS, 4)], "lowest")
    assert check("bpe_lowest", right).startswith("✓")
    assert check("bpe_lowest", tuple(right)).startswith("✓")
    english = ["lo", "west</w>"]  # section 5's cut, with 2,000 merges learned on real English
    for wrong in (english, ["low", "est</w>"], ["l", "o", "w", "e", "s", "t</w>"], " ".join(right), ["lowest</w>"]):
        assert wrong != right
        with pytest.raises(AssertionError, match="Hint"):
            check("bpe_lowest", wrong)


def longest_first(word, vocab):
    pieces, start = [], 0
    while start < len(word):
        for end in range(len(word), start, -1):
            piece = ("##" if start else "") + word[start:end]
            if piece in vocab:
                break
        else:
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces


def shortest_first(word, vocab):
    pieces, start = [], 0
    while start < len(word):
        end = next((e for e in range(start + 1, len(word) + 1) if ("##" if start else "") + word[start:e] in vocab),
                   None)
        if end is None:
            return ["[UNK]"]
        pieces.append(("##" if start else "") + word[start:end])
        start = end
    return pieces


def without_continuation_marks(word, vocab):
    return [piece.removeprefix("##") for piece in longest_first(word, vocab)]


def only_bert(word, vocab):
    from lecturekit.subword.showcase import bert_wordpiece

    return bert_wordpiece().tokenize_word(word)  # ignores the vocabulary it is given


def letters_when_stuck(word, vocab):
    pieces = longest_first(word, vocab)
    return list(word) if pieces == ["[UNK]"] else pieces  # no whole-word [UNK]


def test_wordpiece_cut_takes_a_function_that_cuts_like_bert():
    assert check("wordpiece_cut", longest_first).startswith("✓")
    for wrong in (shortest_first, without_continuation_marks, only_bert, letters_when_stuck):
        with pytest.raises(AssertionError, match="your function"):
            check("wordpiece_cut", wrong)
    with pytest.raises(AssertionError, match="the function itself"):
        check("wordpiece_cut", ["ta", "##aa", "##aa", "##sty"])


def test_one_token_needs_a_long_word_smollm2_keeps_and_our_bpe_splits():
    from lecturekit.subword.showcase import english_bpe, smollm2_byte_level

    assert len(smollm2_byte_level().encode(" various")) == 1 and len(english_bpe().tokenize_word("various")) > 1
    assert check("one_token", "various").startswith("✓")
    assert check("one_token", " Various ").startswith("✓")
    for wrong in ("the", "international", "taaaaasty", 7):
        with pytest.raises(AssertionError):
            check("one_token", wrong)


@pytest.fixture(scope="module")
def wordpiece_fertility():
    from lecturekit.subword import LANGUAGES, sample_running_words
    from lecturekit.subword.showcase import bert_wordpiece

    wordpiece = bert_wordpiece()
    per_language = {}
    for code in ("en", "fi", "tr", "hu"):
        words = sample_running_words(code, 3_000, seed=5)
        per_language[LANGUAGES[code]] = sum(len(wordpiece.tokenize(w)) for w in words) / len(words)
    return per_language


def test_highest_fertility_is_recomputed_not_read_back(wordpiece_fertility):
    worst = max(wordpiece_fertility, key=wordpiece_fertility.get)
    assert check("highest_fertility", worst).startswith("✓")
    assert check("highest_fertility", worst.lower()).startswith("✓")
    for wrong in sorted(set(wordpiece_fertility) - {worst}) + [""]:
        with pytest.raises(AssertionError):
            check("highest_fertility", wrong)
    with pytest.raises(TypeError):  # a table of the learner's own is no input
        check("highest_fertility", "English", table=[{"language": "English", "WordPiece (BERT, 30k)": 9.0}])


def test_words_in_512_tokens_divides_by_the_fertility(wordpiece_fertility):
    turkish = wordpiece_fertility["Turkish"]
    for right in (int(510 / turkish), round(512 / turkish), float(int(510 / turkish))):
        assert check("words_in_512_tokens", right).startswith("✓")
    english = int(510 / wordpiece_fertility["English"])
    for wrong in (512, round(512 * turkish), english, int(510 / turkish) + 10, int(510 / turkish) + 0.5, "193"):
        with pytest.raises(AssertionError, match="fertility"):
            check("words_in_512_tokens", wrong)
