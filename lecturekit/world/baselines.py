"""How far does counting get? A no-neural-network scorer for the cloze probes.

`CooccurrenceScorer` is naive Bayes over documents: a candidate c is scored by
how often each word of the probe appeared in the same document as c in the
training text,

    score(c) = log P(c) + sum over probe words w of log P(w in document | c in document).

It knows nothing about word order, so it can recall facts that sit together in
a document (a person and a city, a film and a verdict, animals of one habitat)
but not syntax or sequences. A pretrained Transformer should beat it where order
matters; it also checks that the corpus really contains what the probes ask.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from ..text import BLANK, words


class CooccurrenceScorer:
    """Fit on documents (strings or Documents); score_candidates like any model."""

    def __init__(self, documents: Iterable, vocabulary: Iterable[str], smoothing: float = 0.1):
        wanted = {word.lower() for word in vocabulary}
        if not wanted:
            raise ValueError("give the candidate words to count (for example every probe's candidates)")
        self.smoothing = smoothing
        self.documents = 0
        self.with_candidate: dict[str, Counter] = {word: Counter() for word in wanted}
        self.candidate_documents: Counter = Counter()
        for document in documents:
            present = set(words(getattr(document, "text", document)))
            self.documents += 1
            for candidate in present & wanted:
                self.candidate_documents[candidate] += 1
                self.with_candidate[candidate].update(present)
        if self.documents == 0:
            raise ValueError("no documents to count")

    def score_candidates(self, text_with_blank: str, candidates: Sequence[str]) -> list[float]:
        context = set(words(text_with_blank.replace(BLANK, " ")))
        scores = []
        for candidate in candidates:
            key = candidate.lower()
            n = self.candidate_documents.get(key, 0)
            counts = self.with_candidate.get(key, Counter())
            score = math.log((n + self.smoothing) / (self.documents + self.smoothing))
            # A word is no evidence for itself: "fish, seals, and ___" must not
            # favour "fish" just because fish was mentioned.
            for word in context - {key}:
                score += math.log((counts.get(word, 0) + self.smoothing) / (n + 2 * self.smoothing))
            scores.append(score)
        return scores
