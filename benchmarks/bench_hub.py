"""How fast the model interface is: loading, next_token and fill_mask latency.

Usage: python benchmarks/bench_hub.py [--skip-cold] [--repeats N]

Prints one table. Each of our timings has a reference measured in the same run
on the same machine, so the ratio says what the interface itself costs:

- load: cold = a fresh Python process with an empty lecturekit cache (for
  SmolLM2 this includes the one-time GGUF -> safetensors conversion); warm = a
  second load in the same process. Reference: transformers' from_pretrained of
  the same folder.
- next_token, SmolLM2, 32-token prompt (target: under 200 ms on CPU).
  Reference: the bare transformers forward pass + softmax + top-k.
- fill_mask, LectureBERT-sized model (target: under 30 ms on CPU). Until the
  lecture-bert checkpoint is shipped, this is a randomly initialised
  ``lecturekit.models.LectureBERT`` with the default TransformerConfig sizes and
  the bert-base-uncased vocabulary (30,522 entries). Reference: the bare module
  forward + softmax + top-k.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import median_ms  # noqa: E402  (benchmarks/timing.py, beside this script)

from lecturekit.hub import load_model  # noqa: E402

PROMPT_32 = (
    "The lecture explains how language models are pretrained: hide part of a text, "
    "ask the network to reconstruct it, and repeat this until the model has learned much"
)


def cold_load_seconds(name: str) -> float:
    """Load ``name`` in a fresh interpreter with an empty cache; seconds for load_model alone."""
    code = (
        "import time; from lecturekit.hub import load_model; s = time.perf_counter(); "
        f"load_model({name!r}, device='cpu'); print(time.perf_counter() - s)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "LECTUREKIT_CACHE": cache}
        result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                                text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def load_rows(skip_cold: bool) -> list[tuple]:
    import transformers

    from lecturekit import bundled

    rows = []
    for name, folder, auto in [
        ("minilm-l6", bundled.minilm_dir(), transformers.AutoModel),
        ("smollm2-135m", bundled.smollm2_dir(), transformers.AutoModelForCausalLM),
    ]:
        if not skip_cold:
            rows.append((f"load {name}, cold (fresh process, empty cache)", cold_load_seconds(name) * 1000,
                         None, ""))
        load_model(name, device="cpu")  # imports and file cache warm
        start = time.perf_counter()
        load_model(name, device="cpu")
        ours = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        auto.from_pretrained(str(folder))
        transformers.AutoTokenizer.from_pretrained(str(folder))
        reference = (time.perf_counter() - start) * 1000
        rows.append((f"load {name}, warm", ours, reference, ""))
    return rows


def next_token_row(repeats: int) -> tuple:
    model = load_model("smollm2-135m", device="cpu")
    ids = model.tokenize(PROMPT_32).id.tolist()
    assert len(ids) == 32, f"the prompt should be 32 tokens, it is {len(ids)}"
    tensor = torch.tensor([ids])

    def reference():
        with torch.inference_mode():
            logits = model.module(input_ids=tensor).logits[0, -1]
            torch.softmax(logits.float(), -1).topk(10)

    ours, ref = median_ms(lambda: model.next_token(PROMPT_32, top_k=10), reference, repeats)
    return ("next_token, smollm2-135m, 32-token prompt", ours, ref, "< 200 ms")


def fill_mask_row(repeats: int) -> tuple:
    from lecturekit.hub.lecture import checkpoint_dir

    text = "The lecture world has people, places and [MASK] written as varied natural English."
    if (checkpoint_dir("lecture-bert") / "model.safetensors").is_file():
        model, label = load_model("lecture-bert", device="cpu"), "fill_mask, lecture-bert"
    else:
        from tokenizers import Tokenizer

        from lecturekit import bundled
        from lecturekit.hub.factory import build_model
        from lecturekit.models import LectureBERT, TransformerConfig

        tokenizer = Tokenizer.from_file(str(bundled.minilm_dir() / "tokenizer.json"))
        torch.manual_seed(0)
        module = LectureBERT(TransformerConfig.bert_like(tokenizer.get_vocab_size()))
        module.init_weights()
        model = build_model(module, tokenizer, name="random LectureBERT", kind="masked-lm",
                            max_length=module.config.max_positions, device=torch.device("cpu"),
                            dtype=torch.float32)
        label = "fill_mask, random LectureBERT (default size; lecture-bert not shipped yet)"
    ids = torch.tensor([model.tokenize(text).id.tolist()])
    position = int((ids[0] == model.specials.mask).nonzero()[0])

    def reference():
        with torch.inference_mode():
            torch.softmax(model.module(input_ids=ids).logits[0, position].float(), -1).topk(5)

    ours, ref = median_ms(lambda: model.fill_mask(text, top_k=5), reference, repeats)
    return (label, ours, ref, "< 30 ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-cold", action="store_true", help="skip the fresh-process cold loads (~1 min)")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs, "
          f"load average {load:.1f}, device cpu")
    rows = [*load_rows(args.skip_cold), next_token_row(args.repeats), fill_mask_row(args.repeats)]
    print(f"{'measurement':<75} {'ours ms':>9} {'ref ms':>9} {'ours/ref':>9}  target")
    for label, ours, reference, target in rows:
        ratio = f"{ours / reference:.2f}" if reference else "-"
        ref = f"{reference:.1f}" if reference else "-"
        print(f"{label:<75} {ours:>9.1f} {ref:>9} {ratio:>9}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
