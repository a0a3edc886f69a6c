"""The shipped lecture models: they load fast, their cards tell the truth, and what they learned.

The quality bar: a model learned a category only if it beats the strongest simple
heuristic (the most frequent answer, or a surface rule such as "the candidate named
last": lecturekit.world.heuristics) by more than a stated margin. Where a shipped model
does not clear it, the category is left out of LEARNED, so the gap is visible here.
"""

from __future__ import annotations

import pytest

import lecturekit
from lecturekit.hub.lecture import checkpoint_dir
from lecturekit.train.cards import load_card
from lecturekit.world import CATEGORIES, make_world, probes, score_probes
from lecturekit.world.heuristics import heuristic_table

SHIPPED = ["lecture-bert", "lecture-gpt", "lecture-t5"]
MARGIN = 0.10  # top-1 accuracy above the strongest heuristic, in absolute terms

# Categories each model has learned: top-1 more than MARGIN above the best heuristic on all
# 240 probes (its card). Nobody is credited with world state: since the stories were redesigned
# the best surface rule gets 0.50 of them and lecture-bert reaches 0.454, lecture-gpt 0.254.
# Nor with coreference: the nearest name's pronoun still answers every coreference probe
# (test_world_heuristics.py), so no model can clear that bar until those probes are redesigned.
LEARNED = {
    "lecture-bert": ["trivia", "syntax", "lexical_semantics", "sentiment", "number_patterns"],
    "lecture-gpt": ["trivia", "syntax", "lexical_semantics", "sentiment", "number_patterns"],
    "lecture-t5": ["trivia", "lexical_semantics"],  # number patterns: 0.17, the "not yet named" rule 0.10
}


@pytest.mark.parametrize("name", SHIPPED)
def test_checkpoint_is_small_and_loads(name):
    # (Load time is measured in benchmarks/bench_hub.py, not here: shared machines are noisy.)
    folder = checkpoint_dir(name)
    size = sum(f.stat().st_size for f in folder.iterdir())
    assert size < 10 * 2**20, f"{name} is {size / 2**20:.1f} MB"
    model = lecturekit.load_model(name, device="cpu")
    assert model.kind == load_card(name)["kind"]


@pytest.mark.parametrize("name", SHIPPED)
def test_card_records_how_the_model_was_made(name):
    card = load_card(name)
    for key in ("command", "data", "steps", "wall_time_seconds", "device", "final_train_loss", "probes"):
        assert key in card
    assert card["command"].startswith("lecturekit pretrain --config configs/")
    assert [row["category"] for row in card["probes"]] == list(CATEGORIES)
    readme = (checkpoint_dir(name) / "README.md").read_text()
    assert card["command"] in readme


@pytest.fixture(scope="module")
def bars():
    world = make_world(0)
    return heuristic_table(world, probes(world), margin=MARGIN)["bar to clear"]


@pytest.mark.parametrize("name", SHIPPED)
def test_learned_lists_exactly_what_the_card_shows(name, bars):
    # Keeps LEARNED honest both ways: no claim the card does not back, no learned category left out.
    rows = {row["category"]: row for row in load_card(name)["probes"]}
    backed = [c for c in CATEGORIES if rows[c]["top1"] > bars[c] + 1e-9]
    assert backed == LEARNED.get(name, [])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LEARNED))
def test_learned_categories_beat_the_baseline_and_match_the_card(name, bars):
    model = lecturekit.load_model(name, device="cpu")
    # All 240 probes of each learned category: a sample has its own most-frequent answer, and
    # a sample's baseline can sit far from the full one (0.10 against 0.05 for number patterns).
    items = [item for category in LEARNED[name] for item in probes(make_world(0), category)]
    table = score_probes(model, items)
    card = {row["category"]: row for row in load_card(name)["probes"]}
    for category in LEARNED[name]:
        top1, baseline = table.loc[category, "top1"], table.loc[category, "baseline_top1"]
        assert top1 >= baseline + MARGIN, f"{name} {category}: {top1:.3f} vs baseline {baseline:.3f}"
        assert top1 > bars[category], f"{name} {category}: {top1:.3f} vs best heuristic + margin {bars[category]:.3f}"
        # The shipped weights, loaded the way users load them, give the card's numbers.
        assert abs(top1 - card[category]["top1"]) < 0.005, f"{name} {category}: {top1:.3f}, card {card[category]['top1']}"


@pytest.mark.slow
def test_shipped_tokenizer_still_fits_the_world_it_was_learned_before_the_redesign():
    # The shared tokenizer was learned from the config's corpus at commit 62e1ac9, before the
    # world-state stories and biographies were rewritten; the retrained models kept it, so that
    # notebook 01's tables and every checkpoint agree on one vocabulary (configs/lecture-*.json
    # say so). What must hold for today's corpus: nothing unknown, and about as few tokens per
    # word as a tokenizer learned on today's corpus by the same recipe.
    import json

    from lecturekit.train.data import build_tokenizer, shared_lecture_tokenizer
    from lecturekit.train.pretrain import corpus_documents

    config = json.loads((checkpoint_dir("lecture-bert").parents[2] / "configs" / "lecture-bert.json").read_text())
    assert "62e1ac9" in config["tokenizer"]["learned_from"]
    documents, _ = corpus_documents(config["corpus"])
    shipped = shared_lecture_tokenizer()
    rebuilt = build_tokenizer(documents, num_merges=config["tokenizer"]["num_merges"])
    sample = documents[:3000]
    words = sum(len(text.split()) for text in sample)
    unknown = shipped.token_to_id("[UNK]")
    shipped_ids = [ids for encoding in shipped.encode_batch(sample) for ids in encoding.ids]
    assert unknown not in shipped_ids
    rebuilt_count = sum(len(encoding.ids) for encoding in rebuilt.encode_batch(sample))
    assert len(shipped_ids) / words < 1.03 * rebuilt_count / words


def test_training_summary_reads_each_models_budget_from_its_config_and_card():
    import json

    from lecturekit.train.cards import training_summary

    table = training_summary(SHIPPED)
    for name in SHIPPED:
        config = json.loads((checkpoint_dir(name).parents[2] / "configs" / f"{name}.json").read_text())
        assert table.loc["steps", name] == load_card(name)["steps"] == config["train"]["steps"]
        assert table.loc["peak learning rate", name] == config["train"]["learning_rate"]
    assert table.loc["hidden share", "lecture-bert"] == 0.4
    assert table.loc["hidden share", "lecture-gpt"] is None
