"""Pretraining on several processes (torchrun, DistributedDataParallel over gloo on the CPU).

The promise of ``lecturekit.train.distributed``: N processes, each reading its own shard of
every global batch, take the same steps as one process reading the whole batch. The slow
test checks it on real processes started by torchrun, with masked LM, where the shards hide
different numbers of tokens and a plain average of the shards' losses would be wrong.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from lecturekit.models.base import cross_entropy
from lecturekit.train import BatchStream
from lecturekit.train.data import shared_lecture_tokenizer
from lecturekit.train.distributed import (
    Ranks,
    batch_split_problem,
    loss_positions,
    ranks_from_environment,
    shard,
)

ROOT = Path(__file__).resolve().parent.parent
TORCHRUN = Path(sys.executable).with_name("torchrun")
TEXTS = ["Iroh went into the kitchen to make some tea .", "Zuko left the kitchen after lunch ."] * 60


def test_ranks_come_from_torchruns_environment():
    assert ranks_from_environment({}) == Ranks(0, 1, 0) and ranks_from_environment({}).main
    ranks = ranks_from_environment({"RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1"})
    assert ranks == Ranks(3, 4, 1) and not ranks.main


def test_a_batch_that_cannot_be_split_is_refused_with_the_numbers():
    assert batch_split_problem(8, Ranks(0, 2)) is None and batch_split_problem(8, Ranks(0, 1)) is None
    too_many = batch_split_problem(2, Ranks(0, 3))
    assert "3 processes" in too_many and "batch of 2" in too_many and "--nproc_per_node" in too_many
    assert "split evenly over 3" in batch_split_problem(8, Ranks(0, 3))


@pytest.mark.parametrize("objective", ["mlm", "clm", "span"])
def test_shards_rebuild_the_batch_and_their_weighted_losses_average_to_its_loss(objective):
    tokenizer = shared_lecture_tokenizer()
    whole = next(iter(BatchStream(tokenizer, TEXTS, objective, block_size=16, batch_size=6, seed=0,
                                  mask_rate=0.4)))
    parts = [next(shard(iter([whole]), Ranks(rank, 3), objective)) for rank in range(3)]
    assert torch.equal(torch.cat([p["input_ids"] for p in parts]), whole["input_ids"])
    assert torch.equal(torch.cat([p["labels"] for p in parts]), whole["labels"])
    assert sum(loss_positions(p["labels"], objective) for p in parts) == loss_positions(whole["labels"], objective)

    # Any model's per-position losses: the shards' weighted means, averaged as DDP averages
    # gradients, must equal the mean over the whole batch.
    vocab = tokenizer.get_vocab_size()
    logits = torch.randn(*whole["labels"].shape, vocab, generator=torch.Generator().manual_seed(0))

    def loss(labels, rows):
        if objective == "clm":  # a decoder's loss at t is against labels[t + 1]
            return cross_entropy(logits[rows, :-1], labels[:, 1:])
        return cross_entropy(logits[rows], labels)

    size = whole["labels"].shape[0] // 3
    shares = [p["loss_share"] * loss(p["labels"], slice(r * size, (r + 1) * size)) for r, p in enumerate(parts)]
    assert torch.allclose(sum(shares) / 3, loss(whole["labels"], slice(None)), atol=1e-6)
    if objective == "mlm":  # masking hides different numbers per shard: the weights matter
        assert len({round(p["loss_share"], 6) for p in parts}) > 1


def tiny_config(folder: Path, name: str, steps: int = 4) -> Path:
    config = {
        "name": "tiny", "objective": "mlm",
        "model": {"d_model": 32, "n_heads": 2, "n_layers": 1, "d_ff": 64, "max_positions": 128,
                  "dropout": 0.0, "attention_dropout": 0.0},
        "corpus": {"words": 20000, "seed": 0},
        "tokenizer": {"path": str(ROOT / "lecturekit" / "checkpoints" / "tokenizer.json")},
        "block_size": 32, "batch_size": 8, "masking": {"mask_rate": 0.4},
        "train": {"steps": steps, "learning_rate": 0.01, "warmup_steps": 1, "eval_every": 2, "eval_batches": 1},
        "probes_per_category": 2, "score_all_probes": False,
        "out": str(folder / name), "work_dir": str(folder / f"{name}-work"),
    }
    path = folder / f"{name}.json"
    path.write_text(json.dumps(config))
    return path


def pretrain(config: Path, processes: int, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "lecturekit", "pretrain", "--config", str(config), *extra]
    if processes > 1:
        command = [str(TORCHRUN), "--standalone", f"--nproc_per_node={processes}", "-m", "lecturekit",
                   "pretrain", "--config", str(config), *extra]
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=240, cwd=config.parent)


def weights(folder: Path) -> dict:
    return load_file(str(folder / "model.safetensors"))


@pytest.mark.slow
def test_two_processes_take_the_steps_of_one_and_only_rank_0_writes(tmp_path):
    one = pretrain(tiny_config(tmp_path, "one"), 1)
    two = pretrain(tiny_config(tmp_path, "two"), 2)
    assert one.returncode == 0, one.stderr[-3000:]
    assert two.returncode == 0, two.stderr[-3000:]
    a, b = weights(tmp_path / "one"), weights(tmp_path / "two")
    assert a.keys() == b.keys()
    for name in a:
        assert torch.allclose(a[name], b[name], atol=1e-5), (name, float((a[name] - b[name]).abs().max()))
    # One process speaks and writes: one "wrote" line, one progress bar, a card that says so.
    assert two.stdout.count("wrote ") == 1, two.stdout
    assert two.stderr.count("?it/s]") == 1  # a bar is drawn bare once, when it starts
    card = json.loads((tmp_path / "two" / "card.json").read_text())
    assert card["device"].endswith("x 2 processes") and card["data"]["tokens_seen"] == 4 * 8 * 32
    assert card["final_train_loss"] == pytest.approx(json.loads((tmp_path / "one" / "card.json").read_text())
                                                     ["final_train_loss"], abs=1e-4)

    # Resume: both continue from their own step-4 checkpoints to step 6, and still agree.
    for name, processes in (("one", 1), ("two", 2)):
        config = tiny_config(tmp_path, name, steps=6)
        resumed = pretrain(config, processes, "--resume", str(tmp_path / f"{name}-work"))
        assert resumed.returncode == 0, resumed.stderr[-3000:]
    a, b = weights(tmp_path / "one"), weights(tmp_path / "two")
    assert all(torch.allclose(a[name], b[name], atol=1e-5) for name in a)
    assert json.loads((tmp_path / "two-work" / "trainer_state.json").read_text())["step"] == 6


@pytest.mark.slow
def test_more_processes_than_sequences_fail_before_training(tmp_path):
    config = tiny_config(tmp_path, "many")
    settings = json.loads(config.read_text())
    config.write_text(json.dumps({**settings, "batch_size": 2}))
    result = pretrain(config, 3)
    assert result.returncode != 0
    assert result.stderr.count("error: 3 processes but a batch of 2 sequences") == 1  # rank 0 says it
    # torchrun reports its failed children with a traceback of its own; none comes from lecturekit.
    assert "lecturekit/" not in result.stderr and not (tmp_path / "many-work").exists()


def test_accumulated_micro_batches_exchange_gradients_once_per_step(tmp_path):
    """Under DDP, gradient accumulation averages across processes on a step's last micro-batch
    only (no_sync on the others), and takes the same step as the unwrapped model."""
    import copy

    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    from lecturekit.models import LectureBERT, TransformerConfig
    from lecturekit.train.loop import TrainConfig, train

    tokenizer = shared_lecture_tokenizer()

    def stream():
        return BatchStream(tokenizer, TEXTS, "mlm", block_size=16, batch_size=4, seed=0, mask_rate=0.4)

    torch.manual_seed(0)
    plain = LectureBERT(TransformerConfig.bert_like(tokenizer.get_vocab_size(), d_model=32, n_heads=2, n_layers=1,
                                                    d_ff=64, max_positions=32, dropout=0.0, attention_dropout=0.0))
    wrapped_model = copy.deepcopy(plain)
    dist.init_process_group("gloo", init_method=f"file://{tmp_path / 'rendezvous'}", rank=0, world_size=1)
    try:
        wrapped = DistributedDataParallel(wrapped_model)
        exchanges = []

        def count(state, bucket):  # a comm hook: called for each bucket each time gradients are averaged
            exchanges.append(bucket.index())
            done = torch.futures.Future()
            done.set_result(bucket.buffer())  # one process: the average is its own gradient
            return done

        wrapped.register_comm_hook(None, count)
        settings = dict(learning_rate=1e-3, warmup_steps=1, eval_every=100, seed=0)
        train(wrapped, stream(), TrainConfig(steps=2, accumulation=3, **settings), device="cpu", progress=False)
        buckets = len(set(exchanges))  # each averaging sends every bucket once
        assert buckets >= 1 and len(exchanges) == 2 * buckets  # once per step, not once per micro-batch (2 x 3)
    finally:
        dist.destroy_process_group()
    train(plain, stream(), TrainConfig(steps=2, accumulation=3, **settings), device="cpu", progress=False)
    for (name, a), b in zip(plain.named_parameters(), wrapped_model.parameters(), strict=True):
        assert torch.allclose(a, b, atol=1e-6), name
