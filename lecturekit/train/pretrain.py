"""``lecturekit pretrain --config FILE``: from a config file to a shipped checkpoint.

A config (JSON) names everything a run depends on, so the checkpoint it writes is
reproducible by running the same command again:

    {
      "name": "lecture-bert",                       # the model's name
      "objective": "mlm",                           # mlm | clm | span | prefix
      "model": {"preset": "bert_like", "d_model": 128, ...},   # TransformerConfig fields
      "corpus": {"words": 1000000, "seed": 0},      # lecturekit.world.build_corpus
      "tokenizer": {"path": "...tokenizer.json", "num_merges": 3000},
      "block_size": 64, "batch_size": 32,
      "masking": {"mask_rate": 0.4},                # optional: BatchStream's masking settings
      "init": {"positions": "sinusoidal", "scale": 0.1},   # optional: see build_model
      "train": {"steps": 2000, "learning_rate": 0.001, ...},   # TrainConfig fields
      "probes_per_category": 40,                    # the sample scored during training
      "score_all_probes": true,                     # the card's final table: all probes (false: the sample)
      "out": "lecturekit/checkpoints/lecture-bert",
      "work_dir": "runs/lecture-bert",              # resumable training state (not shipped)
      "notes": "..."                                # optional: why the recipe is what it is (in the card)
    }

Relative paths are relative to the current folder (run from the repository root).
"""

from __future__ import annotations

import json
import platform
import shlex
import sys
import time
from pathlib import Path

import torch
from tokenizers import Tokenizer

from ..models import LectureBERT, LectureGPT, LectureT5, TransformerConfig, count_parameters
from ..models.layers import start_positions_as_sinusoids
from ..runtime import device as default_device
from ..runtime import seed_everything
from .callbacks import ProbeCallback, probe_scorer
from .cards import model_card_markdown
from .checkpoint import resume, save_checkpoint
from .data import BatchStream, build_tokenizer, framed
from .distributed import batch_split_problem, finish, ranks_from_environment, shard, start, wrap
from .loop import TrainConfig, make_optimizer, train

OBJECTIVES = {
    "mlm": (LectureBERT, "masked-lm", "bert_like"),
    "clm": (LectureGPT, "causal-lm", "gpt_like"),
    "span": (LectureT5, "encoder-decoder", "t5_like"),
    "prefix": (LectureT5, "encoder-decoder", "t5_like"),  # an encoder-decoder trained as a prefix LM
}
VALIDATION_SHARE = 0.02
# The masking settings a config may change, per objective (see BatchStream).
MASKING_SETTINGS = {"mlm": {"mask_rate"}, "clm": set(), "span": {"noise_density", "mean_span_length"},
                    "prefix": set()}


class ConfigError(ValueError):
    """A pretraining config that cannot be used; the message says why."""


def read_config(path) -> dict:
    path = Path(path)
    try:
        config = json.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"no config file at {path}") from None
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path} is not valid JSON: {error}") from None
    for key in ("name", "objective", "model", "corpus", "tokenizer", "train", "out"):
        if key not in config:
            raise ConfigError(f"{path}: the config needs a {key!r} entry")
    if config["objective"] not in OBJECTIVES:
        raise ConfigError(f"{path}: objective must be one of {', '.join(OBJECTIVES)}, not {config['objective']!r}")
    unknown = set(config.get("masking", {})) - MASKING_SETTINGS[config["objective"]]
    if unknown:
        allowed = ", ".join(sorted(MASKING_SETTINGS[config["objective"]])) or "none"
        raise ConfigError(f"{path}: masking settings {', '.join(sorted(unknown))} do not apply to objective "
                          f"{config['objective']!r} (allowed: {allowed})")
    block, positions = config.get("block_size", 64), config["model"].get("max_positions", 128)
    if block > positions:
        raise ConfigError(f"{path}: block_size {block} is longer than the model's max_positions {positions}")
    return config


def check_probes_fit(items, tokenizer: Tokenizer, max_positions: int) -> None:
    """Fail before training, not after it, if some probe is longer than the model's context.

    Each probe is measured with its longest filled-in form (framing included), which
    is what the masked and causal scorers feed the model.
    """
    filled = [item.text.replace("___", candidate) for item in items for candidate in item.candidates]
    longest = max((len(e.ids) for e in tokenizer.encode_batch(filled)), default=0)
    if longest > max_positions:
        raise ConfigError(f"the longest knowledge probe is {longest} tokens, but max_positions is "
                          f"{max_positions}; the probes could not be scored. Use max_positions >= {longest}.")


