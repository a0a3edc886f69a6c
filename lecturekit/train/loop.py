"""A plain pretraining loop a student can read in one screen.

One step: take a batch, run the model (it returns the loss of its objective),
backpropagate, and every ``accumulation`` micro-batches clip the gradient norm
and take an AdamW step with the warm-up/cosine learning rate. Every
``eval_every`` steps: measure the validation loss and call the callbacks (live
plot, knowledge probes, checkpoints).

The loop does not know which objective it trains: masked LM, causal LM and span
corruption differ only in the batches they are given (``lecturekit.train.data``).
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

import torch

from ..runtime import device as default_device
from .schedule import warmup_cosine


@dataclass
class TrainConfig:
    steps: int = 200
    learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_steps: int = 20
    min_lr_ratio: float = 0.1
    grad_clip: float = 1.0
    accumulation: int = 1  # micro-batches per optimizer step
    eval_every: int = 50
    eval_batches: int = 4
    seed: int = 0

    def __post_init__(self) -> None:
        if self.steps <= 0 or self.accumulation <= 0 or self.eval_every <= 0:
            raise ValueError("steps, accumulation and eval_every must be positive")
        if self.learning_rate <= 0:
            raise ValueError(f"learning_rate must be positive, got {self.learning_rate}")
        self.warmup_steps = min(self.warmup_steps, self.steps)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class History:
    """What happened during training, for plots and model cards."""

    step: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)  # cumulative tokens seen
    eval_step: list[int] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    probes: list[dict] = field(default_factory=list)  # {"step", "category", "top1", ...}
    seconds: float = 0.0

    @property
    def final_train_loss(self) -> float:
        recent = self.train_loss[-20:]
        return sum(recent) / len(recent) if recent else float("nan")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainState:
    """Handed to callbacks after each evaluation."""

    step: int
    model: torch.nn.Module
    history: History
    config: TrainConfig


Callback = Callable[[TrainState], None]


def count_tokens(batch: dict) -> int:
    """Tokens the model read in this batch (padding excluded)."""
    mask = batch.get("attention_mask")
    return int(mask.sum()) if mask is not None else int(batch["input_ids"].numel())


def to_device(batch: dict, target: torch.device) -> dict:
    return {k: v.to(target) if torch.is_tensor(v) else v for k, v in batch.items()}


def _autocast(target: torch.device):
    # bf16 autocast on CUDA: matrix products in bfloat16 on the tensor cores,
    # master weights and the optimizer in float32. On the CPU we keep float32.
    if target.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


@torch.no_grad()
def evaluate(model: torch.nn.Module, batches: Iterable[dict], target: torch.device) -> float:
    """Mean loss over the given batches (weighted by tokens)."""
    was_training = model.training
    model.eval()
    total, weight = 0.0, 0
    for batch in batches:
        batch = to_device(batch, target)
        with _autocast(target):
            loss = model(**batch).loss
        n = count_tokens(batch)
        total += float(loss) * n
        weight += n
    model.train(was_training)
    return total / max(weight, 1)


def make_optimizer(model: torch.nn.Module, config: TrainConfig) -> torch.optim.AdamW:
    # No weight decay on biases and layer-norm gains: decaying them towards 0 only hurts.
    decay, no_decay = [], []
    for parameter in model.parameters():
        if parameter.requires_grad:
            (no_decay if parameter.ndim < 2 else decay).append(parameter)
    groups = [
        {"params": decay, "weight_decay": config.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=config.learning_rate, betas=(0.9, 0.98), eps=1e-8)


def train(
    model: torch.nn.Module,
    batches: Iterator[dict],
    config: TrainConfig,
    *,
    eval_batches: list[dict] | None = None,
    callbacks: Iterable[Callback] = (),
    device: torch.device | str | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    start_step: int = 0,
    history: History | None = None,
    progress: bool = True,
) -> History:
    """Train ``model`` for ``config.steps`` optimizer steps on ``batches``.

    ``batches`` yields dicts the model's forward accepts (including ``labels``), so
    ``model(**batch).loss`` is the objective. Pass ``optimizer``, ``start_step`` and
    ``history`` from a checkpoint to resume (``lecturekit.train.checkpoint``).
    """
    from tqdm.auto import tqdm

    target = torch.device(device) if device is not None else default_device()
    model.to(target).train()
    module = getattr(model, "module", model)  # under DistributedDataParallel: the model it wraps
    optimizer = optimizer or make_optimizer(model, config)
    history = history or History()
    callbacks = list(callbacks)
    total_tokens = history.tokens[-1] if history.tokens else 0
    bar = tqdm(total=config.steps, initial=start_step, desc="pretraining", disable=not progress, leave=False)
    started = time.perf_counter()
    window_tokens, window_start = 0, time.perf_counter()

    for step in range(start_step, config.steps):
        rate = config.learning_rate * warmup_cosine(step, config.warmup_steps, config.steps, config.min_lr_ratio)
        for group in optimizer.param_groups:
            group["lr"] = rate
        step_loss = 0.0
        for micro in range(config.accumulation):
            try:
                batch = to_device(next(batches), target)
            except StopIteration:
                raise ValueError(f"the batches ran out at step {step}; give more data or fewer steps") from None
            # One process's shard of a global batch carries its share of the loss (train.distributed).
            share, seen = batch.pop("loss_share", 1.0), batch.pop("global_tokens", None)
            # Under DistributedDataParallel the processes average gradients once per step, on the
            # last micro-batch; the earlier ones only add to their own (no_sync): the sum is the
            # same, with accumulation - 1 fewer exchanges per step.
            last_micro = micro + 1 == config.accumulation
            with (model.no_sync() if hasattr(model, "no_sync") and not last_micro else contextlib.nullcontext()):
                with _autocast(target):
                    loss = model(**batch).loss * share / config.accumulation
                if not torch.isfinite(loss):
                    raise FloatingPointError(f"loss became {float(loss)} at step {step}; lower the learning rate")
                loss.backward()
            step_loss += float(loss.detach())
            window_tokens += count_tokens(batch) if seen is None else seen
        step_loss = _mean_over_processes(step_loss)
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

        total_tokens += window_tokens
        history.step.append(step + 1)
        history.train_loss.append(step_loss)
        history.learning_rate.append(rate)
        history.tokens.append(total_tokens)
        elapsed = time.perf_counter() - window_start
        bar.set_postfix(loss=f"{step_loss:.3f}", tok_s=f"{window_tokens / max(elapsed, 1e-9):.0f}")
        bar.update(1)
        window_tokens, window_start = 0, time.perf_counter()

        last = step + 1 == config.steps
        if (step + 1) % config.eval_every == 0 or last:
            if eval_batches:
                history.eval_step.append(step + 1)
                history.val_loss.append(evaluate(module, eval_batches[: config.eval_batches], target))
            state = TrainState(step + 1, module, history, config)
            for callback in callbacks:
                callback(state)
    bar.close()
    history.seconds += time.perf_counter() - started
    model.eval()
    return history


def _mean_over_processes(value: float) -> float:
    # Several processes (train.distributed): each has a shard's loss; the step's loss is their mean.
    if not (torch.distributed.is_available() and torch.distributed.is_initialized()):
        return value
    on = "cuda" if torch.distributed.get_backend() == "nccl" else "cpu"  # NCCL reduces GPU tensors only
    total = torch.tensor([value], dtype=torch.float64, device=on)
    torch.distributed.all_reduce(total)
    return float(total) / torch.distributed.get_world_size()


def perplexity(loss: float) -> float:
    """exp(loss): the number of equally likely choices the model is as unsure as."""
    return math.exp(min(loss, 50.0))
