"""Homework 1, subwords: the questions' hidden tests (see ``questions`` for how they run).

Each code question draws small random corpora and words from its seed and compares the
student's function with lecturekit's own: ``train_bpe_reference`` (the merge loop),
``apply_merges`` (encoding a new word), ``WordPieceTokenizer.tokenize_word`` (greedy longest
match). The corpora use few letters so that pairs tie often: the tie-break rule is tested.
"""

from __future__ import annotations

import random

from .questions import call, question

LETTERS = "abdeilnorstw"


def random_word(rng: random.Random, shortest: int = 1, longest: int = 8) -> str:
    # Letters weighted towards a few, so that words share pieces as real words do.
    weights = [len(LETTERS) - i for i in range(len(LETTERS))]
    return "".join(rng.choices(LETTERS, weights=weights, k=rng.randint(shortest, longest)))


def random_corpus(rng: random.Random, words: int = 12) -> dict[str, int]:
    return {random_word(rng, 2): rng.randint(1, 9) for _ in range(words)}


def _as_pairs(merges) -> list[tuple[str, str]]:
    return [tuple(pair) for pair in merges]


@question("hw1.bpe_train", points=3)
def bpe_train(learn_bpe, seed):
    from ..subword.bpe import train_bpe_reference

    if not callable(learn_bpe):
        return False, "answer with your function: check('hw1.bpe_train', learn_bpe)"
    rng = random.Random(seed)
    for trial in range(6):
        corpus = random_corpus(rng)
        num_merges = rng.randint(3, 25) if trial else 200  # the last trial runs out of pairs
        expected = [step.pair for step in train_bpe_reference(corpus, num_merges)]
        got = _as_pairs(call(learn_bpe, dict(corpus), num_merges))
        if got != expected:
            if len(got) != len(expected):
                return False, (f"you returned {len(got)} merges where {len(expected)} were expected "
                               "(stop early only when no pair is left)")
            first = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
            return False, (f"merge number {first + 1} differs on a test corpus: count pairs weighted by "
                           "word counts, break ties by the smallest pair, mark the last letter with </w>")
    return True, ""


@question("hw1.bpe_encode", points=3)
def bpe_encode(encode, seed):
    from ..subword.bpe import apply_merges, train_bpe_reference, word_to_symbols

    if not callable(encode):
        return False, "answer with your function: check('hw1.bpe_encode', bpe_encode)"
    rng = random.Random(seed)
    for _ in range(5):
        merges = [step.pair for step in train_bpe_reference(random_corpus(rng), rng.randint(5, 30))]
        ranks = {pair: rank for rank, pair in enumerate(merges)}
        for _ in range(8):  # new words, most of them not in the corpus
            word = random_word(rng)
            expected = apply_merges(word_to_symbols(word), ranks)
            if list(call(encode, word, list(merges))) != expected:
                return False, ("a new word came out differently: apply the earliest-learned merge that "
                               "fits, leftmost first, and repeat until none fits")
    return True, ""


@question("hw1.wordpiece", points=2)
def wordpiece(tokenize, seed):
    from ..subword.wordpiece import WordPieceTokenizer

    if not callable(tokenize):
        return False, "answer with your function: check('hw1.wordpiece', wordpiece_tokenize)"
    rng = random.Random(seed)
    for _ in range(5):
        pieces = {random_word(rng, 1, 4) for _ in range(30)}
        vocab = pieces | {"##" + random_word(rng, 1, 3) for _ in range(30)} | set(LETTERS[:6])
        reference = WordPieceTokenizer({piece: i for i, piece in enumerate(sorted(vocab | {"[UNK]"}))})
        for _ in range(10):
            word = random_word(rng, 1, 9)
            if list(call(tokenize, word, set(vocab))) != reference.tokenize_word(word):
                return False, ("a word came out differently: take the longest piece from the left, "
                               "'##' before every piece but the first, and the whole word is [UNK] "
                               "when some part has no piece")
    return True, ""


# The written answers: recomputed from the library, or fixed by the lecture's reasoning.
FERTILITY_WORDS, FERTILITY_SEED = 500, 0


@question("hw1.german_fertility", points=1)
def german_fertility(answer, seed):
    from ..subword import fertility, sample_running_words
    from ..subword.showcase import bert_wordpiece

    tokenizer = bert_wordpiece()
    words = sample_running_words("de", FERTILITY_WORDS, seed=FERTILITY_SEED)
    expected = fertility(tokenizer.tokenize, words)
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return False, "answer with a number, the mean pieces per word"
    return abs(value - expected) <= 0.006, "count the pieces of every sampled word (repeats too) and divide by 500"


@question("hw1.why_lowest", points=1)
def why_lowest(answer, seed):
    choice = answer.strip().strip("()").lower() if isinstance(answer, str) else None
    if choice not in ("a", "b", "c"):
        return False, "answer with one letter, 'a', 'b' or 'c'"
    return choice == "b", "which merges were learned, and from which words?"
