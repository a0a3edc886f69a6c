"""Checks for the exercises of notebook 01 (subword tokenization). Each answer is compared
with what the library computes, so a check is right even if the notebook's numbers change."""

from __future__ import annotations

from functools import lru_cache

from ..subword import TINY_CORPUS, BPETokenizer
from .base import call_answer, whole_number

# Words the learner's WordPiece function is tried on: repeated letters, a made-up word, and
# long words where "longest match" and "first match" part ways.
WORDPIECE_WORDS = ("taaaaasty", "transformerify", "unbelievable", "tokenization", "internationalization",
                   "lowest", "hat")
# A small vocabulary the check makes itself: a function that ignores its ``vocab`` (and calls
# BERT's tokenizer instead) fails here, and "bun" and "unx" have a part no piece matches.
TOY_VOCABULARY = ("[UNK]", "un", "u", "##n", "##believ", "##able", "##ab", "##le", "be", "##lie", "##ve", "##s")
TOY_WORDS = ("unbelievable", "believes", "unable", "bun", "unx")
CONTEXT_TOKENS = 512  # BERT's longest input, [CLS] and [SEP] included
CONTEXT_LANGUAGE = "Turkish"


def _bpe_lowest(answer):
    expected = BPETokenizer.train(TINY_CORPUS, 4).tokenize_word("lowest")
    right = isinstance(answer, list | tuple) and list(answer) == expected
    return right, "replay the first 4 merges of the section 3 table in order, on l o w e s t</w>"


def _wordpiece_cut(answer):
    from ..subword import WordPieceTokenizer
    from ..subword.showcase import bert_wordpiece

    if not callable(answer):
        return False, "answer with the function itself: check('wordpiece_cut', wordpiece_cut)"
    toy = {piece: i for i, piece in enumerate(TOY_VOCABULARY)}
    for tokenizer, words in ((bert_wordpiece(), WORDPIECE_WORDS), (WordPieceTokenizer(toy), TOY_WORDS)):
        for word in words:
            got, expected = call_answer(answer, word, tokenizer.vocab), tokenizer.tokenize_word(word)
            if got != expected:
                # A failing case is what a learner debugs with, as a unit test would show it.
                return False, (f"on {word!r} with a vocabulary of {len(tokenizer.vocab):,} pieces your function "
                               f"gives {got!r}, WordPiece gives {expected!r}")
    return True, ""


def _one_token_in_smollm2_but_split_by_ours(answer):
    from ..subword.showcase import english_bpe, smollm2_byte_level

    if not isinstance(answer, str):
        return False, "answer with a word, as a string"
    word = answer.strip().lower()
    whole = len(smollm2_byte_level().encode(" " + word)) == 1
    split = len(english_bpe().tokenize_word(word)) > 1
    return (
        len(word) >= 6 and word.isalpha() and whole and split,
        "a word of 6+ letters that SmolLM2 encodes (after a space) as one token and our BPE splits",
    )


@lru_cache(maxsize=1)
def _wordpiece_fertility() -> dict[str, float]:
    # Recomputed with the notebook's samples (3,000 running words per language, seed 5), not
    # read back from a table the learner passes in.
    from ..subword import LANGUAGES, fertility, sample_running_words
    from ..subword.showcase import bert_wordpiece

    wordpiece = bert_wordpiece()
    return {LANGUAGES[code]: fertility(wordpiece.tokenize, sample_running_words(code, 3_000, seed=5))
            for code in ("en", "fi", "tr", "hu")}


def _highest_fertility(answer):
    per_language = _wordpiece_fertility()
    worst = max(per_language, key=per_language.get)
    return isinstance(answer, str) and answer.strip().lower() == worst.lower(), (
        "read the WordPiece column of the fertility table")


def _words_in_512_tokens(answer):
    # With or without counting [CLS] and [SEP], and rounded either way: within 3 words.
    expected = (CONTEXT_TOKENS - 2) / _wordpiece_fertility()[CONTEXT_LANGUAGE]
    count = whole_number(answer)
    return count is not None and abs(count - expected) <= 3, (
        f"fertility is tokens per word, so the {CONTEXT_TOKENS} tokens hold {CONTEXT_TOKENS} / fertility words")


CHECKS = {
    "bpe_lowest": _bpe_lowest,
    "wordpiece_cut": _wordpiece_cut,
    "one_token": _one_token_in_smollm2_but_split_by_ours,
    "highest_fertility": _highest_fertility,
    "words_in_512_tokens": _words_in_512_tokens,
}