def corpus_documents(corpus: dict) -> tuple[list[str], list[str]]:
    """Training and validation documents of the lecture world (the last 2% validate)."""
    from ..world import build_corpus

    documents = [d.text for d in build_corpus(corpus["words"], seed=corpus.get("seed", 0)).documents]
    cut = max(1, int(len(documents) * (1 - VALIDATION_SHARE)))
    return documents[:cut], documents[cut:]


def shared_tokenizer(spec: dict, documents: list[str]) -> Tokenizer:
    """Load the shared tokenizer, or learn it from the documents and save it."""
    path = Path(spec["path"])
    if path.is_file():
        return Tokenizer.from_file(str(path))
    tokenizer = build_tokenizer(documents, num_merges=spec.get("num_merges", 3000))
    path.parent.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(path))
    return tokenizer


def build_model(config: dict, vocab_size: int):
    """A freshly initialised model; ``"init": {"positions": "sinusoidal", "scale": s}``
    starts the learned position embeddings at s x the original Transformer's sinusoids.

    Why: a bidirectional model starts with random position vectors, so it cannot tell
    its neighbours apart and sits for a long time at the "predict frequent words"
    plateau (a causal mask gives a decoder a sense of order for free). With
    sinusoids, "the word before me" is an easy pattern from the first step; the
    vectors are still ordinary parameters that training changes.
    """
    model_class, _, default_preset = OBJECTIVES[config["objective"]]
    settings = dict(config["model"])
    preset = settings.pop("preset", default_preset)
    model = model_class(getattr(TransformerConfig, preset)(vocab_size, **settings))
    init = config.get("init", {})
    if init.get("positions", "random") == "sinusoidal":
        start_positions_as_sinusoids(model, init.get("scale", 0.1))
    elif init.get("positions", "random") != "random":
        raise ConfigError(f"init.positions must be 'random' or 'sinusoidal', not {init['positions']!r}")
    return model


def probe_items(per_category: int, seed: int = 0):
    """A fixed, balanced sample of the world's probes (the same for every model)."""
    import random

    from ..world import CATEGORIES, make_world, probes

    world = make_world(seed)
    sample = []
    for category in CATEGORIES:
        items = probes(world, category)
        sample += random.Random(seed).sample(items, min(per_category, len(items)))
    return sample


def pretrain(config: dict, command: str = "", resume_from: str | None = None, progress: bool = True,
             device=None) -> Path:
    """Run one pretraining config end to end and write the checkpoint with its model card.

    Under torchrun every process runs this; they train together (``train.distributed``) and
    only rank 0 writes files.
    """
    started = time.perf_counter()
    ranks = ranks_from_environment()
    problem = batch_split_problem(config.get("batch_size", 32), ranks)
    if problem:  # before the corpus is built and any process waits for the others
        raise ConfigError(problem)
    seed = config["train"].get("seed", 0)
    seed_everything(seed)
    target = start(ranks, torch.device(device) if device else default_device())
    try:
        return _pretrain(config, command, resume_from, progress and ranks.main, target, ranks, started)
    finally:
        finish(ranks)


