"""Training speed of the lecture models against Hugging Face's, in the same run.

For BERT and GPT-2 we build a lecture model, export it with ``to_hf()`` (so both
sides have the identical configuration and identical starting weights) and time
training steps: forward, backward and an AdamW step, in train mode with dropout.
Steps alternate one by one between the two sides, so that a machine that gets
busier or quieter mid-run affects both equally; the table reports the median.

On the CPU two clocks are reported. Wall-clock time is what a learner waits,
but on a shared machine it mostly measures the neighbours. CPU time (of this
process, one thread by default) counts only the work our process did, so it is
the stable number for comparing two implementations; the ratio uses it. On a
GPU, wall-clock time after ``torch.cuda.synchronize()`` is the measure.

    python benchmarks/bench_models.py              # CPU, and CUDA when present
    python benchmarks/bench_models.py --quick      # a few steps (smoke test)
    python benchmarks/bench_models.py --threads 4  # CPU threads

Target: ratio ours / Hugging Face >= 1.0 (ours at least as fast).
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from lecturekit.models import LectureBERT, LectureGPT, TransformerConfig

SIZES = dict(vocab_size=8000, d_model=256, n_heads=4, n_layers=4, d_ff=1024, max_positions=128)
SEQUENCE = 128


def _batch(kind: str, batch_size: int, device: torch.device) -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(5, SIZES["vocab_size"], (batch_size, SEQUENCE), generator=generator)
    if kind == "bert":
        chosen = torch.rand(ids.shape, generator=generator) < 0.15
        batch = {"input_ids": ids.masked_fill(chosen, 4), "labels": ids.masked_fill(~chosen, -100)}
    else:
        batch = {"input_ids": ids, "labels": ids}
    batch["attention_mask"] = torch.ones_like(ids)
    return {k: v.to(device) for k, v in batch.items()}


def _step_timer(model, batch, device):
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def step() -> tuple[float, float]:
        if device.type == "cuda":
            torch.cuda.synchronize()
        wall, cpu = time.perf_counter(), time.process_time()
        loss = model(**batch).loss
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - wall, time.process_time() - cpu

    return step


def compare(kind: str, device: torch.device, steps: int, batch_size: int) -> dict:
    torch.manual_seed(0)
    if kind == "bert":
        ours = LectureBERT(TransformerConfig.bert_like(**SIZES))
    else:
        ours = LectureGPT(TransformerConfig.gpt_like(**SIZES))
    theirs = ours.to_hf()
    ours, theirs = ours.to(device).train(), theirs.to(device).train()
    batch = _batch(kind, batch_size, device)
    timers = {"ours": _step_timer(ours, batch, device), "hf": _step_timer(theirs, batch, device)}
    for timer in timers.values():  # warm-up: allocator, kernels, AdamW state
        timer(), timer()
    wall: dict[str, list[float]] = {"ours": [], "hf": []}
    cpu: dict[str, list[float]] = {"ours": [], "hf": []}
    for step in range(steps):
        for side in ("ours", "hf") if step % 2 == 0 else ("hf", "ours"):
            seconds, cpu_seconds = timers[side]()
            wall[side].append(seconds)
            cpu[side].append(cpu_seconds)
    tokens = batch_size * SEQUENCE
    row = {
        "model": f"Lecture{'BERT' if kind == 'bert' else 'GPT'} vs "
                 f"{'BertForMaskedLM' if kind == 'bert' else 'GPT2LMHeadModel'}",
        "device": device.type,
        "hf attention": theirs.config._attn_implementation,
    }
    for side in ("ours", "hf"):
        row[f"{side} wall"] = tokens / statistics.median(wall[side])
        row[f"{side} cpu"] = tokens / statistics.median(cpu[side])
    row["ratio wall"] = row["ours wall"] / row["hf wall"]
    # The CPU clock is meaningless for GPU work; there wall-clock is the measure.
    row["ratio"] = row["ours cpu"] / row["hf cpu"] if device.type == "cpu" else row["ratio wall"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few steps (a smoke test)")
    parser.add_argument("--cpu-only", action="store_true")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1: stable CPU time)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    devices = [torch.device("cpu")]
    if torch.cuda.is_available() and not args.cpu_only:
        devices.append(torch.device("cuda"))
    print(f"config: {SIZES}, sequence {SEQUENCE}, train mode (dropout 0.1), AdamW step included")
    print(f"torch {torch.__version__}, CPU threads {torch.get_num_threads()}")
    rows = []
    for device in devices:
        if device.type == "cpu":
            steps, batch_size = (3 if args.quick else 16), 4
        else:
            steps, batch_size = (5 if args.quick else 60), 32
        for kind in ("bert", "gpt"):
            rows.append(compare(kind, device, steps, batch_size))
    header = (f"{'model':<34} {'device':<6} {'hf attn':<7} {'ours tok/s':>10} {'hf tok/s':>9} "
              f"{'ratio':>6} {'ours tok/s':>10} {'hf tok/s':>9} {'ratio':>6}")
    print(f"{'':<49}{'--- per CPU-second ---':^27} {'--- per wall-second ---':^27}")
    print(header)
    print("-" * len(header))
    for r in rows:
        cpu_part = (f"{r['ours cpu']:>10,.0f} {r['hf cpu']:>9,.0f} {r['ours cpu'] / r['hf cpu']:>6.2f}"
                    if r["device"] == "cpu" else f"{'-':>10} {'-':>9} {'-':>6}")
        print(f"{r['model']:<34} {r['device']:<6} {r['hf attention']:<7} {cpu_part} "
              f"{r['ours wall']:>10,.0f} {r['hf wall']:>9,.0f} {r['ratio wall']:>6.2f}")
    print("ratio = ours / Hugging Face tokens per second; the target (>= 1.0) is read from CPU time")
    print("on the CPU and from wall-clock time on a GPU.")
    for r in rows:
        verdict = "meets" if r["ratio"] >= 1.0 else "MISSES"
        print(f"  {r['model']} on {r['device']}: ratio {r['ratio']:.2f} {verdict} the target")


if __name__ == "__main__":
    main()
