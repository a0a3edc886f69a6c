"""A measured scaling sweep on the lecture world: iso-FLOP curves at lecture scale.

For each compute budget C and each model size, train a lecture-gpt-style decoder
(causal LM, the train loop of ``lecturekit.train``) for as many steps as make
6·N·D = C, then measure its loss on held-out text. Plotting loss against N for one
budget gives an iso-FLOP curve (Hoffmann et al. 2022, approach 2); its lowest point
is the compute-optimal size for that budget (``lecturekit.scaling.isoflop`` fits it).

Every run of a sweep reads the same batches in the same order and is judged on the
same validation batches, and each run's learning-rate schedule (warm-up, cosine)
is as long as that run, as in Chinchilla. N counts all parameters, embeddings
included, as Hoffmann et al. do (Pearce and Song 2024, "Reconciling Kaplan and
Chinchilla Scaling Laws", trace much of the two papers' disagreement to this choice).

    lecturekit scaling sweep                      # the CPU sweep (PRESETS["cpu"])
    lecturekit scaling sweep --preset gpu         # bigger, for a GPU
    lecturekit scaling sweep --config configs/scaling-sweep.json --out results.json

The results file is a small model card: the command, device, torch version, wall
time, the config, and one row per run.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import platform
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ._checks import check_compute

RESULTS_DIR = Path(__file__).resolve().parent / "results"
N_HEADS = 4  # lecturekit.train.experiments.small_model's choice
FORMAT_VERSION = 1


@dataclass(frozen=True)
class SweepConfig:
    """What a sweep trains: sizes (d_model, n_layers) x budgets (FLOPs), and how."""

    name: str
    sizes: tuple[tuple[int, int], ...]
    budgets: tuple[float, ...]
    corpus_words: int = 3_000_000
    corpus_seed: int = 0
    # A small BPE vocabulary learned for the sweep (None: the shipped lecture
    # tokenizer, about 3,000 tokens). With 3,000 tokens the embedding table would be
    # most of every model this small, and the sweep would measure the table.
    num_merges: int | None = 300
    batch_size: int = 16
    block_size: int = 64
    learning_rate: float = 3e-3
    validation_batches: int = 16
    seed: int = 0
    # A size is trained at a budget only if its run has this many steps: fewer is
    # barely past the warm-up, more costs more time than the sweep has. So each
    # budget gets the sizes around its optimum, as Hoffmann et al. chose them.
    min_steps: int = 30
    max_steps: int = 6000
    notes: str = ""

    def __post_init__(self):
        object.__setattr__(self, "sizes", tuple(tuple(int(x) for x in size) for size in self.sizes))
        object.__setattr__(self, "budgets", tuple(check_compute(b) for b in self.budgets))
        if len(self.sizes) < 1 or len(self.budgets) < 1:
            raise ValueError("a sweep needs at least one size and one budget")
        for size in self.sizes:
            if len(size) != 2 or min(size) < 1:
                raise ValueError(f"each size is [d_model, n_layers] with positive numbers, got {list(size)}")
            if size[0] % N_HEADS:
                raise ValueError(f"d_model {size[0]} does not split into {N_HEADS} heads")
        if self.num_merges is not None and self.num_merges < 0:
            raise ValueError(f"num_merges must be a whole number >= 0 or None, got {self.num_merges}")
        if not 1 <= self.min_steps <= self.max_steps:
            raise ValueError(f"need 1 <= min_steps <= max_steps, got {self.min_steps} and {self.max_steps}")
        for name in ("corpus_words", "batch_size", "block_size", "validation_batches"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {self.learning_rate}")

    def to_dict(self) -> dict:
        values = dataclasses.asdict(self)
        values["sizes"] = [list(size) for size in self.sizes]
        values["budgets"] = list(self.budgets)
        return values

    @classmethod
    def from_dict(cls, values: dict) -> SweepConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown sweep settings {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        missing = sorted({"name", "sizes", "budgets"} - set(values))
        if missing:
            raise ValueError(f"a sweep config needs {', '.join(missing)}")
        return cls(**values)

    @classmethod
    def from_file(cls, path) -> SweepConfig:
        path = Path(path)
        try:
            values = json.loads(path.read_text())
        except FileNotFoundError:
            raise ValueError(f"no sweep config at {path}") from None
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} is not valid JSON: {error}") from None
        return cls.from_dict(values)

    @property
    def tokens_per_step(self) -> int:
        return self.batch_size * self.block_size


_SIZES = ((8, 2), (16, 2), (24, 2), (32, 2), (48, 2), (64, 2), (96, 3), (128, 3), (192, 3))
PRESETS = {
    # The notebook's live sweep: one budget, about a minute on a laptop CPU.
    "live": SweepConfig("live", sizes=_SIZES[:6], budgets=(5e10,), corpus_words=1_000_000),
    # The committed CPU sweep (configs/scaling-sweep.json): under 15 minutes on 2 cores.
    "cpu": SweepConfig("cpu", sizes=_SIZES, budgets=(2e10, 6e10, 2e11, 6e11), notes=(
        "lecture-gpt-style decoders (pre-norm, tied embeddings, 4 heads), widths 8 to 192. A 449-token BPE "
        "vocabulary (300 merges) learned on the sweep's training documents, so that the Transformer and not the "
        "embedding table is most of each model. One seed and one learning rate (3e-3, warm-up over the first "
        "10% of steps, cosine to 10%) for every size. A size is skipped at a budget where its run would have "
        "fewer than 30 or more than 6,000 steps.")),
    # The notebook's live sweep on a GPU (SCALE = "gpu"): three budgets, a few minutes.
    "live-gpu": SweepConfig("live-gpu", sizes=_SIZES, budgets=(6e10, 2e11, 6e11), corpus_words=3_000_000),
    # For a GPU, from the command line: wider and deeper models, 50 to 5,000 times the CPU budgets.
    "gpu": SweepConfig("gpu", sizes=((32, 2), (48, 2), (64, 2), (96, 3), (128, 3), (192, 4), (256, 4), (384, 6),
                                     (512, 6)),
                       budgets=(1e12, 3e12, 1e13, 3e13, 1e14), corpus_words=30_000_000, batch_size=32,
                       block_size=128, learning_rate=2e-3, min_steps=100, max_steps=20000),
}


# ------------------------------------------------------------------------ running


@dataclass
class SweepData:
    tokenizer: object
    train: object  # a BatchStream, replayed from the start for every run
    validation: list = field(default_factory=list)
    train_tokens: int = 0
    validation_tokens: int = 0


def prepare_data(config: SweepConfig) -> SweepData:
    """The lecture world and its tokenizer, tokenised once for the whole sweep."""
    from ..train.data import BatchStream, build_tokenizer, shared_lecture_tokenizer
    from ..train.pretrain import corpus_documents

    train_docs, val_docs = corpus_documents({"words": config.corpus_words, "seed": config.corpus_seed})
    if config.num_merges is None:
        tokenizer = shared_lecture_tokenizer()
    else:  # learned on the training documents only
        tokenizer = build_tokenizer(train_docs, num_merges=config.num_merges)
    common = dict(objective="clm", block_size=config.block_size, batch_size=config.batch_size)
    train = BatchStream(tokenizer, train_docs, seed=config.seed, **common)
    held_out = BatchStream(tokenizer, val_docs, seed=config.seed + 1, **common)
    validation = held_out.batches(min(config.validation_batches, len(held_out.examples) // config.batch_size))
    return SweepData(tokenizer, train, validation, train_tokens=len(train.examples) * config.block_size,
                     validation_tokens=sum(int(b["attention_mask"].sum()) for b in validation))


def replay(stream, seed: int):
    """The stream as freshly made with ``seed``: every run reads the same batches.

    (Cheaper than tokenising the corpus again for each run; tested against a new
    BatchStream in tests/test_scaling_sweep.py.)
    """
    import torch

    fresh = copy.copy(stream)
    fresh.random = random.Random(seed)
    fresh.generator = torch.Generator().manual_seed(seed)
    vars(fresh).pop("_current", None)
    return fresh


def steps_for_budget(budget: float, parameters: int, tokens_per_step: int) -> int:
    """Optimizer steps that make 6·N·D closest to ``budget`` (at least one)."""
    return max(1, round(budget / (6 * parameters * tokens_per_step)))


def train_one(config: SweepConfig, data: SweepData, d_model: int, n_layers: int, budget: float,
              device=None) -> dict | None:
    """Train one size for one budget; the row the results file keeps (None: skipped, see min_steps)."""
    from ..models import count_parameters
    from ..train import TrainConfig, train
    from ..train.experiments import small_model
    from .compute import DecoderShape, chinchilla_flops

    model = small_model("clm", data.tokenizer.get_vocab_size(), d_model=d_model, n_layers=n_layers,
                        max_positions=config.block_size, seed=config.seed)
    parameters = count_parameters(model)
    steps = steps_for_budget(budget, parameters, config.tokens_per_step)
    if not config.min_steps <= steps <= config.max_steps:
        return None
    train_config = TrainConfig(steps=steps, learning_rate=config.learning_rate, warmup_steps=max(1, steps // 10),
                               eval_every=steps, eval_batches=len(data.validation), seed=config.seed)
    started = time.perf_counter()
    history = train(model, replay(data.train, config.seed), train_config, eval_batches=data.validation,
                    device=device, progress=False)
    tokens = history.tokens[-1]
    shape = DecoderShape.from_config(model.config, seq_len=config.block_size)
    return {
        "budget": budget,
        "d_model": d_model,
        "n_layers": n_layers,
        "parameters": parameters,
        "steps": steps,
        "tokens": tokens,
        "compute_6nd": 6 * parameters * tokens,
        "compute_exact": chinchilla_flops(shape).per_token * tokens,
        "epochs": round(tokens / data.train_tokens, 3),
        "validation_loss": round(history.val_loss[-1], 4),
        "final_train_loss": round(history.final_train_loss, 4),
        "seconds": round(time.perf_counter() - started, 1),
    }


def device_name(target) -> str:
    import torch

    if target.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(target)})"
    return f"{target.type} ({platform.processor() or platform.machine()}, {torch.get_num_threads()} CPU thread(s))"


def run_sweep(config: SweepConfig, device=None, command: str = "", log=print) -> dict:
    """Train every size at every budget; the results as a dict (see ``write_results``)."""
    import torch

    from ..runtime import device as default_device

    started = time.perf_counter()
    target = torch.device(device) if device is not None else default_device()
    data = prepare_data(config)
    runs, skipped = [], []
    for budget in config.budgets:
        for d_model, n_layers in config.sizes:
            row = train_one(config, data, d_model, n_layers, budget, device=target)
            if row is None:
                skipped.append({"budget": budget, "d_model": d_model, "n_layers": n_layers})
                continue
            runs.append(row)
            if log:
                log(f"budget {budget:.1e}  d_model {d_model:>3}  layers {n_layers}  parameters {row['parameters']:>9,}  "
                    f"steps {row['steps']:>5}  validation loss {row['validation_loss']:.3f}  ({row['seconds']:.0f} s)")
    return {
        "format_version": FORMAT_VERSION,
        "name": config.name,
        "command": command or f"lecturekit scaling sweep --preset {config.name}",
        "device": device_name(target),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "wall_time_seconds": round(time.perf_counter() - started, 1),
        "config": config.to_dict(),
        "data": {"corpus": "lecture world (lecturekit.world.build_corpus)", "words": config.corpus_words,
                 "seed": config.corpus_seed, "train_tokens": data.train_tokens,
                 "validation_tokens": data.validation_tokens,
                 "tokenizer": ("lecturekit/checkpoints/tokenizer.json" if config.num_merges is None
                               else f"BPE with {config.num_merges} merges, learned on the training documents"),
                 "vocab_size": data.tokenizer.get_vocab_size()},
        "runs": runs,
        "skipped": skipped,  # outside min_steps..max_steps at that budget
    }


# ------------------------------------------------------------------ results files


def write_results(results: dict, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n")
    return path


def load_results(name_or_path="cpu") -> dict:
    """A results file: a committed one by name ("cpu"), or any path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = RESULTS_DIR / f"{name_or_path}.json"
    if not path.is_file():
        shipped = ", ".join(sorted(p.stem for p in RESULTS_DIR.glob("*.json"))) or "none"
        raise FileNotFoundError(f"no sweep results at {path} (committed results: {shipped}); "
                                "make them with `lecturekit scaling sweep`")
    return json.loads(path.read_text())


def runs_table(results: dict):
    """One row per run, as a pandas table."""
    import pandas as pd

    return pd.DataFrame(results["runs"])


# -------------------------------------------------------------------------- CLI


def add_arguments(parser) -> None:
    parser.add_argument("--preset", choices=sorted(PRESETS), default="cpu",
                        help="a built-in sweep (default: cpu, under 15 minutes on 2 cores)")
    parser.add_argument("--config", help="a JSON sweep config (overrides --preset); see configs/scaling-sweep.json")
    parser.add_argument("--out", help="where to write the results (default: lecturekit/scaling/results/<name>.json)")
    parser.add_argument("--device", help="cpu, cuda, mps (default: lecturekit.device())")


def run_command(args) -> int:
    try:
        config = SweepConfig.from_file(args.config) if args.config else PRESETS[args.preset]
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    command = "lecturekit scaling sweep" + "".join(f" {a}" for a in sys.argv[3:]) if len(sys.argv) > 3 else ""
    results = run_sweep(config, device=args.device, command=command)
    out = write_results(results, args.out or RESULTS_DIR / f"{config.name}.json")
    print(f"wrote {out} ({results['wall_time_seconds']:.0f} s)")
    return 0
