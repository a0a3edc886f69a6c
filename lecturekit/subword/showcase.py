"""The tokenizers the notebook and widgets put side by side, built once and cached.

- own BPE: trained here on the 10,000 most frequent English words (wordfreq), 2,000 merges;
- WordPiece: bert-base-uncased's real 30,522-token vocabulary;
- byte-level BPE: SmolLM2's real 49,152-token vocabulary;
- word level: the same 10,000 English words, everything else is UNK.

Each is wrapped as ``text -> [(piece, id), ...]`` so a display does not need to
know which kind it shows.
"""

from __future__ import annotations

from functools import lru_cache

from .bpe_tokenizer import BPE_UNK, BPETokenizer
from .byte_level import ByteLevelBPETokenizer
from .corpora import word_counts
from .word_level import WORD_LEVEL_UNK, WordLevelVocabulary
from .wordpiece import WordPieceTokenizer

# What each tokenizer writes for "unknown": our BPE's "<unk>", the word level's "[UNK]",
# and BERT's WordPiece "[UNK]" (byte-level BPE has none).
UNKNOWN_PIECES = {BPE_UNK, WORD_LEVEL_UNK, "[UNK]"}


@lru_cache(maxsize=1)
def english_bpe(top_n: int = 10_000, num_merges: int = 2_000) -> BPETokenizer:
    return BPETokenizer.train(word_counts("en", top_n), num_merges)


@lru_cache(maxsize=1)
def bert_wordpiece() -> WordPieceTokenizer:
    from lecturekit.bundled import minilm_vocab

    return WordPieceTokenizer.from_vocab(minilm_vocab())


@lru_cache(maxsize=1)
def smollm2_byte_level() -> ByteLevelBPETokenizer:
    return ByteLevelBPETokenizer.smollm2()


@lru_cache(maxsize=1)
def english_word_level(size: int = 10_000) -> WordLevelVocabulary:
    return WordLevelVocabulary.from_counts(word_counts("en", size), size)


def byte_piece_text(tokenizer: ByteLevelBPETokenizer, token: str) -> str:
    """Readable text of a byte-level piece. Where a piece holds only part of a
    character (emoji and CJK are often cut between bytes), those bytes are shown
    as escapes: ``" \\xf0\\x9f"``."""
    return tokenizer.token_text(token, errors="backslashreplace")


def showcase_tokenizers() -> dict:
    """name -> function text -> list of (piece, id), for the four tokenizers above."""
    bpe, wordpiece, byte_level, word_level = (
        english_bpe(),
        bert_wordpiece(),
        smollm2_byte_level(),
        english_word_level(),
    )

    def own_bpe(text):
        # Trained on wordfreq's lower-case words, so it sees lower-case text.
        return [(p, bpe.vocab.get(p, bpe.vocab[BPE_UNK])) for p in bpe.tokenize(text.lower())]

    def bert(text):
        return [(p, wordpiece.vocab[p]) for p in wordpiece.tokenize(text)]

    def smollm2(text):
        return [
            (byte_piece_text(byte_level, byte_level.id_to_token[i]), i)
            for i in byte_level.encode(text)
        ]

    def words(text):
        return [(p, word_level.vocab[p]) for p in word_level.tokenize(text)]

    return {
        "own BPE (lower-cased, 2k merges)": own_bpe,
        "WordPiece (BERT, 30k)": bert,
        "byte-level BPE (SmolLM2, 49k)": smollm2,
        "word level (10k words)": words,
    }
