"""BPE training and BPE tokenization.

- The fast trainer agrees with the one-screen reference merge for merge (random corpora).
- The fast (heap) encoder cuts words exactly as the plain encoder loop does.
- Both agree with the Hugging Face ``tokenizers`` BPE trainer up to the first tie.
- ``BPETokenizer`` segments words as the Hugging Face BPE model does with the same merges.
- ``fewest_pieces`` really is minimal; greedy longest match is not always.
"""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lecturekit.subword import (
    END_OF_WORD,
    TINY_CORPUS,
    BPETokenizer,
    bpe_trace,
    fewest_pieces,
    greedy_longest_match,
    train_bpe,
    train_bpe_huggingface,
    word_counts,
)
from lecturekit.subword.bpe import apply_merges, merge_pair, word_to_symbols
from lecturekit.subword.bpe_fast import apply_merges_fast

corpora = st.dictionaries(
    st.text(alphabet="abcde", min_size=1, max_size=8),
    st.integers(min_value=1, max_value=50),
    min_size=1,
    max_size=25,
)


def first_tie(word_counts: dict[str, int], num_merges: int) -> int:
    """How many merges come before the first step at which two or more pairs share the
    top count, or before the pairs run out (num_merges if neither happens): the merges
    any correct trainer must agree on. Written independently of both trainers."""
    words = Counter({word_to_symbols(w): c for w, c in word_counts.items()})
    for step in range(num_merges):
        pairs = Counter()
        for symbols, count in words.items():
            for pair in pairwise(symbols):
                pairs[pair] += count
        if not pairs:
            return step
        top = pairs.most_common(2)
        if len(top) == 2 and top[0][1] == top[1][1]:
            return step
        words = Counter({merge_pair(s, top[0][0]): c for s, c in words.items()})
    return num_merges


def test_tiny_corpus_by_hand():
    # Sennrich et al.'s example. Counted by hand: "es" occurs in newest (6) and
    # widest (3) = 9; "st</w>" also 9 (a tie, broken in string order: "e" < "s");
    # then "es"+"t</w>" occurs 9 times.
    steps = bpe_trace(TINY_CORPUS, 2)
    assert [(s.pair, s.count, s.words_changed) for s in steps] == [
        (("e", "s"), 9, 2),
        (("es", "t</w>"), 9, 2),
    ]
    assert steps[1].new_token == "est</w>"


@settings(max_examples=150, deadline=None)
@given(corpora, st.integers(min_value=0, max_value=60))
def test_fast_trainer_equals_reference(corpus, num_merges):
    assert bpe_trace(corpus, num_merges, "fast") == bpe_trace(corpus, num_merges, "reference")


def test_fast_equals_reference_on_real_english():
    counts = word_counts("en", 2000)
    assert bpe_trace(counts, 300, "fast") == bpe_trace(counts, 300, "reference")


@settings(max_examples=60, deadline=None)
@given(corpora, st.integers(min_value=1, max_value=40))
def test_matches_hugging_face_trainer_without_ties(corpus, num_merges):
    usable = first_tie(corpus, num_merges)
    assume(usable >= 1)  # a tie (or no pair) at step 0 leaves nothing to compare
    ours = train_bpe(corpus, num_merges)
    theirs = train_bpe_huggingface(corpus, num_merges)
    assert len(ours) >= usable
    assert ours[:usable] == theirs[:usable]


def is_greedy_bpe_run(word_counts: dict[str, int], merges) -> bool:
    """True if every merge had the top pair count at its step (whatever the tie-break)."""
    words = {word_to_symbols(w): c for w, c in word_counts.items()}
    for merge in merges:
        pairs = Counter()
        for symbols, count in words.items():
            for pair in pairwise(symbols):
                pairs[pair] += count
        if pairs[merge] != max(pairs.values()):
            return False
        words = {merge_pair(s, merge): c for s, c in words.items()}
    return True


