"""The lecture world: a generated pretraining corpus with knowledge probes.

A small deterministic world (people, cities, universities, films, rooms,
animals, number patterns) written out as varied English, so that everything a
model learns in pretraining can be checked against known facts.

    world = make_world(seed=0)                    # the facts
    world.samples()                               # one document per category
    corpus = build_corpus(1_000_000, seed=0)      # at least a million words
    corpus.data_card()                            # words per category, vocabulary, entities
    items = probes(world, "trivia")               # cloze items from the same facts
    score_probes(model, items)                    # top-1 / top-5 / MRR per category

Where things live: `facts` (the world), `writers/` (one module per lecture
category), `corpus` (documents, data card, streaming to disk), `probes` and
`scoring` (cloze items and their scorer), `baselines` (a counting scorer to beat),
`bias` (the pronoun-profession audit), `splits` and `recipes` (held-out data for
the fine-tuning experiments), `loaders` (real text), `cli` (`lecturekit world`).
"""

from . import splits  # sentiment transfer, birthplace QA, second domain
from .corpus import Corpus, DataCard, Document, build_corpus, iter_documents, write_corpus
from .facts import Film, Person, Place, World, make_world
from .loaders import load_hf_dataset, load_text_corpus
from .probes import ClozeItem, lecture_examples, probes
from .scoring import rank_items, score_probes
from .writers import CATEGORIES

__all__ = [
    "CATEGORIES", "ClozeItem", "Corpus", "DataCard", "Document", "Film", "Person", "Place",
    "World", "build_corpus", "iter_documents", "lecture_examples", "load_hf_dataset", "load_text_corpus",
    "make_world", "probes", "rank_items", "score_probes", "splits", "write_corpus",
]
