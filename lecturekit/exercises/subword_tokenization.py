"""Checks for the exercises of notebook 01. Each answer is compared with what the
library computes, so the check is right even if the notebook's numbers change."""

from __future__ import annotations

from ..subword import TINY_CORPUS, BPETokenizer


def _bpe_lowest(answer):
    expected = BPETokenizer.train(TINY_CORPUS, 4).tokenize_word("lowest")
    return list(
        answer
    ) == expected, "train BPETokenizer on TINY_CORPUS with 4 merges and cut 'lowest'"


def _bert_pieces(answer):
    from ..subword.showcase import bert_wordpiece

    expected = len(bert_wordpiece().tokenize("taaaaasty"))
    return answer == expected, "count the pieces WordPiece gives for 'taaaaasty'"


def _one_token_in_smollm2_but_split_by_ours(answer):
    from ..subword.showcase import english_bpe, smollm2_byte_level

    word = str(answer).strip().lower()
    whole = len(smollm2_byte_level().encode(" " + word)) == 1
    split = len(english_bpe().tokenize_word(word)) > 1
    return (
        len(word) >= 6 and word.isalpha() and whole and split,
        "a word of 6+ letters that SmolLM2 encodes (after a space) as one token and our BPE splits",
    )


def _highest_fertility(answer):
    # Recomputed with the notebook's samples (3,000 running words per language, seed 5), not
    # read back from a table the learner passes in.
    from ..subword import LANGUAGES, fertility, sample_running_words
    from ..subword.showcase import bert_wordpiece

    wordpiece = bert_wordpiece()
    per_language = {
        LANGUAGES[code]: fertility(wordpiece.tokenize, sample_running_words(code, 3_000, seed=5))
        for code in ("en", "fi", "tr", "hu")
    }
    worst = max(per_language, key=per_language.get)
    return isinstance(answer, str) and answer.strip().lower() == worst.lower(), (
        "read the WordPiece column of the fertility table")


CHECKS = {
    "bpe_lowest": _bpe_lowest,
    "bert_pieces": _bert_pieces,
    "one_token": _one_token_in_smollm2_but_split_by_ours,
    "highest_fertility": _highest_fertility,
}
