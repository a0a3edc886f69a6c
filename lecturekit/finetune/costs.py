"""What each fine-tuning method costs, measured on a real training step (not from a formula).

For one batch and one method, ``measure_costs`` builds the classifier, takes
training steps and reports:

- trainable parameters, absolute and as a share of the model's;
- the bytes of gradients and of AdamW state that exist after a step: a frozen
  parameter has neither, which is where parameter-efficient methods save memory;
- wall time per step (the median of several, after the first);
- peak memory of the first step above what was in use before it. On a GPU:
  ``torch.cuda.max_memory_allocated``, the allocator's own count. On a CPU,
  torch's allocations are invisible to ``tracemalloc``, so we ask the operating
  system: the process's resident memory (psutil), sampled every half millisecond
  while the step runs, after handing freed memory back to the system first
  (glibc's ``malloc_trim``) so that the step cannot hide in memory freed earlier.
"""

from __future__ import annotations

import ctypes
import gc
import os
import statistics
import threading
import time

import pandas as pd
import torch

from ..train.loop import TrainConfig, make_optimizer
from .heads import build_network
from .inputs import batch, check_examples, encode, label_classes, label_ids
from .methods import LEARNING_RATES, METHODS
from .training import training_step

MB = 2**20


def _trim_freed_memory() -> None:
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, Windows): the baseline may be a little high
        pass


class ResidentPeak:
    """Peak growth of the process's resident memory while the ``with`` block runs (bytes)."""

    def __init__(self, interval_s: float = 0.0005):
        try:
            import psutil

            self._process = psutil.Process()
        except ImportError:  # Linux without psutil: read /proc directly
            self._process = None
        self.interval_s, self.growth = interval_s, 0

    def _rss(self) -> int:
        if self._process is not None:
            return self._process.memory_info().rss
        with open("/proc/self/statm") as file:
            return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._peak = max(self._peak, self._rss())
            time.sleep(self.interval_s)

    def __enter__(self):
        _trim_freed_memory()
        self._start = self._peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.growth = max(self._peak, self._rss()) - self._start
        return False


def _bytes(tensors) -> int:
    return sum(t.numel() * t.element_size() for t in tensors if torch.is_tensor(t))


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def measure_costs(model, method: str = "full", texts=None, labels=None, *, batch_size: int = 8,
                  steps: int = 5, seed: int = 0, device=None, **method_options) -> dict:
    """One row of the cost table for ``method`` on ``model`` (see the module docstring).

    ``texts``/``labels`` default to the lecture world's sentiment reviews; the
    first ``batch_size`` of them form the batch every step uses.
    """
    if texts is None:
        from ..world.splits import sentiment_transfer

        reviews = sentiment_transfer(n_train=max(batch_size, 2), n_test=2).train
        texts, labels = [r.text for r in reviews], [r.label for r in reviews]
    texts, labels = check_examples(texts, labels)
    classes = label_classes(labels)
    network, settings = build_network(model, method, len(classes), seed=seed, device=device, **method_options)
    target = network.head.weight.device
    rows, _ = encode(model, texts[:batch_size], model.max_length - network.adaptation.virtual_tokens)
    ids, mask = batch(rows, model.specials.pad, target)
    targets = label_ids(labels[:batch_size], classes).to(target)
    optimizer = make_optimizer(network, TrainConfig(steps=steps + 1, learning_rate=LEARNING_RATES[method]))
    network.train()

    # The first step: peak memory, and the gradients and optimizer state it leaves behind.
    if target.type == "cuda":
        _synchronize(target)
        torch.cuda.empty_cache()
        before = torch.cuda.memory_allocated(target)
        torch.cuda.reset_peak_memory_stats(target)
        training_step(network, optimizer, ids, mask, targets, grad_clip=1.0)
        _synchronize(target)
        peak, measure = torch.cuda.max_memory_allocated(target) - before, "cuda max_memory_allocated"
    else:
        with ResidentPeak() as watch:
            training_step(network, optimizer, ids, mask, targets, grad_clip=1.0)
        peak, measure = watch.growth, "process resident memory growth"
    parameters = list({id(p): p for p in network.parameters()}.values())
    gradient_bytes = _bytes(p.grad for p in parameters if p.grad is not None)
    optimizer_bytes = _bytes(value for state in optimizer.state.values() for value in state.values())
    optimizer.zero_grad(set_to_none=True)

    seconds = []
    for _ in range(steps):
        _synchronize(target)
        start = time.perf_counter()
        training_step(network, optimizer, ids, mask, targets, grad_clip=1.0)
        optimizer.zero_grad(set_to_none=True)
        _synchronize(target)
        seconds.append(time.perf_counter() - start)
    trainable = sum(p.numel() for p in parameters if p.requires_grad)
    total = sum(p.numel() for p in parameters)
    return {
        "model": model.name,
        "method": method,
        "settings": ", ".join(f"{k}={v}" for k, v in settings.items()),
        "trainable": trainable,
        "trainable %": 100.0 * trainable / total,
        "gradients MB": gradient_bytes / MB,
        "optimizer MB": optimizer_bytes / MB,
        "ms per step": 1000 * statistics.median(seconds) if seconds else float("nan"),
        "peak MB": peak / MB,
        "memory measure": measure,
        "device": target.type,
    }


def cost_table(model, methods=METHODS, texts=None, labels=None, *, options: dict | None = None,
               **settings) -> pd.DataFrame:
    """``measure_costs`` for each method, one row each; ``options`` maps a method to its settings."""
    options = options or {}
    return pd.DataFrame(
        [measure_costs(model, m, texts, labels, **settings, **options.get(m, {})) for m in methods]
    )