def test_matches_hugging_face_trainer_on_real_english():
    # wordfreq stores frequencies in small bins, so many words share a count
    # ("for" and "that" tie after 38 merges). Up to the first tie the merges must
    # be identical; after it, HF's merges must still be a correct BPE run, only
    # with its own tie-break.
    counts = word_counts("en", 2000)
    ours, theirs = train_bpe(counts, 250), train_bpe_huggingface(counts, 250)
    usable = first_tie(counts, 250)
    assert usable >= 20
    assert ours[:usable] == theirs[:usable]
    assert is_greedy_bpe_run(counts, theirs) and is_greedy_bpe_run(counts, ours)


@settings(max_examples=200, deadline=None)
@given(
    corpora,
    st.integers(min_value=0, max_value=40),
    st.lists(st.text(alphabet="abcdef", max_size=12)),
)
def test_heap_encoder_equals_plain_encoder(corpus, num_merges, words):
    # Merges trained on a random corpus, replayed on random words (also with "f",
    # a character the corpus never has): the heap and the plain loop cut alike.
    ranks = {pair: rank for rank, pair in enumerate(train_bpe(corpus, num_merges))}
    for word in [*corpus, *words]:
        symbols = word_to_symbols(word)
        assert apply_merges_fast(symbols, ranks) == apply_merges(symbols, ranks), word


def test_trace_counts_are_real_pair_counts():
    counts = word_counts("en", 500)
    steps = bpe_trace(counts, 40)
    words = {word_to_symbols(w): c for w, c in counts.items()}
    for step in steps:
        occurrences = sum(
            c * sum(1 for pair in pairwise(s) if pair == step.pair) for s, c in words.items()
        )
        containing = sum(step.pair in pairwise(s) for s in words)
        # Like the Hugging Face trainer, a pair is counted at every position, also
        # where occurrences overlap ("a a a" has the pair "a a" twice).
        assert step.count == occurrences and step.words_changed == containing
        words = {merge_pair(s, step.pair): c for s, c in words.items()}


def test_more_merges_than_possible_stops_early():
    steps = bpe_trace({"ab": 3, "abc": 1}, 1000)
    # "ab" and "abc" end as single tokens after at most 3 merges.
    assert 1 <= len(steps) <= 3
    assert train_bpe({"ab": 3, "abc": 1}, 1000, "reference") == [s.pair for s in steps]


@pytest.mark.parametrize(
    "bad, error",
    [
        ("some text", TypeError),
        ([("a", -1)], ValueError),
        ([("a", 1.5)], TypeError),
        (42, TypeError),
        ([1, 2], TypeError),
    ],
)
def test_bad_word_counts_are_explained(bad, error):
    with pytest.raises(error, match="count|word"):
        train_bpe(bad, 5)


def test_bad_num_merges_are_explained():
    with pytest.raises(ValueError, match="num_merges"):
        train_bpe(TINY_CORPUS, -1)
    with pytest.raises(TypeError, match="num_merges"):
        train_bpe(TINY_CORPUS, "10")
    with pytest.raises(ValueError, match="method"):
        train_bpe(TINY_CORPUS, 3, method="magic")


def test_odd_but_valid_corpora():
    assert train_bpe({}, 10) == []
    assert train_bpe({"": 5, "a": 0}, 10) == []
    long_word = "ab" * 50_000  # a 100,000-character word
    merges = train_bpe({long_word: 1, "😀👍": 2, "x\x00y": 1, "bad\ud800": 1}, 5)
    assert len(merges) == 5


@pytest.fixture(scope="module")
def english_bpe():
    return BPETokenizer.train(word_counts("en", 3000), 500)


def test_tokenizer_replays_training_on_training_words(english_bpe):
    counts = word_counts("en", 3000)
    for word in itertools.islice(counts, 0, 3000, 7):
        symbols = word_to_symbols(word)
        for pair in english_bpe.merges:  # training applied each merge once, in order
            symbols = merge_pair(symbols, pair)
        assert english_bpe.tokenize_word(word) == list(symbols)


def test_tokenizer_matches_hugging_face_bpe_model(english_bpe):
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {t: i for t, i in english_bpe.vocab.items()}
    model = models.BPE(
        vocab=vocab, merges=english_bpe.merges, end_of_word_suffix=END_OF_WORD, unk_token="<unk>"
    )
    hf = Tokenizer(model)
    hf.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    held_out = list(word_counts("en", 20_000))[10_000:] + ["transformerify", "taaaaasty", "lern"]
    for word in held_out:
        assert english_bpe.tokenize_word(word) == hf.encode(word).tokens, word


