"""Pretraining throughput of the three shipped lecture-model configurations.

For each config in configs/ this builds the model and its real batch stream (the
lecture world, the shared tokenizer, the config's block and batch size) and
times full optimizer steps (forward, backward, clipping, AdamW). It prints
tokens per second, and the achieved FLOP rate from the 6·N (+ attention) estimate
of ``lecturekit.models.flops_per_token``; on a CUDA GPU also the model FLOPs
utilisation (MFU) against the card's bf16 dense peak.

    python benchmarks/bench_pretrain.py            # 20 timed steps per model
    python benchmarks/bench_pretrain.py --steps 50

The reference in the same run is the plain forward+backward of the same model
on the same batch (no optimizer, no data pipeline): the ratio shows what the
loop itself costs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import torch

from lecturekit.models import flops_per_token
from lecturekit.runtime import device as default_device
from lecturekit.train.data import BatchStream, shared_lecture_tokenizer
from lecturekit.train.loop import TrainConfig, make_optimizer, to_device
from lecturekit.train.pretrain import build_model
from lecturekit.world import build_corpus

ROOT = Path(__file__).resolve().parent.parent
# bf16 dense peak FLOP/s of common GPUs, for MFU.
PEAKS = {"H100": 989e12, "H200": 989e12, "A100": 312e12, "L4": 121e12, "T4": 65e12}


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def measure(config: dict, documents, tokenizer, steps: int, device) -> dict:
    model = build_model(config, tokenizer.get_vocab_size()).to(device).train()
    stream = BatchStream(tokenizer, documents, config["objective"], block_size=config["block_size"],
                         batch_size=config["batch_size"], **config.get("masking", {}))
    optimizer = make_optimizer(model, TrainConfig(**config["train"]))
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else torch.autocast("cpu", enabled=False)
    loop_times, bare_times, tokens = [], [], 0
    fixed = to_device(next(stream), device)
    for step in range(steps + 3):  # 3 warm-up steps
        _sync(device)
        start = time.perf_counter()
        batch = to_device(next(stream), device)
        with autocast:
            loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        _sync(device)
        middle = time.perf_counter()
        with autocast:
            bare = model(**fixed).loss
        bare.backward()
        model.zero_grad(set_to_none=True)
        _sync(device)
        end = time.perf_counter()
        if step >= 3:
            loop_times.append(middle - start)
            bare_times.append(end - middle)
            tokens = int(batch["input_ids"].numel())
    loop, bare = statistics.median(loop_times), statistics.median(bare_times)
    flops = flops_per_token(model, config["block_size"]).total * tokens / loop
    return {"model": config["name"], "tokens/step": tokens, "loop tok/s": tokens / loop,
            "bare fwd+bwd tok/s": tokens / bare, "ratio loop/bare": bare / loop, "GFLOP/s": flops / 1e9}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    device = default_device()
    tokenizer = shared_lecture_tokenizer()
    documents = [d.text for d in build_corpus(200_000, seed=0).documents]
    rows = []
    for name in ("lecture-bert", "lecture-gpt", "lecture-t5"):
        config = json.loads((ROOT / "configs" / f"{name}.json").read_text())
        rows.append(measure(config, documents, tokenizer, args.steps, device))
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"cpu ({torch.get_num_threads()} threads)"
    print(f"pretraining throughput on {name}, median of {args.steps} steps")
    print(f"{'model':14} {'tok/step':>9} {'loop tok/s':>11} {'bare tok/s':>11} {'loop/bare':>10} {'GFLOP/s':>9}" + ("  MFU" if device.type == "cuda" else ""))
    for row in rows:
        line = (f"{row['model']:14} {row['tokens/step']:>9} {row['loop tok/s']:>11.0f} {row['bare fwd+bwd tok/s']:>11.0f}"
                f" {row['ratio loop/bare']:>10.2f} {row['GFLOP/s']:>9.1f}")
        if device.type == "cuda":
            peak = next((p for key, p in PEAKS.items() if key in name), None)
            line += f"  {row['GFLOP/s'] * 1e9 / peak:.1%}" if peak else "  (unknown peak)"
        print(line)
    print("tokens = encoder/input tokens. For lecture-t5 the FLOP estimate counts one decoder token per encoder")
    print("token (the T5 paper's accounting); its targets are shorter than its inputs (about 3/4 as long at the")
    print("config's 40% noise), so its GFLOP/s is an overestimate.")


if __name__ == "__main__":
    main()
