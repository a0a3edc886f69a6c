"""Fertility: how many tokens a tokenizer needs per word, on average.

A fertility of 1 means every word is one token; higher fertility means longer
sequences (slower, and a word's meaning spread over pieces). English-centric
vocabularies are tuned to English, so other languages, especially those that
build long words from many suffixes, pay more tokens per word.
"""

from __future__ import annotations


def fertility(tokenize_word, words) -> float:
    """Mean number of pieces per word. ``tokenize_word`` maps one word to its pieces."""
    words = list(words)
    if not words:
        raise ValueError("fertility needs at least one word")
    return sum(len(tokenize_word(word)) for word in words) / len(words)


def fertility_table(samples: dict, tokenizers: dict) -> list[dict]:
    """One row per language with its fertility under each tokenizer.

    ``samples``: language -> list of words. ``tokenizers``: name -> a function
    word -> pieces used for every language, or a dict language -> such a
    function (a BPE trained per language).
    """
    rows = []
    for language, words in samples.items():
        row = {"language": language}
        for name, tokenizer in tokenizers.items():
            tokenize_word = tokenizer[language] if isinstance(tokenizer, dict) else tokenizer
            row[name] = round(fertility(tokenize_word, words), 2)
        rows.append(row)
    return rows


def real_word_tokenizers(wordpiece=None, byte_level=None) -> dict:
    """word -> pieces for the two real vocabularies (a word in running text, after a space)."""
    from .byte_level import ByteLevelBPETokenizer
    from .wordpiece import WordPieceTokenizer

    if wordpiece is None:
        from lecturekit.bundled import minilm_vocab

        wordpiece = WordPieceTokenizer.from_vocab(minilm_vocab())
    byte_level = byte_level or ByteLevelBPETokenizer.smollm2()
    return {
        "WordPiece (BERT, 30k)": wordpiece.tokenize,
        # In running text a word follows a space, and the space is part of its first piece.
        "byte-level BPE (SmolLM2, 49k)": lambda word: byte_level.encode(" " + word),
    }
