"""NLI by concatenation (GPT-1, 2018): one decoder reads premise and hypothesis as one text.

GPT-1 fine-tuned on entailment by writing [START] premise [DELIM] hypothesis
[EXTRACT] and putting a linear classifier on the hidden state of the last token.
Here: the pairs of ``lecturekit.world.nli`` (facts of the lecture world), the
lecture tokenizer's [BOS] as [START] (it adds it itself), [SEP] as [DELIM] and
[EOS] as [EXTRACT], and the last-token classifier of ``lecturekit.finetune``.

The question: does pretraining help? The hypothesis names a country, the
premise a city, so telling entailment from contradiction needs "Oslo lies in
Norway", which lecture-gpt read during pretraining and a twin with random
weights must learn from the labelled pairs alone. Baselines: the majority label
(1/3, balanced) and the best word rule (``relation_rule``, 2/3).
"""

from __future__ import annotations

import pandas as pd

from ...finetune.experiments.common import from_scratch
from ...finetune.training import train_classifier
from ...world.nli import concatenated, nli_pairs


def nli_by_concatenation(model, *, n_train: int = 150, n_test: int = 60, per_person: int = 3, steps: int = 150,
                         seeds=(0,), learning_rate: float | None = None) -> pd.DataFrame:
    """One row per (arm, seed): test accuracy of the pretrained model and of its random-weight twin.

    ``table.attrs``: majority and rule baselines, the number of pairs, an example input.
    """
    split = nli_pairs(n_train=n_train, n_test=n_test, per_person=per_person)
    texts, labels = [concatenated(p) for p in split.train], [p.label for p in split.train]
    test_texts, test_labels = [concatenated(p) for p in split.test], [p.label for p in split.test]
    rows = []
    for seed in [seeds] if isinstance(seeds, int) else seeds:
        for arm, start in (("pretrained", model), ("scratch", from_scratch(model, seed))):
            fitted = train_classifier(start, texts, labels, steps=steps, seed=seed, learning_rate=learning_rate,
                                      progress=False)
            rows.append({"arm": arm, "seed": seed, "accuracy": fitted.accuracy(test_texts, test_labels),
                         "train accuracy": fitted.accuracy(texts, labels)})
    table = pd.DataFrame(rows)
    table.attrs.update(majority=split.majority_baseline(), rule=split.rule_baseline(), n_train=len(texts),
                       n_test=len(test_texts), example=test_texts[0], model=model.name, steps=steps)
    return table
