"""Pretraining on several processes: ``torchrun --nproc_per_node N -m lecturekit pretrain ...``.

torchrun starts N copies of the same command and tells each one its place through the
environment (RANK, WORLD_SIZE, LOCAL_RANK and where to meet). Every copy builds the same
model from the same seed and draws the same global batches; each keeps only its own rows
(its shard), and DistributedDataParallel averages the gradients during the backward pass.
So every copy takes the optimizer step that one process would take on the whole batch, and
the copies stay identical. Only rank 0 writes checkpoints, the card, logs and the progress bar.

On the CPU the copies talk through gloo, on CUDA through NCCL (one GPU per copy).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import torch
import torch.distributed as dist

from ..models.base import IGNORE_INDEX
from .loop import count_tokens


@dataclass(frozen=True)
class Ranks:
    rank: int = 0  # this process among all of them
    world: int = 1  # how many processes train together
    local: int = 0  # this process among those on its machine: which GPU it takes

    @property
    def main(self) -> bool:
        """The one process that writes files and prints."""
        return self.rank == 0


def ranks_from_environment(environment=None) -> Ranks:
    """What torchrun told this process; one process of one when started without it."""
    environment = os.environ if environment is None else environment
    return Ranks(int(environment.get("RANK", 0)), int(environment.get("WORLD_SIZE", 1)),
                 int(environment.get("LOCAL_RANK", 0)))


def batch_split_problem(batch_size: int, ranks: Ranks) -> str | None:
    """Why a global batch of ``batch_size`` sequences cannot be split over the processes, or None."""
    if ranks.world > batch_size:
        return (f"{ranks.world} processes but a batch of {batch_size} sequences: each process needs at "
                f"least one sequence per step. Start at most {batch_size} (torchrun --nproc_per_node) "
                f"or raise batch_size.")
    if batch_size % ranks.world:
        return (f"a batch of {batch_size} sequences does not split evenly over {ranks.world} processes; "
                f"use a batch_size that {ranks.world} divides")
    return None


def start(ranks: Ranks, device: torch.device) -> torch.device:
    """Join the other processes (nothing to join for one); the device this process trains on."""
    if ranks.world == 1:
        return device
    if device.type == "cuda":
        device = torch.device("cuda", ranks.local)
        torch.cuda.set_device(device)
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    return device


def wrap(model: torch.nn.Module, ranks: Ranks, device: torch.device) -> torch.nn.Module:
    """The model that averages its gradients over the processes (itself when alone)."""
    if ranks.world == 1:
        return model
    from torch.nn.parallel import DistributedDataParallel

    return DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)


def finish(ranks: Ranks) -> None:
    if ranks.world > 1 and dist.is_initialized():
        dist.destroy_process_group()


def loss_positions(labels: torch.Tensor, objective: str) -> int:
    """Positions the objective's loss averages over (a decoder predicts labels[t + 1] at t)."""
    return int((labels[:, 1:] if objective == "clm" else labels).ne(IGNORE_INDEX).sum())


def shard(batches: Iterator[dict], ranks: Ranks, objective: str) -> Iterator[dict]:
    """This process's rows of each global batch.

    The model's loss is a mean over the shard's own loss positions, and DDP averages the
    shards' gradients with equal weights. With masking, shards hide different numbers of
    tokens, so each shard carries ``loss_share`` (its positions x processes / the batch's
    positions): the weighted average is then the mean over the whole batch, as in one
    process. ``global_tokens`` lets the history count every process's tokens.
    """
    for batch in batches:
        rows = batch["input_ids"].shape[0] // ranks.world
        part = {key: value[ranks.rank * rows:(ranks.rank + 1) * rows] if torch.is_tensor(value) else value
                for key, value in batch.items()}
        everywhere = max(loss_positions(batch["labels"], objective), 1)
        part["loss_share"] = loss_positions(part["labels"], objective) * ranks.world / everywhere
        part["global_tokens"] = count_tokens(batch)
        yield part
