"""Real word frequencies from ``wordfreq``, turned into the word counts BPE trains on.

wordfreq gives each word's frequency per language, estimated from many sources
(Wikipedia, subtitles, news, books, web text, ...). Swahili, the lecture's
example of rich morphology, is *not* among its languages, so we use Finnish,
Turkish and Hungarian, which build long words from many suffixes too.
"""

from __future__ import annotations

import random
from functools import lru_cache

# A tiny corpus to run BPE by hand, in the spirit of Sennrich et al. (2016).
TINY_CORPUS = {"low": 5, "lower": 2, "newest": 6, "widest": 3}

LANGUAGES = {
    "en": "English",
    "fi": "Finnish",
    "tr": "Turkish",
    "hu": "Hungarian",
    "de": "German",
}
NOT_IN_WORDFREQ = {"sw": "Swahili"}

# wordfreq frequencies are fractions of all words; scaled by this they become
# counts "per million words" (rounded, at least 1), integers BPE can add up.
PER_WORDS = 1_000_000


def _check_language(language: str) -> None:
    import wordfreq

    if language in NOT_IN_WORDFREQ:
        raise ValueError(
            f"{NOT_IN_WORDFREQ[language]} ({language!r}) is not in wordfreq; "
            f"try one of {sorted(LANGUAGES)} (Finnish, Turkish, Hungarian are also morphologically rich)"
        )
    if language not in wordfreq.available_languages():
        raise ValueError(
            f"wordfreq has no language {language!r}; available: {sorted(wordfreq.available_languages())}"
        )


@lru_cache(maxsize=8)
def _frequencies(language: str) -> tuple[tuple[str, float], ...]:
    """(word, frequency) pairs of ``language``, most frequent first, letters-only words."""
    import wordfreq

    _check_language(language)
    pairs = sorted(
        wordfreq.get_frequency_dict(language).items(), key=lambda item: (-item[1], item[0])
    )
    return tuple((word, frequency) for word, frequency in pairs if word.isalpha())


def word_counts(language: str = "en", top_n: int = 10_000) -> dict[str, int]:
    """The ``top_n`` most frequent words of ``language`` with counts per million words.

    Only words made of letters are kept (no numbers, no apostrophes), so the
    counts describe words, not punctuation.
    """
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}")
    return {
        word: max(1, round(frequency * PER_WORDS))
        for word, frequency in _frequencies(language)[:top_n]
    }


def sample_running_words(
    language: str, num_words: int, seed: int, skip_top: int = 0, top_n: int = 100_000
) -> list[str]:
    """``num_words`` words drawn at random with their real frequencies: a stand-in for running text.

    Words are drawn from ranks ``skip_top`` to ``top_n`` of the letters-only
    list; ``skip_top`` > 0 leaves out the most frequent words, to look at rarer ones.
    """
    chosen = _frequencies(language)[skip_top:top_n]
    if not chosen:
        raise ValueError(f"no words between ranks {skip_top} and {top_n}")
    words = [word for word, _ in chosen]
    weights = [frequency for _, frequency in chosen]
    return random.Random(seed).choices(words, weights=weights, k=num_words)
