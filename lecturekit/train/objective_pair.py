"""Prefix LM against span corruption: two encoder-decoders alike but for the objective (notebook 06).

T5's study of objectives (Raffel et al., 2020, section 3.3) pretrained the same
encoder-decoder with several objectives and found denoising (span corruption)
better downstream than a prefix LM. ``objective_pair`` repeats the comparison at
lecture scale: two ``LectureT5`` of the same size, started from the same seed,
reading the same blocks of the same documents in the same order for the same
number of steps; only what the encoder sees and the decoder must write differs:

- "span": the block with spans replaced by sentinels in, the spans out;
- "prefix": the block up to a random point in, the rest out.

Their losses are not comparable (different tasks), so they are judged
downstream on one yardstick: the same fine-tuning on birthplace questions, the
same held-out people (``lecturekit.finetune.experiments.closed_book``).
"""

from __future__ import annotations

import torch
from tokenizers import Tokenizer

from ..hub.factory import build_model
from .data import framed
from .experiments import Run, small_pretraining

OBJECTIVES = ("span", "prefix")
LABELS = {"span": "span corruption", "prefix": "prefix LM"}
# lecture-t5's recipe (configs/lecture-t5.json): sinusoid-started positions, 40% of tokens hidden.
INIT = {"positions": "sinusoidal", "scale": 0.1}
MASKING = {"span": {"noise_density": 0.4, "mean_span_length": 3.0}, "prefix": {}}


def objective_pair(tokenizer: Tokenizer, documents: list[str], *, steps: int = 300, batch_size: int = 16,
                   block_size: int = 128, d_model: int = 64, n_layers: int = 2, learning_rate: float = 1e-3,
                   seed: int = 0, plot: bool = False, device=None) -> dict[str, Run]:
    """Pretrain one encoder-decoder per objective, alike in everything else."""
    return {
        objective: small_pretraining(objective, tokenizer, documents, steps=steps, batch_size=batch_size,
                                     block_size=block_size, learning_rate=learning_rate, eval_every=steps,
                                     d_model=d_model, n_layers=n_layers, seed=seed, plot=plot, device=device,
                                     masking=MASKING[objective], init=INIT)
        for objective in OBJECTIVES
    }


def as_language_model(run: Run, tokenizer: Tokenizer, name: str | None = None):
    """The run's model behind the one model interface (to fine-tune, generate and score it)."""
    module = run.model.eval()
    device = next(module.parameters()).device
    return build_model(module, framed(tokenizer, "encoder-decoder"), kind="encoder-decoder",
                       name=name or f"{LABELS[run.objective]} ({run.parameters / 1e6:.2f}M)",
                       max_length=module.config.max_positions, device=device, dtype=torch.float32)
