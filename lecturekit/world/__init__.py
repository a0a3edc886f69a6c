"""The lecture world: a generated pretraining corpus with knowledge probes.

A small deterministic world (people, cities, universities, films, rooms,
animals, number patterns) written out as varied English, so that everything a
model learns in pretraining can be checked against known facts.

    world = make_world(seed=0)                    # the facts
    samples(world)                                # one document per category
    corpus = build_corpus(1_000_000, seed=0)      # at least a million words
    corpus.data_card()                            # words per category, vocabulary, entities
    items = probes(world, "trivia")               # cloze items from the same facts
    score_probes(model, items)                    # top-1 / top-5 / MRR per category

Where things live (a module imports only modules listed above it):

    lexicon          the raw material: names, places, animals, rooms, words
    base             the category names, Document, ClozeItem, LabelledText
    facts            the world drawn from a seed: people, places, films
    writers/         one module per lecture category: the documents it writes and
                     the probes that test them (writers/base: Context, template helpers)
    corpus           documents until n words, the data card, streaming to disk, samples
    probes           the cloze items of every category (the one entry point)
    scoring          top-1 / top-5 / MRR of any scorer on the probes
    baselines        a counting scorer to beat
    bias             the pronoun-profession audit
    recipes, splits  held-out data for the fine-tuning experiments
    loaders          real text: local files, Hugging Face datasets
    cli              `lecturekit world`
"""

from . import splits  # sentiment transfer, birthplace QA, second domain
from .base import CATEGORIES, ClozeItem, Document, LabelledText
from .corpus import (
    Corpus,
    DataCard,
    build_corpus,
    iter_documents,
    sample_document,
    samples,
    write_corpus,
)
from .facts import Film, Person, Place, World, make_world
from .loaders import load_hf_dataset, load_text_corpus
from .probes import lecture_examples, probes
from .scoring import rank_items, score_probes

__all__ = [
    "CATEGORIES", "ClozeItem", "Corpus", "DataCard", "Document", "Film", "LabelledText", "Person", "Place",
    "World", "build_corpus", "iter_documents", "lecture_examples", "load_hf_dataset", "load_text_corpus",
    "make_world", "probes", "rank_items", "sample_document", "samples", "score_probes", "splits",
    "write_corpus",
]
