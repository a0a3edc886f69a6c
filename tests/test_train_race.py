"""The fair race (``lecturekit.train.race``): one yardstick for masked LM and causal LM.

Tiny sizes (a 16-wide, one-layer model, a few steps), so each race takes seconds on one core.
The block is 128 tokens because the longest probes (world-state stories) need that much context.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import torch

import lecturekit.train.callbacks as callbacks
from lecturekit.models.layers import Embeddings, sinusoidal_positions
from lecturekit.train.data import SPECIAL_TOKENS, build_tokenizer, framed
from lecturekit.train.pretrain import ConfigError, probe_items
from lecturekit.train.race import LABELS, RECIPES, plot_race, race, race_table, recipe_settings
from lecturekit.world import CATEGORIES, build_corpus, make_world, score_probes
from lecturekit.world.heuristics import heuristic_table

ROOT = Path(__file__).resolve().parent.parent
TINY = dict(steps=4, eval_every=2, batch_size=2, block_size=128, d_model=16, n_layers=1, plot=False, device="cpu")
KINDS = {"mlm": "masked-lm", "clm": "causal-lm"}


@pytest.fixture(scope="module")
def documents():
    return [d.text for d in build_corpus(20_000, seed=1).documents]


@pytest.fixture(scope="module")
def tokenizer(documents):
    return build_tokenizer(documents, num_merges=400)


@pytest.fixture(scope="module")
def items():
    return probe_items(2)  # two per category, every category


@pytest.fixture(scope="module")
def bars(items):
    return heuristic_table(make_world(0), items)


@pytest.fixture(scope="module")
def working(tokenizer, documents, items):
    return race(tokenizer, documents, items, recipe="working", **TINY)


def position_tables(model) -> list[torch.Tensor]:
    return [m.position.weight.detach() for m in model.modules() if isinstance(m, Embeddings)]


def masked_share(run, batches: int = 10) -> float:
    """Share of the maskable (non-special) tokens that carry a masked-LM label."""
    special = torch.tensor([run.batches.ids[t] for t in SPECIAL_TOKENS])
    chosen = maskable = 0
    for _ in range(batches):
        batch = next(run.batches)
        can = ~torch.isin(batch["input_ids"], special) | (batch["labels"] != -100)
        chosen += int((batch["labels"] != -100).sum())
        maskable += int(can.sum())
    return chosen / maskable


def test_both_models_rank_the_same_candidates_of_the_same_probes(tokenizer, documents, items, monkeypatch):
    calls = []  # one list per probe scoring: (kind, text, candidates)
    real = callbacks.probe_scorer

    class Recording:
        def __init__(self, scorer, kind):
            self.scorer, self.kind, self.seen = scorer, kind, []
            calls.append(self)

        def score_candidates(self, text, candidates):
            self.seen.append((text, tuple(candidates)))
            return self.scorer.score_candidates(text, candidates)

    monkeypatch.setattr(callbacks, "probe_scorer", lambda model, tok, kind: Recording(real(model, tok, kind), kind))
    result = race(tokenizer, documents, items, recipe="bert", **TINY)
    expected = [(item.text, item.candidates) for item in items]
    by_kind = {kind: [c.seen for c in calls if c.kind == kind] for kind in KINDS.values()}
    assert len(by_kind["masked-lm"]) == len(by_kind["causal-lm"]) == 2  # evaluations at steps 2 and 4
    for seen in by_kind["masked-lm"] + by_kind["causal-lm"]:
        assert seen == expected
    curves = result.curves()
    assert set(curves["model"]) == {result.label("mlm"), result.label("clm")}
    per_model = curves.groupby("model")[["step", "category", "n"]].apply(lambda g: g.values.tolist())
    assert per_model.iloc[0] == per_model.iloc[1]


def test_both_models_read_the_same_number_of_tokens(working):
    encoder, decoder = working.runs["mlm"].history, working.runs["clm"].history
    assert encoder.tokens == decoder.tokens
    assert encoder.tokens[-1] == TINY["steps"] * TINY["batch_size"] * TINY["block_size"]
    curves = working.curves()
    steps = curves.groupby("model")["tokens"].apply(sorted)
    assert steps.iloc[0] == steps.iloc[1]
    assert sorted(set(curves["tokens"])) == [2 * 2 * 128, 4 * 2 * 128]


def test_the_table_is_score_probes_on_the_final_models(working, tokenizer, items, bars):
    table = race_table(working, bars)
    assert list(table.index) == list(CATEGORIES)
    for objective, run in working.runs.items():
        kind = KINDS[objective]
        again = score_probes(callbacks.probe_scorer(run.model, framed(tokenizer, kind), kind), items)
        pd.testing.assert_series_equal(table[working.label(objective)], again["top1"], check_names=False)
    pd.testing.assert_series_equal(table["best surface rule"], bars["best heuristic"], check_names=False)
    pd.testing.assert_series_equal(table["majority answer"], bars["majority answer"], check_names=False)


def test_learned_means_beating_the_best_rule_by_the_margin(working, bars):
    low, high = bars.copy(), bars.copy()
    low["best heuristic"] = -1.0
    high["best heuristic"] = 1.0
    label = working.label("clm")
    assert set(race_table(working, low)[f"{label} learned?"]) == {"yes"}
    assert set(race_table(working, high)[f"{label} learned?"]) == {"no"}
    edge = bars.copy()
    final = race_table(working, bars)[label]
    edge["best heuristic"] = final - 0.10  # exactly at the bar: not enough
    assert set(race_table(working, edge)[f"{label} learned?"]) == {"no"}
    edge["best heuristic"] = final - 0.11
    assert set(race_table(working, edge)[f"{label} learned?"]) == {"yes"}


def test_the_same_seed_gives_the_same_race(working, tokenizer, documents, items):
    again = race(tokenizer, documents, items, recipe="working", **TINY)
    pd.testing.assert_frame_equal(working.curves(), again.curves())
    for objective in LABELS:
        first, second = working.runs[objective], again.runs[objective]
        assert first.history.train_loss == second.history.train_loss
        assert all(torch.equal(a, b) for a, b in zip(first.model.state_dict().values(),
                                                      second.model.state_dict().values(), strict=True))
    other = race(tokenizer, documents, items, recipe="working", **{**TINY, "seed": 1})
    assert other.runs["clm"].history.train_loss != working.runs["clm"].history.train_loss


def test_working_recipe_masks_40_percent_and_starts_positions_as_sinusoids(working, tokenizer, documents, items):
    encoder = working.runs["mlm"]
    assert encoder.settings["masking"] == {"mask_rate": 0.4}
    assert encoder.settings["learning_rate"] == 1e-3
    assert masked_share(encoder) == pytest.approx(0.4, abs=0.04)
    (table,) = position_tables(encoder.model)
    sinusoids = 0.1 * sinusoidal_positions(*table.shape)
    # Four small steps move the table a little, not away from where it started.
    assert (table - sinusoids).norm() / sinusoids.norm() < 0.15
    # The decoder is the same under both recipes: random positions, no masking.
    (decoder_table,) = position_tables(working.runs["clm"].model)
    assert (decoder_table - sinusoids).norm() / sinusoids.norm() > 0.5
    assert "labels" in next(working.runs["clm"].batches)

    bert = race(tokenizer, documents, items, recipe="bert", decoder_from=working, **TINY)
    assert masked_share(bert.runs["mlm"]) == pytest.approx(0.15, abs=0.04)
    (bert_table,) = position_tables(bert.runs["mlm"].model)
    assert (bert_table - sinusoids).norm() / sinusoids.norm() > 0.5
    assert bert.runs["clm"] is working.runs["clm"]


def test_the_working_recipe_is_lecture_berts():
    config = json.loads((ROOT / "configs" / "lecture-bert.json").read_text())
    working = RECIPES["working"]
    assert working["masking"] == config["masking"]
    assert working["init"] == config["init"]
    assert working["learning_rate"] == config["train"]["learning_rate"]
    assert recipe_settings("clm", "working") == recipe_settings("clm", "bert")


def test_bad_races_fail_before_training(working, tokenizer, documents, items):
    with pytest.raises(ValueError, match="recipe must be one of"):
        race(tokenizer, documents, items, recipe="roberta", **TINY)
    with pytest.raises(ConfigError, match="max_positions"):  # the world-state stories do not fit in 64
        race(tokenizer, documents, items, **{**TINY, "block_size": 64})
    with pytest.raises(ValueError, match="other steps"):
        race(tokenizer, documents, items, decoder_from=working, **{**TINY, "steps": 2})
    with pytest.raises(ValueError, match="other data"):
        race(tokenizer, documents[:-1], items, decoder_from=working, **TINY)
    with pytest.raises(ValueError, match="other probe items"):
        race(tokenizer, documents, items[:3], decoder_from=working, **TINY)


def test_plot_has_a_panel_per_category_with_the_bars_and_no_losses(working, bars):
    figure = plot_race(working, bars, categories=["coreference", "trivia"])
    axes = [axis for axis in figure.axes if axis.get_visible() and axis.lines]
    assert [axis.get_title().split()[0] for axis in axes] == ["coreference", "trivia"]
    for axis in axes:
        labels = [line.get_label() for line in axis.lines]
        assert labels[:2] == [working.label("mlm"), working.label("clm")]
        assert {"majority answer", "best surface rule"} <= set(labels)
        assert axis.get_xlabel() == "tokens read"
        assert "loss" not in axis.get_title().lower() + axis.get_ylabel().lower()
    coreference, trivia = axes
    chance = [line for line in coreference.lines if line.get_label().startswith("chance")]
    assert len(chance) == 1 and list(chance[0].get_ydata()) == [0.5, 0.5]
    assert not any(line.get_label().startswith("chance") for line in trivia.lines)  # 40 candidates
    assert "loss" not in figure.get_suptitle().lower()
