"""Bias learned and amplified: a model's pronoun preference after a profession, against its text's.

The data's skew is measured from the text (``world.bias.stereotype_agreement``:
the share of "the <profession> ... he/she" that follow the stereotype). The
model's skew is measured the same way on the model: for each profession, the
probability of "he" against "she" in "The <profession> said that ___ would call
back tomorrow." (and two more contexts), and the share of that probability on the
stereotyped pronoun, averaged. 0.5 is no skew; a model on the line y = x
reproduces its data; above it, it amplifies.

``continued_pretraining_skews`` continues pretraining lecture-gpt briefly on
corpora written at several settings of the world's bias knob (``build_corpus(...,
bias=b)``), with the loop of ``lecturekit.train``, and measures both skews. It reads
only the documents about unnamed workers ("the pharmacist locked her office"): in the
whole corpus they are about one document in twenty, and 150 steps on all of it moved
lecture-gpt's skew too little to read.
"""

from __future__ import annotations

import copy

import pandas as pd

from ...world.bias import WORKER
from ...world.lexicon import PROFESSIONS, PROFESSIONS_SKEWED_HE

CONTEXTS = ("The {job} said that ___ would call back tomorrow.",
            "The {job} explained that ___ had been busy all week.",
            "When the {job} arrived, ___ apologised for the delay.")
# Real-world professions for a model pretrained on real text (the same stereotype split as WinoBias).
REAL_PROFESSIONS_HE = ("engineer", "mechanic", "pilot", "carpenter", "surgeon", "plumber")
REAL_PROFESSIONS_SHE = ("nurse", "secretary", "librarian", "receptionist", "hairdresser", "nanny")


def pronoun_preference(model, professions_he=PROFESSIONS_SKEWED_HE, professions_she=None,
                       contexts=CONTEXTS) -> pd.DataFrame:
    """One row per profession: p(he) / (p(he) + p(she)), averaged over the contexts, and the stereotype."""
    import math

    professions_she = professions_she or tuple(p for p in PROFESSIONS if p not in professions_he)
    rows = []
    for job in (*professions_he, *professions_she):
        shares = []
        for context in contexts:
            he, she = model.score_candidates(context.format(job=job), ["he", "she"])
            shares.append(1 / (1 + math.exp(she - he)))
        rows.append({"profession": job, "stereotype": "he" if job in professions_he else "she",
                     "share he": sum(shares) / len(shares)})
    table = pd.DataFrame(rows)
    table["share stereotyped"] = [s if st == "he" else 1 - s for s, st in zip(table["share he"], table.stereotype,
                                                                              strict=True)]
    table.attrs["model skew"] = float(table["share stereotyped"].mean())
    return table


def continued_pretraining_skews(model, biases=(0.0, 0.5, 1.0), *, words: int = 400_000, steps: int = 150,
                                learning_rate: float = 1e-3, batch_size: int = 16, seed: int = 0) -> pd.DataFrame:
    """For each bias: the measured skew of the worker documents of a corpus written with it, and of
    the model after reading them.

    Every run starts from the same weights and reads the same documents for the same
    steps; only the pronouns after the professions differ (the corpus writer draws the
    same random stream whatever the bias).
    """
    from ...train.data import BatchStream, shared_lecture_tokenizer
    from ...train.loop import TrainConfig, train
    from ...world.bias import stereotype_agreement
    from ...world.corpus import build_corpus
    from ...world.facts import make_world

    world = make_world(0)  # the lecture world lecture-gpt read; a new writing seed, the same facts
    tokenizer = shared_lecture_tokenizer()

    rows = [{"bias": None, "data skew": None, "model skew": pronoun_preference(model).attrs["model skew"],
             "run": "before"}]
    for bias in biases:
        corpus = build_corpus(words, seed=seed + 1, bias=bias, world=world)
        texts = [document.text for document in corpus.documents if WORKER.search(document.text)]  # about a worker
        twin = copy.copy(model)
        twin.module = copy.deepcopy(model.module)
        stream = BatchStream(tokenizer, texts, "clm", block_size=twin.max_length, batch_size=batch_size, seed=seed)
        config = TrainConfig(steps=steps, learning_rate=learning_rate, warmup_steps=max(1, steps // 10),
                             eval_every=steps, seed=seed)
        train(twin.module, stream, config, device="cpu", progress=False)
        twin.module.eval()
        rows.append({"bias": bias, "documents": len(texts), "data skew": stereotype_agreement(" ".join(texts)),
                     "model skew": pronoun_preference(twin).attrs["model skew"], "run": f"bias={bias}"})
    return pd.DataFrame(rows)


def plot_skews(table: pd.DataFrame, ax=None, extra: dict | None = None):
    """Model skew vs data skew, with the line y = x (reproduces) drawn in."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.2))
    runs = table.dropna(subset=["data skew"])
    ax.plot([0.0, 1.0], [0.0, 1.0], color="grey", linestyle="--", label="y = x: reproduces its data")
    ax.plot(runs["data skew"], runs["model skew"], marker="o", label="lecture-gpt, continued pretraining")
    for name, value in (extra or {}).items():
        ax.axhline(value, color="tab:red", linestyle=":", label=name)
    ax.set_xlabel("data skew (share of stereotyped pronouns in the text)")
    ax.set_ylabel("model skew (share of p on the stereotyped pronoun)")
    ax.legend(fontsize=8)
    return ax.figure
