"""Small pretraining experiments for notebook 03, each a function the notebook calls.

- ``small_pretraining``: train a small model with one objective on the lecture
  world, with probes along the way (``lecturekit.train.race`` runs two of them as
  the fair race: same data, same size, same number of tokens, same probes).
- ``cheating_batches`` / ``greedy_continue``: what goes wrong when a model that
  sees the whole sentence is trained to predict the next word.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import torch
from tokenizers import Tokenizer

from ..hub.generation import continue_tokens
from ..models import count_parameters
from ..runtime import seed_everything
from .callbacks import LivePlot, ProbeCallback
from .data import BatchStream, framed
from .loop import History, TrainConfig, train
from .pretrain import MASKING_SETTINGS, OBJECTIVES, build_model


@dataclass
class Run:
    objective: str
    model: torch.nn.Module
    history: History
    parameters: int
    # What the run was given, so a later reader (or test) can check the recipe it really had:
    # the sizes and training settings, and the training batch stream itself.
    settings: dict = field(default_factory=dict)
    batches: BatchStream | None = None


def small_model(objective: str, vocab_size: int, d_model: int = 64, n_layers: int = 2, max_positions: int = 64,
                seed: int = 0, init: dict | None = None):
    """A freshly initialised small model; ``init`` is a pretraining config's "init" entry
    (``lecturekit.train.pretrain.build_model`` reads it, so both start models the same way)."""
    seed_everything(seed)
    sizes = {"d_model": d_model, "n_heads": 4, "n_layers": n_layers, "d_ff": 4 * d_model,
             "max_positions": max_positions, "dropout": 0.0, "attention_dropout": 0.0, "type_vocab_size": 0}
    return build_model({"objective": objective, "model": sizes, "init": init or {}}, vocab_size)


def check_masking(objective: str, masking: dict) -> None:
    """The masking settings must be ones the objective's batches use (as a config's must)."""
    unknown = set(masking) - MASKING_SETTINGS[objective]
    if unknown:
        raise ValueError(f"masking settings {', '.join(sorted(unknown))} do not apply to objective {objective!r}")


def data_fingerprint(tokenizer: Tokenizer, documents: list[str]) -> str:
    """A short digest of the tokenizer and the documents: two runs with equal digests read the same data."""
    digest = hashlib.sha1(tokenizer.to_str().encode())
    for document in documents:
        digest.update(document.encode() + b"\0")
    return digest.hexdigest()[:16]


def small_pretraining(objective: str, tokenizer: Tokenizer, documents: list[str], *, steps: int = 300,
                      batch_size: int = 16, block_size: int = 64, learning_rate: float = 3e-3,
                      probe_items=(), eval_every: int = 100, d_model: int = 64, n_layers: int = 2,
                      seed: int = 0, plot: bool = True, device=None, masking: dict | None = None,
                      init: dict | None = None) -> Run:
    """Pretrain a small model from scratch with ``objective`` ("mlm", "clm" or "span").

    ``masking`` and ``init`` have the shape of a pretraining config's entries (see
    ``lecturekit.train.pretrain``): e.g. ``{"mask_rate": 0.4}`` and
    ``{"positions": "sinusoidal", "scale": 0.1}``. The masking applies to training
    only: validation always masks the usual 15%, so runs with different rates are
    judged on the same task.
    """
    masking = dict(masking or {})
    check_masking(objective, masking)
    _, kind, _ = OBJECTIVES[objective]
    model = small_model(objective, tokenizer.get_vocab_size(), d_model, n_layers, block_size, seed, init)
    stream = BatchStream(tokenizer, documents, objective, block_size=block_size, batch_size=batch_size, seed=seed,
                         **masking)
    validation = BatchStream(tokenizer, documents[-200:], objective, block_size=block_size,
                             batch_size=batch_size, seed=seed + 1).batches(2)
    callbacks = []
    if probe_items:
        callbacks.append(ProbeCallback(probe_items, framed(tokenizer, kind), kind))
    if plot:
        callbacks.append(LivePlot(title=f"{objective}: {type(model).__name__}", show_probes=bool(probe_items)))
    config = TrainConfig(steps=steps, learning_rate=learning_rate, warmup_steps=max(1, steps // 10),
                         eval_every=eval_every, eval_batches=2, seed=seed)
    history = train(model, stream, config, eval_batches=validation, callbacks=callbacks, device=device,
                    progress=False)
    settings = {"steps": steps, "batch_size": batch_size, "block_size": block_size, "learning_rate": learning_rate,
                "eval_every": eval_every, "d_model": d_model, "n_layers": n_layers, "seed": seed,
                "masking": masking, "init": dict(init or {}), "data": data_fingerprint(tokenizer, documents)}
    return Run(objective, model, history, count_parameters(model), settings, stream)


class cheating_batches:
    """Causal-LM batches, but the model is allowed to look at the whole block.

    LectureGPT with ``prefix_lengths`` equal to the block length attends in both
    directions, like an encoder. The labels still ask for the *next* word, which
    the model can now simply read: the loss collapses without learning language.
    """

    def __init__(self, stream: BatchStream):
        self.stream = stream

    def __iter__(self):
        return self

    def __next__(self) -> dict:
        batch = next(self.stream)
        length = batch["input_ids"].shape[1]
        batch["prefix_lengths"] = torch.full((batch["input_ids"].shape[0],), length)
        return batch


@torch.no_grad()
def greedy_continue(model, tokenizer: Tokenizer, prompt: str, new_tokens: int = 8,
                    bidirectional: bool = False) -> str:
    """Continue ``prompt`` by repeatedly appending the most likely next token.

    With ``bidirectional=True`` the model reads the whole prompt in both
    directions at each step, as it did in training in the cheating experiment.
    The decoding loop is the model interface's own (``lecturekit.hub.generation``);
    only how a raw lecture model is asked for the next logits is written here.
    """
    model.eval()
    device = next(model.parameters()).device
    ids = [tokenizer.token_to_id("[BOS]"), *tokenizer.encode(prompt, add_special_tokens=False).ids]

    def next_logits(so_far: list[int]) -> torch.Tensor:
        window = so_far[-model.config.max_positions:]  # the latest tokens, as many as the model reads
        inputs = torch.tensor([window], device=device)
        extra = {"prefix_lengths": torch.tensor([len(window)], device=device)} if bidirectional else {}
        return model(input_ids=inputs, **extra).logits[0, -1]

    new_ids = list(continue_tokens(next_logits, ids, new_tokens))  # temperature 0: greedy
    return tokenizer.decode([*ids[1:], *new_ids])
