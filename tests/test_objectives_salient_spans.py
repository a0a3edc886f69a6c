"""Salient span masking hides the world's entities, one per sentence so the clue stays visible."""

from __future__ import annotations

import pytest
import torch

from lecturekit.objectives.salient_spans import (
    entity_character_spans,
    entity_names,
    entity_pattern,
    runs,
    salient_spans,
    salient_token_flags,
    sentence_numbers,
)
from lecturekit.train.data import shared_lecture_tokenizer
from lecturekit.train.salient import SalientSpanStream
from lecturekit.world import build_corpus, make_world


@pytest.fixture(scope="module")
def world():
    return make_world(0)


def test_entities_are_the_worlds_names_places_and_numbers(world):
    person = world.people[0]
    text = f"{person.name} was born in {person.birthplace} in {person.birth_year}. She likes tea."
    pattern = entity_pattern(world)
    found = [text[a:b] for a, b in entity_character_spans(text, pattern)]
    assert found == [person.name, person.birthplace, str(person.birth_year)]
    assert entity_character_spans("She likes tea and walks.", pattern) == []


def test_token_flags_follow_the_characters():
    # tokens: "Ada" (0-3) " " "Novak" (4-9) "was" (10-13); the entity is 0-9
    flags = salient_token_flags([(0, 3), (4, 9), (10, 13)], [(0, 9)])
    assert flags == [True, True, False]
    assert runs([False, True, True, False, True]) == [(1, 3), (4, 5)]
    assert runs([]) == [] and runs([True]) == [(0, 1)]


def test_spans_are_entities_in_order_up_to_the_share():
    flags = [False, True, True, False, False, True, False, True, True, True] + [False] * 10
    every = salient_spans(flags, noise_density=1.0, generator=0)
    assert every == [(1, 3), (5, 6), (7, 10)]  # all of them when the share asks for more
    some = salient_spans(flags, noise_density=0.1, generator=0)  # 2 of 20 tokens
    assert some and set(some) <= set(every) and sum(b - a for a, b in some) >= 2
    assert some == sorted(some)
    assert salient_spans([False] * 8, 0.5, generator=0) == []
    assert len(salient_spans(flags, 1.0, generator=0, max_spans=2)) == 2


def test_one_entity_per_sentence_keeps_the_rest_of_the_sentence_visible():
    # "Ada Novak was born in Bergen. She likes Oslo." as flags: two entities in sentence 0, one in 1
    flags = [True, True, False, False, False, True, False, False, False, True, False]
    sentences = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
    for seed in range(20):
        chosen = salient_spans(flags, noise_density=1.0, generator=seed, sentences=sentences)
        assert len(chosen) == 2 and chosen[-1] == (9, 10)  # one of sentence 0, and sentence 1's only one
        assert chosen[0] in [(0, 2), (5, 6)]
    firsts = {salient_spans(flags, 1.0, generator=seed, sentences=sentences)[0] for seed in range(20)}
    assert firsts == {(0, 2), (5, 6)}, "either entity of a sentence can be the one hidden"
    with pytest.raises(ValueError, match="one sentence number per token"):
        salient_spans(flags, 1.0, generator=0, sentences=sentences[:-1])


def test_sentence_numbers_end_at_the_full_stop():
    text = "Ada was born in Bergen. She likes Oslo!"
    offsets = [(0, 3), (4, 7), (8, 12), (13, 15), (16, 22), (22, 23), (24, 27), (28, 33), (34, 38), (38, 39)]
    assert sentence_numbers(offsets, text) == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]


def test_the_stream_hides_entities_of_the_lecture_world(world):
    tokenizer = shared_lecture_tokenizer()
    documents = [d.text for d in build_corpus(3000).documents if d.category == "trivia"]
    stream = SalientSpanStream(tokenizer, documents, world, block_size=64, batch_size=4, seed=0, noise_density=0.15)
    batch = next(stream)
    assert set(batch) == {"input_ids", "attention_mask", "labels"}
    hidden_text = []
    pattern = entity_pattern(world)
    for block, flags in zip(stream.examples[:20], stream.flags[:20], strict=True):
        for start, end in salient_spans(flags, 0.15, torch.Generator().manual_seed(1)):
            assert all(flags[start:end])
            hidden_text.append(tokenizer.decode(block[start:end]))
    # Each hidden span is an entity, or the part of one that a block boundary left in this block.
    names = entity_names(world)
    assert hidden_text and all(pattern.search(text) or any(text in name for name in names) for text in hidden_text)
    assert sum(bool(pattern.fullmatch(text)) for text in hidden_text) > 0.8 * len(hidden_text)
    # trivia is full of names and places: without the one-per-sentence rule the share asked for
    # is reached; with it (the default) a 40% ceiling is not, and no sentence loses two entities
    every = SalientSpanStream(tokenizer, documents, world, block_size=64, batch_size=4, seed=0, noise_density=0.15,
                              one_per_sentence=False)
    for _ in range(6):
        next(every)
    assert 0.15 <= every.hidden_share < 0.3
    capped = SalientSpanStream(tokenizer, documents, world, block_size=64, batch_size=4, seed=0, noise_density=0.4)
    for _ in range(6):
        next(capped)
    assert 0.05 < capped.hidden_share < 0.3
    for flags, sentences in zip(capped.flags[:50], capped.sentences[:50], strict=True):
        hidden = salient_spans(flags, 0.4, torch.Generator().manual_seed(2), sentences=sentences)
        assert len({sentences[start] for start, _ in hidden}) == len(hidden)