def test_common_words_whole_rare_words_in_pieces(english_bpe):
    assert english_bpe.tokenize_word("the") == ["the</w>"]
    pieces = english_bpe.tokenize_word("transformerify")
    assert len(pieces) > 1 and "".join(pieces) == "transformerify</w>"


def test_unknown_characters_and_bad_text(english_bpe):
    assert english_bpe.tokenize("") == [] and english_bpe.tokenize(" \n\t ") == []
    assert "<unk>" in english_bpe.tokenize("日本")
    assert english_bpe.tokenize("a\x00b") == english_bpe.tokenize("a\x00b")  # no crash
    assert english_bpe.tokenize("x\ud800") == english_bpe.tokenize("x\ufffd")
    assert len(english_bpe.encode("ab" * 50_000)) >= 1
    with pytest.raises(TypeError, match="str"):
        english_bpe.tokenize(None)


def _brute_force_fewest(units: list[str], vocab: set[str]) -> int:
    n = len(units)
    best = n  # one piece per unit always works (<unk> for unknown units)
    for cuts in itertools.product([0, 1], repeat=n - 1):
        bounds = [0] + [i + 1 for i, c in enumerate(cuts) if c] + [n]
        pieces = ["".join(units[a:b]) for a, b in pairwise(bounds)]
        if all(
            p in vocab or b - a == 1 for p, a, b in zip(pieces, bounds, bounds[1:], strict=False)
        ):
            best = min(best, len(pieces))
    return best


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abc", min_size=1, max_size=9),
    st.sets(st.text(alphabet="abc", min_size=2, max_size=4), max_size=12),
)
def test_fewest_pieces_is_minimal_and_never_worse_than_greedy(word, pieces):
    vocab = (
        set("abc") | {c + END_OF_WORD for c in "abc"} | pieces | {p + END_OF_WORD for p in pieces}
    )
    fewest = fewest_pieces(word, vocab)
    greedy = greedy_longest_match(word, vocab)
    assert "".join(fewest) == "".join(greedy) == word + END_OF_WORD
    assert len(fewest) == _brute_force_fewest(list(word_to_symbols(word)), vocab)
    assert len(fewest) <= len(greedy)


def test_greedy_is_not_always_fewest():
    vocab = set("abcde") | {"e" + END_OF_WORD, "abc", "ab", "cde" + END_OF_WORD}
    assert greedy_longest_match("abcde", vocab) == ["abc", "d", "e</w>"]
    assert fewest_pieces("abcde", vocab) == ["ab", "cde</w>"]


def test_segmenters_on_bad_input():
    vocab = {"a", "a</w>"}
    assert greedy_longest_match("", vocab) == [] and fewest_pieces("", vocab) == []
    assert greedy_longest_match("b", vocab) == ["<unk>"]
    assert len(fewest_pieces("a" * 100_000, vocab)) == 100_000


def test_train_reads_an_iterator_of_pairs_once():
    pairs = iter([("low", 5), ("lower", 2), ("newest", 6), ("widest", 3)])
    tokenizer = BPETokenizer.train(pairs, 10)
    assert tokenizer.merges == [tuple(p) for p in train_bpe(TINY_CORPUS, 10)]
    assert set("lowernstid") <= set(tokenizer.vocab)


def test_random_corpus_round_trip_through_json():
    # Merges are plain strings: a trained tokenizer can be saved as JSON and rebuilt.
    rng = random.Random(0)
    counts = {
        "".join(rng.choices("abcdef", k=rng.randint(1, 7))): rng.randint(1, 9) for _ in range(50)
    }
    tokenizer = BPETokenizer.train(counts, 30)
    rebuilt = BPETokenizer(json.loads(json.dumps(tokenizer.merges)), set("abcdef"))
    assert all(rebuilt.tokenize_word(w) == tokenizer.tokenize_word(w) for w in counts)