def _pretrain(config, command, resume_from, progress, target, ranks, started) -> Path:
    seed = config["train"].get("seed", 0)
    train_docs, val_docs = corpus_documents(config["corpus"])
    tokenizer = shared_tokenizer(config["tokenizer"], train_docs)
    _, kind, _ = OBJECTIVES[config["objective"]]
    train_config = TrainConfig(**config["train"])
    stream_args = dict(objective=config["objective"], block_size=config.get("block_size", 64),
                       batch_size=config.get("batch_size", 32), **config.get("masking", {}))
    batches = BatchStream(tokenizer, train_docs, seed=seed, **stream_args)
    if ranks.world > 1:
        batches = shard(batches, ranks, config["objective"])
    validation = BatchStream(tokenizer, val_docs, seed=seed + 1, **stream_args).batches(train_config.eval_batches)
    items = probe_items(config.get("probes_per_category", 40))
    all_probes = _all_probes(config)
    check_probes_fit(all_probes, framed(tokenizer, kind), config["model"].get("max_positions", 128))
    callbacks = [ProbeCallback(items, framed(tokenizer, kind), kind)] if config.get("probe_during_training", True) else []

    work_dir = Path(config.get("work_dir", f"runs/{config['name']}"))
    if resume_from:
        model, optimizer, first_step, history, _ = resume(resume_from, device=target)
        # Skip the batches already seen, so a resumed run sees the same data as an unbroken one.
        for _ in range(first_step * train_config.accumulation):
            next(batches)
    else:
        model, first_step, history = build_model(config, tokenizer.get_vocab_size()).to(target), 0, None
        optimizer = make_optimizer(model, train_config)

    def keep_state(state):
        save_checkpoint(work_dir, state.model, optimizer, state.step, state.history, train_config)

    history = train(wrap(model, ranks, target), batches, train_config, eval_batches=validation,
                    callbacks=[*callbacks, keep_state] if ranks.main else [], device=target,
                    optimizer=optimizer, start_step=first_step, history=history, progress=progress)

    out = Path(config["out"])
    if not ranks.main:
        return out
    model.to("cpu").save_pretrained(out)
    framed(tokenizer, kind).save(str(out / "tokenizer.json"))
    final = _final_probe_table(model, tokenizer, kind, all_probes if config.get("score_all_probes", True) else items)
    card = {
        "name": config["name"],
        "command": command or f"lecturekit pretrain --config {config.get('_path', '?')}",
        "objective": config["objective"],
        "kind": kind,
        "parameters": count_parameters(model),
        "data": {**config["corpus"], "train_documents": len(train_docs), "validation_documents": len(val_docs),
                 "tokens_seen": history.tokens[-1] if history.tokens else 0},
        "tokenizer": {"vocab_size": tokenizer.get_vocab_size(), **config["tokenizer"]},
        "train": train_config.to_dict(),
        "block_size": stream_args["block_size"], "batch_size": stream_args["batch_size"],
        "masking": config.get("masking", {}),
        "init": config.get("init", {}),
        "notes": config.get("notes", ""),
        "steps": history.step[-1] if history.step else 0,
        "wall_time_seconds": round(time.perf_counter() - started, 1),
        "device": _device_name(target) + (f" x {ranks.world} processes" if ranks.world > 1 else ""),
        "final_train_loss": round(history.final_train_loss, 4),
        "final_validation_loss": round(history.val_loss[-1], 4) if history.val_loss else None,
        "probes": final.reset_index().round(3).to_dict(orient="records"),
        # During training: a fixed sample of probes at each evaluation, and the losses,
        # so a notebook can show which categories are learned first.
        "probe_history": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()}
                          for row in history.probes],
        "loss_history": {"step": history.eval_step, "validation_loss": [round(v, 4) for v in history.val_loss]},
    }
    (out / "card.json").write_text(json.dumps(card, indent=1) + "\n")
    (out / "README.md").write_text(model_card_markdown(card))
    return out


def _all_probes(config):
    from ..world import make_world, probes

    return probes(make_world(config.get("probe_seed", 0)))


def _final_probe_table(model, tokenizer, kind, items):
    from ..world import score_probes

    model.eval()
    return score_probes(probe_scorer(model, framed(tokenizer, kind), kind), items)


def _device_name(target: torch.device) -> str:
    if target.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(target)})"
    return f"{target.type} ({platform.processor() or platform.machine()}, torch {torch.__version__})"


def register(commands) -> None:
    parser = commands.add_parser("pretrain", help="pretrain a lecture model from a config file")
    parser.add_argument("--config", required=True, help="JSON config (see lecturekit.train.pretrain)")
    parser.add_argument("--resume", help="a work folder to continue training from")
    parser.add_argument("--steps", type=int, help="override the number of steps (quick trials)")
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        config = read_config(args.config)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    config["_path"] = args.config
    if args.steps:
        config["train"]["steps"] = args.steps
    command = "lecturekit pretrain " + " ".join(shlex.quote(a) for a in sys.argv[2:]) if len(sys.argv) > 2 else ""
    main = ranks_from_environment().main  # under torchrun, one process speaks for all
    try:
        out = pretrain(config, command=command or f"lecturekit pretrain --config {args.config}",
                       resume_from=args.resume)
    except ConfigError as error:
        if main:
            print(f"error: {error}", file=sys.stderr)
        return 2
    if main:
        print(f"wrote {out}")
    return 0
