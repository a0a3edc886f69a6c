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


# Where lecture-gpt could read a city's country, and whether it does. A stranger's name, because for
# the world's own people the model answers from what it remembers of them, whatever the premise says.
COUNTRY_PROBES = {
    "alone": "{city} lies in ___.",  # a sentence of the world's place descriptions
    "in a biography": "{name} was born in {city}, ___.",  # the form the biographies use
    "after a premise": "{name} was born in {city}. {name} was born in ___.",  # what NLI asks of it
}


def country_knowledge(model, world=None, name: str = "Tom Quill") -> pd.DataFrame:
    """One row per city and probe: the country ``model`` scores highest among the world's countries.

    A classifier of the NLI pairs can tell entailment from contradiction only if
    the model carries the city's country over to the hypothesis, as the last
    probe asks of the language model itself.
    """
    from ...world import make_world

    world = world or make_world(0)
    if name in {p.name for p in world.people}:
        raise ValueError(f"{name} is one of the world's people; give a name it does not know.")
    countries = sorted(set(world.cities.values()))
    rows = []
    for city, country in world.cities.items():
        for probe, template in COUNTRY_PROBES.items():
            scores = model.score_candidates(template.format(city=city, name=name), countries)
            answer = countries[scores.index(max(scores))]
            rows.append({"probe": probe, "city": city, "country": country, "answer": answer,
                         "correct": answer == country})
    table = pd.DataFrame(rows)
    table.attrs.update(countries=len(countries), model=model.name, name=name)
    return table
