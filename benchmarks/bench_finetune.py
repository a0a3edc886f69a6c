"""Fine-tuning speed and cost: our LoRA against peft's, every method against full fine-tuning.

1. Our LoRA against peft's LoRA, on the *same* Hugging Face export of a lecture
   model (GPT2LMHeadModel from lecture-gpt, BertForMaskedLM from lecture-bert),
   the same batch, the same target layers, rank and optimizer: training steps
   per second (forward, language-model loss, backward, AdamW). Steps alternate
   one by one between the two sides, so a machine getting busier or quieter
   affects both alike. Goal: ratio ours / peft >= 0.95.
2. Each method against full fine-tuning, as a classifier over our own lecture
   models (``lecturekit.finetune.build_network``): training steps per second,
   and the ratio to full fine-tuning.
3. The cost table (``lecturekit.finetune.cost_table``): trainable parameters,
   gradient and optimizer memory after a step, time per step, peak memory.

On the CPU the speed comparisons read CPU time of this process (one thread by
default; the stable clock on a shared machine), on a GPU wall-clock time after
``torch.cuda.synchronize()``.

    python benchmarks/bench_finetune.py
    python benchmarks/bench_finetune.py --quick                # a smoke test
    python benchmarks/bench_finetune.py --models minilm-l6     # add a real model to the cost table
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
import warnings

import pandas as pd
import torch

from lecturekit.finetune import METHODS, apply_lora, build_network, cost_table
from lecturekit.finetune.inputs import batch, encode, label_ids
from lecturekit.finetune.methods import LEARNING_RATES
from lecturekit.finetune.training import training_step
from lecturekit.hub import load_model
from lecturekit.train.loop import TrainConfig, make_optimizer
from lecturekit.world.splits import sentiment_transfer

LORA = {"r": 8, "alpha": 16}
HF_TARGETS = {"lecture-gpt": ["c_attn"], "lecture-bert": ["query", "value"]}
SEQUENCE = 64


def _clock(device: torch.device):
    """(start, stop) reading CPU time on the CPU, wall-clock time after a sync on a GPU."""
    if device.type == "cuda":
        def now():
            torch.cuda.synchronize()
            return time.perf_counter()
        return now
    return time.process_time


def alternate(actions: dict, steps: int, device: torch.device) -> dict[str, float]:
    """Median seconds per call of each action, calls interleaved (two warm-up calls each)."""
    for action in actions.values():
        action(), action()
    now = _clock(device)
    seconds: dict[str, list[float]] = {name: [] for name in actions}
    names = list(actions)
    for step in range(steps):
        for name in names if step % 2 == 0 else names[::-1]:
            start = now()
            actions[name]()
            seconds[name].append(now() - start)
    return {name: statistics.median(values) for name, values in seconds.items()}


def lm_step(model, batch_inputs: dict):
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)

    def step():
        loss = model(**batch_inputs).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return step


def ours_against_peft(name: str, device: torch.device, steps: int, batch_size: int) -> dict:
    from peft import LoraConfig, get_peft_model

    export = load_model(name, device="cpu").module.to_hf().float()
    ours = copy.deepcopy(export)
    apply_lora(ours, HF_TARGETS[name], **LORA)
    config = LoraConfig(r=LORA["r"], lora_alpha=LORA["alpha"], target_modules=HF_TARGETS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # peft: "fan_in_fan_out is set to False but ... Conv1D"
        theirs = get_peft_model(copy.deepcopy(export), config)
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(40, export.config.vocab_size, (batch_size, SEQUENCE), generator=generator)
    inputs = {"input_ids": ids.to(device), "labels": ids.to(device)}
    ours, theirs = ours.to(device).train(), theirs.to(device).train()
    seconds = alternate({"ours": lm_step(ours, inputs), "peft": lm_step(theirs, inputs)}, steps, device)
    return {
        "model": f"{type(export).__name__} ({name})", "targets": ",".join(HF_TARGETS[name]),
        "device": device.type, "ours steps/s": 1 / seconds["ours"], "peft steps/s": 1 / seconds["peft"],
        "ratio": seconds["peft"] / seconds["ours"],
    }


def methods_against_full(name: str, device: torch.device, steps: int, batch_size: int) -> list[dict]:
    model = load_model(name, device="cpu")
    reviews = sentiment_transfer(n_train=batch_size, n_test=2).train
    classes = ["negative", "positive"]
    targets = label_ids([r.label for r in reviews], classes).to(device)
    actions, trainable = {}, {}
    for method in METHODS:
        network, _ = build_network(model, method, 2, device=device)
        rows, _ = encode(model, [r.text for r in reviews], model.max_length - network.adaptation.virtual_tokens)
        ids, mask = batch(rows, model.specials.pad, device)
        optimizer = make_optimizer(network, TrainConfig(steps=10, learning_rate=LEARNING_RATES[method]))
        network.train()
        trainable[method] = sum(p.numel() for p in network.parameters() if p.requires_grad)

        def step(network=network, optimizer=optimizer, ids=ids, mask=mask):
            training_step(network, optimizer, ids, mask, targets, grad_clip=1.0)
            optimizer.zero_grad(set_to_none=True)

        actions[method] = step
    seconds = alternate(actions, steps, device)
    return [
        {"model": name, "method": m, "device": device.type, "trainable": trainable[m],
         "steps/s": 1 / seconds[m], "vs full": seconds["full"] / seconds[m]}
        for m in METHODS
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few steps (a smoke test)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1: stable CPU time)")
    parser.add_argument("--models", nargs="*", default=[], help="more models for the cost table")
    parser.add_argument("--cpu-only", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    devices = [torch.device("cpu")]
    if torch.cuda.is_available() and not args.cpu_only:
        devices.append(torch.device("cuda"))
    print(f"torch {torch.__version__}, CPU threads {torch.get_num_threads()}; LoRA {LORA}, sequence {SEQUENCE}")
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 20)
    lora_rows, method_rows = [], []
    for device in devices:
        steps = 4 if args.quick else (30 if device.type == "cpu" else 100)
        batch_size = 8 if device.type == "cpu" else 64
        for name in ("lecture-gpt", "lecture-bert"):
            lora_rows.append(ours_against_peft(name, device, steps, batch_size))
            method_rows += methods_against_full(name, device, steps, batch_size)
    print("\n1. Our LoRA against peft's, same exported model and batch (steps per second; goal ratio >= 0.95)")
    print(pd.DataFrame(lora_rows).round(2).to_string(index=False))
    for row in lora_rows:
        verdict = "meets" if row["ratio"] >= 0.95 else "MISSES"
        print(f"  {row['model']} on {row['device']}: ratio {row['ratio']:.2f} {verdict} the goal")
    print("\n2. Each method against full fine-tuning (classifier training steps per second)")
    print(pd.DataFrame(method_rows).round(2).to_string(index=False))
    print("\n3. What each method costs (measured on the first training step of a batch of 8 reviews)")
    for name in ["lecture-bert", "lecture-gpt", *args.models]:
        model = load_model(name, device="cpu")
        table = cost_table(model, batch_size=8, steps=2 if args.quick else 5, device=devices[-1])
        print(table.drop(columns=["settings"]).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
