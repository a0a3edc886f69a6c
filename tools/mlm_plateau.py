"""Why lecture-bert's recipe differs from BERT's: a small masked-LM plateau experiment.

The first lecture-bert (BERT's recipe: 15% masking, random position vectors, peak
learning rate 2e-3) sat for thousands of steps on the masked-LM plateau, predicting
frequent words whatever the context. This script trains the same 4-layer BERT on
the same lecture-world data with one change at a time and prints the validation
loss, always measured with BERT's standard 15% masking so the rows compare:

    python tools/mlm_plateau.py                 # all variants, about 20 min on one CPU core
    python tools/mlm_plateau.py --only 0 1      # some of them

The numbers quoted in notebook 03 and in lecture-bert's model card come from this.
"""

from __future__ import annotations

import argparse
import time

import torch

from lecturekit.runtime import seed_everything
from lecturekit.train.data import BatchStream, shared_lecture_tokenizer
from lecturekit.train.loop import TrainConfig, evaluate, train
from lecturekit.train.pretrain import build_model, corpus_documents

MODEL = {"d_model": 128, "n_heads": 4, "n_layers": 4, "d_ff": 512, "max_positions": 128,
         "dropout": 0.0, "attention_dropout": 0.0}
SINUSOIDS = {"positions": "sinusoidal", "scale": 0.1}
# (label, learning rate, mask rate, position start)
VARIANTS = [
    ("BERT's recipe, peak lr 2e-3", 2e-3, 0.15, {}),
    ("BERT's recipe, peak lr 1e-3", 1e-3, 0.15, {}),
    ("40% masking", 1e-3, 0.40, {}),
    ("40% masking + sinusoidal start", 1e-3, 0.40, SINUSOIDS),
    ("40% + sinusoidal start, lr 2e-3", 2e-3, 0.40, SINUSOIDS),
]


def run(label, learning_rate, mask_rate, init, steps, train_docs, val_docs, tokenizer):
    seed_everything(0)
    model = build_model({"objective": "mlm", "model": MODEL, "init": init}, tokenizer.get_vocab_size())
    batches = BatchStream(tokenizer, train_docs, "mlm", block_size=64, batch_size=32, seed=0, mask_rate=mask_rate)
    # Validation always uses 15%: a model trained at 40% is judged on the usual task.
    validation = BatchStream(tokenizer, val_docs, "mlm", block_size=64, batch_size=32, seed=1).batches(20)
    config = TrainConfig(steps=steps, learning_rate=learning_rate, warmup_steps=50, eval_every=steps)
    started = time.perf_counter()
    history = train(model, batches, config, device="cpu", progress=False)
    loss = evaluate(model, validation, torch.device("cpu"))
    return {"variant": label, "train loss (last 20 steps)": round(history.final_train_loss, 2),
            "validation loss at 15%": round(loss, 2), "seconds": round(time.perf_counter() - started)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--only", type=int, nargs="*", help="indices of VARIANTS to run (default: all)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    train_docs, val_docs = corpus_documents({"words": 300_000, "seed": 0})
    tokenizer = shared_lecture_tokenizer()
    chosen = args.only if args.only is not None else range(len(VARIANTS))
    print(f"4-layer BERT (d=128), {args.steps} steps of 32 x 64 tokens, lecture world (300k words)")
    print(f"{'variant':34} {'train loss':>10} {'val loss @15%':>14} {'seconds':>8}")
    for index in chosen:
        row = run(*VARIANTS[index], args.steps, train_docs, val_docs, tokenizer)
        print(f"{row['variant']:34} {row['train loss (last 20 steps)']:>10} {row['validation loss at 15%']:>14} "
              f"{row['seconds']:>8}", flush=True)


if __name__ == "__main__":
    main()
