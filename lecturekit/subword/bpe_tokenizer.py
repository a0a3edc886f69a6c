"""BPE put to use: learning merges (fast by default), tokenizing text, and the "fewest pieces" alternatives.

``train_bpe`` / ``bpe_trace`` run the fast trainer of ``bpe_fast.py``, or the
one-screen reference of ``bpe.py`` when asked (``method="reference"``): both give
the same merges. ``BPETokenizer`` replays the merges on new text with the fast
encoder, which gives the pieces of the plain loop ``bpe.apply_merges``.

Two other ways to cut a word with the same vocabulary, for comparison:
- ``greedy_longest_match``: take the longest vocabulary piece from the left,
  repeat (what WordPiece does);
- ``fewest_pieces``: the true minimum number of pieces (dynamic programming).
Greedy is the common approximation of "as few pieces as possible"; it is not
always optimal, and neither is guaranteed to match the merge order.

(This module sits above ``bpe.py`` and ``bpe_fast.py`` because it needs both, and
``bpe_fast.py`` builds on ``bpe.py``'s pieces.)
"""

from __future__ import annotations

from functools import lru_cache

from ..text import END_OF_WORD, as_text
from .bpe import MergeStep, prepare_word_counts, train_bpe_reference, word_to_symbols
from .bpe_fast import apply_merges_fast, train_bpe_fast
from .pretokenize import split_words

# Our BPE's unknown token, for characters never seen in training. (The word-level
# baseline's is "[UNK]", as in BERT: the two are different vocabularies, and the
# notebook shows both.)
BPE_UNK = "<unk>"

_TRAINERS = {"fast": train_bpe_fast, "reference": train_bpe_reference}


def bpe_trace(word_counts, num_merges: int, method: str = "fast") -> list[MergeStep]:
    """Every merge step: the pair, its count, the new token, how many word types changed."""
    if method not in _TRAINERS:
        raise ValueError(f"method must be one of {sorted(_TRAINERS)}, not {method!r}")
    return _TRAINERS[method](word_counts, num_merges)


def train_bpe(word_counts, num_merges: int, method: str = "fast") -> list[tuple[str, str]]:
    """The learned merges in order, e.g. ``[("e", "s"), ("es", "t</w>"), ...]``.

    Fewer than ``num_merges`` come back when the corpus runs out of pairs (every
    word has become a single token).
    """
    return [step.pair for step in bpe_trace(word_counts, num_merges, method)]


class BPETokenizer:
    """Apply learned merges in order. Characters never seen in training become ``<unk>``."""

    def __init__(self, merges, alphabet):
        self.merges = [tuple(pair) for pair in merges]
        self.ranks = {pair: rank for rank, pair in enumerate(self.merges)}
        # The vocabulary: <unk>, the characters (plain and word-final), then one
        # token per merge in the order learned (a repeated string keeps its first id).
        tokens = [BPE_UNK] + sorted(set(alphabet) | {c + END_OF_WORD for c in alphabet})
        tokens += [first + second for first, second in self.merges]
        self.vocab: dict[str, int] = {}
        for token in tokens:
            self.vocab.setdefault(token, len(self.vocab))
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self._cached_word = lru_cache(maxsize=100_000)(self._tokenize_word)

    @classmethod
    def train(cls, word_counts, num_merges: int, method: str = "fast") -> BPETokenizer:
        """Learn ``num_merges`` merges on ``word_counts`` and build the tokenizer."""
        counts, num_merges = prepare_word_counts(
            word_counts, num_merges
        )  # also reads iterators once
        merges = train_bpe(counts, num_merges, method)
        return cls(merges, {c for word in counts for c in word})

    def __len__(self) -> int:
        return len(self.vocab)

    def tokenize_word(self, word: str) -> list[str]:
        """One word (no spaces) -> its pieces, e.g. ``"lowest"`` -> ``["low", "est</w>"]``."""
        return list(self._cached_word(as_text(word, "word")))

    def _tokenize_word(self, word: str) -> tuple[str, ...]:
        symbols = [s if s in self.vocab else BPE_UNK for s in word_to_symbols(word)]
        return tuple(apply_merges_fast(symbols, self.ranks))

    def tokenize(self, text: str) -> list[str]:
        """Text -> pieces: words split as in ``split_words``, each word by the merges."""
        return [piece for word in split_words(text) for piece in self.tokenize_word(word)]

    def encode(self, text: str) -> list[int]:
        return [self.vocab.get(piece, self.vocab[BPE_UNK]) for piece in self.tokenize(text)]

    def decode(self, ids) -> str:
        """Ids -> text: pieces joined, and a space wherever a word ended."""
        pieces = [self.id_to_token.get(int(i), BPE_UNK) for i in ids]
        return "".join(pieces).replace(END_OF_WORD, " ").strip()


def _longest_piece(vocab) -> int:
    # A piece of k units has at least k characters, so no piece spans more units
    # than the longest token has characters: this bound keeps long words cheap.
    return max((len(token) for token in vocab), default=1)


def greedy_longest_match(word: str, vocab) -> list[str]:
    """Cut ``word`` left to right, always taking the longest piece in ``vocab``.

    A character with no piece at all becomes ``<unk>``. The end-of-word marker
    stays on the last character, as in training.
    """
    units = word_to_symbols(as_text(word, "word"))
    longest = _longest_piece(vocab)
    pieces, start = [], 0
    while start < len(units):
        for end in range(min(len(units), start + longest), start, -1):
            piece = "".join(units[start:end])
            if piece in vocab:
                break
        else:
            piece, end = BPE_UNK, start + 1
        pieces.append(piece)
        start = end
    return pieces


def fewest_pieces(word: str, vocab) -> list[str]:
    """The segmentation of ``word`` into the fewest ``vocab`` pieces.

    On a tie the segmentation with the longer last piece wins.

    Dynamic programming: ``best[i]`` is the fewest pieces that cover the first
    ``i`` units. Characters with no piece become ``<unk>``.
    """
    units = word_to_symbols(as_text(word, "word"))
    longest = _longest_piece(vocab)
    n = len(units)
    best = [0] + [n + 1] * n
    cut = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(max(0, end - longest), end):
            piece = "".join(units[start:end])
            usable = piece in vocab or end - start == 1  # a lone unknown unit is <unk>
            if usable and best[start] + 1 < best[end]:
                best[end], cut[end] = best[start] + 1, start
    pieces, end = [], n
    while end > 0:
        start = cut[end]
        piece = "".join(units[start:end])
        pieces.append(piece if piece in vocab else BPE_UNK)
        end = start
    return pieces[::-1]
