"""Measure the pronoun-profession skew of a text (and so the corpus's bias knob).

The lecture: pretraining learns the biases of its text, and can amplify them.
`build_corpus(..., bias=b)` writes unnamed workers ("the pilot ... he") with a
skew of strength b. `pronoun_profession_counts` measures the skew from the text
alone, the way one would audit a real corpus: for every mention of "the
<profession>", the first he/she pronoun that follows it in the same sentence.
"""

from __future__ import annotations

import re

from .lexicon import PROFESSIONS, PROFESSIONS_SKEWED_HE

# A mention of an unnamed worker: "the <profession>".
_WORKER = r"\bthe (" + "|".join(PROFESSIONS) + r")\b"
WORKER = re.compile(_WORKER, re.IGNORECASE)
# The mention, then (a lookahead, so mentions never swallow each other) the rest of its sentence.
_PATTERN = re.compile(_WORKER + r"(?=([^.!?]*))", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|his|him|she|her|hers)\b", re.IGNORECASE)


def pronoun_profession_counts(text: str):
    """A table per profession: how often 'he'- and 'she'-pronouns follow 'the <profession>'."""
    import pandas as pd

    counts = {profession: {"he": 0, "she": 0} for profession in PROFESSIONS}
    for match in _PATTERN.finditer(text):
        pronoun = _PRONOUN.search(match.group(2))
        if pronoun:
            word = pronoun.group(1).lower()
            counts[match.group(1).lower()]["he" if word in ("he", "his", "him") else "she"] += 1
    frame = pd.DataFrame.from_dict(counts, orient="index")
    frame.index.name = "profession"
    frame["share_he"] = (frame["he"] / (frame["he"] + frame["she"]).where(lambda n: n > 0)).round(3)
    frame["stereotype"] = ["he" if p in PROFESSIONS_SKEWED_HE else "she" for p in frame.index]
    return frame


def stereotype_agreement(text: str) -> float:
    """Share of worker pronouns that match the stereotype: 0.5 means no skew."""
    frame = pronoun_profession_counts(text)
    matching = frame.loc[frame["stereotype"] == "he", "he"].sum() + frame.loc[frame["stereotype"] == "she", "she"].sum()
    total = (frame["he"] + frame["she"]).sum()
    if total == 0:
        raise ValueError("the text never follows 'the <profession>' with a he/she pronoun; nothing to measure")
    return float(matching / total)
