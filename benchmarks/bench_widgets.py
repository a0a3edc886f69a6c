"""How much the prediction widgets add to the model's own call.

Usage: python benchmarks/bench_widgets.py [--repeats N] [--masked-lm NAME] [--causal-lm NAME]

One table: for each widget update, its median latency next to a reference
measured in the same run, on the same machine, alternately (so a busy machine
slows both alike and the ratio stays meaningful):

- MaskExplorer update (tokenize, build the masked text, fill_mask, HTML).
  Reference: ``model.fill_mask`` on the same masked text: the raw model call.
- MaskExplorer update with the 80/10/10 corruption shown. Same reference.
- NextTokenExplorer update (the next-token table and the prompt's colours from one
  forward pass, ``CausalLM.next_token_and_prompt``, then the HTML). Reference:
  ``model.next_token`` alone. The goal (issue 14) is at most 1.3x: the widget should
  add little to the model's own call; it was 2.16x with two forward passes.

Masked LM: lecture-bert when shipped, else a tiny random BERT built here
(the table says which). Causal LM: smollm2-135m.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import median_ms  # noqa: E402  (benchmarks/timing.py, beside this script)

from lecturekit.hub import load_model  # noqa: E402
from lecturekit.hub.lecture import checkpoint_dir  # noqa: E402
from lecturekit.widgets.mask_explorer import (  # noqa: E402
    mask_explorer_update,
    masked_text,
    positions_of,
    prepare_sentence,
)
from lecturekit.widgets.next_token_explorer import next_token_update  # noqa: E402

SENTENCE = "The capital of France is Paris, and the capital of Italy is Rome."
PROMPT = "The lecture explains how language models are pretrained: hide part of a text and"


def masked_lm(name: str | None, folder: Path):
    """The masked LM to time and the name to print for it."""
    if name:
        return load_model(name, device="cpu"), name
    if (checkpoint_dir("lecture-bert") / "model.safetensors").is_file():
        return load_model("lecture-bert", device="cpu"), "lecture-bert"
    from lecturekit.hub.tiny import save_tiny_model

    return load_model(f"hf:{save_tiny_model('bert-mlm', folder / 'bert')}", device="cpu"), "tiny random BERT"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--masked-lm", default=None, help="default: lecture-bert if shipped, else a tiny BERT")
    parser.add_argument("--causal-lm", default="smollm2-135m")
    arguments = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        bert, bert_name = masked_lm(arguments.masked_lm, Path(folder))
        sentence = prepare_sentence(bert, SENTENCE)
        masked = positions_of(sentence, "Paris") + positions_of(sentence, "Rome")
        text = masked_text(sentence, masked)
        for label, corruption in (("MaskExplorer update", False), ("MaskExplorer update + 80/10/10", True)):
            ours, reference = median_ms(
                lambda corruption=corruption: mask_explorer_update(bert, SENTENCE, masked, 5, corruption).html(),
                lambda: bert.fill_mask(text, top_k=5), arguments.repeats)
            rows.append((label, bert_name, ours, "fill_mask", reference))

    gpt = load_model(arguments.causal_lm, device="cpu")
    ours, reference = median_ms(lambda: next_token_update(gpt, PROMPT, 10, 1.0).html(),
                                lambda: gpt.next_token(PROMPT, top_k=10), arguments.repeats)
    rows.append(("NextTokenExplorer update", gpt.name, ours, "next_token", reference))

    print(f"median of {arguments.repeats} runs, CPU; reference = the model's raw call in the same run")
    print(f"{'update':34} {'model':22} {'ours ms':>9} {'reference':>12} {'ref ms':>9} {'ratio':>7}")
    for label, model, ours, reference_name, reference in rows:
        print(f"{label:34} {model[:22]:22} {ours:9.1f} {reference_name:>12} {reference:9.1f} {ours / reference:7.2f}")


if __name__ == "__main__":
    main()
