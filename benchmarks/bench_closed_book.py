"""Closed-book QA speed: fine-tuning throughput against Hugging Face, and one answer's latency.

1. Fine-tuning throughput (examples/s) on the birthplace questions, one full
   fine-tuning step (forward, loss on the answer tokens, backward, AdamW) on the
   same batch:
   - lecture-gpt against its exact Hugging Face export (``GPT2LMHeadModel``, the
     same weights, ``lecturekit.models.hf_export``);
   - lecture-t5 against a ``T5ForConditionalGeneration`` of the same sizes (d_model,
     layers, heads, d_ff, vocabulary) with random weights. LectureT5 has learned
     absolute positions and LayerNorm where T5 has relative position biases and
     RMSNorm, so it cannot be exported weight for weight; this compares the cost
     of the same-sized computation.
   Steps alternate one by one between the two sides; on the CPU they read this
   process's CPU time (one thread). Goal: ratio ours / Hugging Face >= 1.0.
2. Generation latency of one greedy answer (``lecturekit.finetune.closed_book.answer``),
   median wall-clock milliseconds. Goal: < 50 ms on a CPU.

    python benchmarks/bench_closed_book.py [--steps 20] [--batch-size 16]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd
import torch

from lecturekit.finetune.closed_book import answer, qa_batch, qa_loss
from lecturekit.hub import load_model
from lecturekit.world.splits import birthplace_qa


def alternate(actions: dict, steps: int) -> dict[str, float]:
    """Median CPU seconds per call of each action, calls interleaved after two warm-up calls each."""
    for action in actions.values():
        action(), action()
    seconds: dict[str, list[float]] = {name: [] for name in actions}
    names = list(actions)
    for step in range(steps):
        for name in names if step % 2 == 0 else names[::-1]:
            start = time.process_time()
            actions[name]()
            seconds[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in seconds.items()}


def training_step(module, loss_of):
    optimizer = torch.optim.AdamW(module.parameters(), lr=1e-4)

    def step():
        loss = loss_of(module)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return step


def size_matched_t5(config):
    from transformers import T5Config, T5ForConditionalGeneration

    hf = T5Config(vocab_size=config.vocab_size, d_model=config.d_model, d_kv=config.d_model // config.n_heads,
                  d_ff=config.d_ff, num_layers=config.n_layers,
                  num_decoder_layers=config.n_decoder_layers or config.n_layers, num_heads=config.n_heads,
                  dropout_rate=0.0, pad_token_id=config.pad_token_id, decoder_start_token_id=config.pad_token_id)
    return T5ForConditionalGeneration(hf)


def throughput(steps: int, batch_size: int) -> list[dict]:
    questions = birthplace_qa().train[:batch_size]
    rows = []
    for name in ("lecture-gpt", "lecture-t5"):
        model = load_model(name, device="cpu")
        batch = qa_batch(model, questions, device=torch.device("cpu"))
        ours = model.module.float().train()
        if name == "lecture-gpt":
            reference, label = ours.to_hf().float().train(), "GPT2LMHeadModel (exact export)"
        else:
            reference, label = size_matched_t5(ours.config).train(), "T5ForConditionalGeneration (same sizes)"
        def loss_of(module, batch=batch, kind=model.kind):
            return qa_loss(module, batch, kind)

        seconds = alternate({"ours": training_step(ours, loss_of), "hf": training_step(reference, loss_of)}, steps)
        rows.append({"model": name, "reference": label, "batch": batch_size,
                     "ours examples/s": batch_size / seconds["ours"], "HF examples/s": batch_size / seconds["hf"],
                     "ratio ours/HF": seconds["hf"] / seconds["ours"]})
    return rows


def latency(repeats: int) -> list[dict]:
    question = birthplace_qa().test[0].question
    rows = []
    for name in ("lecture-gpt", "lecture-t5"):
        model = load_model(name, device="cpu")
        answer(model, question)  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            answer(model, question)
            times.append(time.perf_counter() - start)
        rows.append({"model": name, "median ms per answer": 1000 * statistics.median(times), "goal ms": 50})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    pd.set_option("display.width", 200)
    print(pd.DataFrame(throughput(args.steps, args.batch_size)).round(2).to_string(index=False))
    print()
    print(pd.DataFrame(latency(args.repeats)).round(1).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
