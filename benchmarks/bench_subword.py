"""Speed of the subword code against the Hugging Face (Rust) implementations, in one run.

1. BPE training: 8,000 merges on the 50,000 most frequent English words (wordfreq,
   counts per million words): our fast trainer, the Hugging Face trainer, and our
   one-screen reference trainer (at 100 merges by default: it recounts every
   pair after every merge, ~0.8 s per merge at this size on a shared 2-core
   machine, so 1,000 merges would take ~14 minutes; ``--reference-merges 1000``
   if you have the time). Target: the fast trainer within 10x of Hugging Face.
2. Encoding throughput of our WordPiece and byte-level BPE against the Hugging
   Face fast tokenizers on the same text (no target: ours is teaching code).

Usage: python benchmarks/bench_subword.py [--merges 8000] [--words 50000] [--reference-merges 100]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# One thread for the Rust tokenizers too, so both sides use one core.
os.environ["TOKENIZERS_PARALLELISM"] = "false"

from lecturekit import bundled  # noqa: E402
from lecturekit.subword import (  # noqa: E402
    ByteLevelBPETokenizer,
    WordPieceTokenizer,
    bpe_trace,
    train_bpe_huggingface,
    word_counts,
)


def timed(function, *args, repeat: int = 1):
    """Best CPU time of this process over ``repeat`` runs, and the result.

    CPU time rather than wall time: the benchmark often runs on a shared
    machine, where wall time mostly measures the neighbours. Everything here
    runs on one thread (see TOKENIZERS_PARALLELISM above), so the two agree on
    an idle machine.
    """
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = function(*args)
        best = min(best, time.process_time() - start)
    return best, result


def bench_training(num_words: int, num_merges: int, reference_merges: int) -> None:
    counts = word_counts("en", num_words)
    print(f"BPE training on {len(counts):,} English words ({sum(counts.values()):,} running words)")
    fast_s, fast = timed(lambda: bpe_trace(counts, num_merges))
    hf_s, hf = timed(lambda: train_bpe_huggingface(counts, num_merges))
    # HF learns from text, so its time includes counting the repeated words;
    # with 0 merges we see how much of it that is.
    hf_count_s, _ = timed(lambda: train_bpe_huggingface(counts, 0))
    hf_small_s, _ = timed(lambda: train_bpe_huggingface(counts, reference_merges))
    fast_small_s, fast_small = timed(lambda: bpe_trace(counts, reference_merges))
    ref_s, ref = timed(lambda: bpe_trace(counts, reference_merges, "reference"))
    assert ref == fast_small, "reference and fast trainers disagree"
    same = next(
        (i for i, (a, b) in enumerate(zip([s.pair for s in fast], hf, strict=False)) if a != b),
        len(hf),
    )
    rows = [
        ("Hugging Face tokenizers (Rust)", num_merges, hf_s, 1.0),
        ("lecturekit fast (incremental)", num_merges, fast_s, fast_s / hf_s),
        ("Hugging Face: counting words only", 0, hf_count_s, hf_count_s / hf_s),
        ("Hugging Face tokenizers (Rust)", reference_merges, hf_small_s, 1.0),
        (
            "lecturekit fast (incremental)",
            reference_merges,
            fast_small_s,
            fast_small_s / hf_small_s,
        ),
        ("lecturekit reference (recount)", reference_merges, ref_s, ref_s / hf_small_s),
    ]
    print(f"{'trainer':34} {'merges':>7} {'CPU s':>9} {'x HF':>8}")
    for name, merges, seconds, ratio in rows:
        print(f"{name:34} {merges:>7,} {seconds:>9.2f} {ratio:>8.1f}")
    verdict = "met" if fast_s <= 10 * hf_s else "NOT met"
    print(
        f"target (fast within 10x of HF at {num_merges:,} merges): {verdict} ({fast_s / hf_s:.1f}x)"
    )
    print(
        f"fast and HF merges identical for the first {same:,} of {num_merges:,} (then a tie is broken differently)"
    )
    print()


def sample_text(num_chars: int) -> str:
    import wordfreq

    rng = random.Random(0)
    words = []
    for language in ["en", "en", "en", "de", "fi", "fr", "zh", "ru"]:
        words += wordfreq.top_n_list(language, 5000)
    pieces, size = [], 0
    while size < num_chars:
        piece = rng.choice(words) + rng.choice([" ", " ", " ", ", ", ". ", "\n", " 42 ", " 😀 "])
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)


def bench_encoding(num_chars: int = 1_000_000) -> None:
    from transformers import AutoTokenizer

    text = sample_text(num_chars)
    lines = text.split("\n")
    print(f"Encoding {len(text):,} characters ({len(lines):,} lines), best of 3")
    pairs = [
        (
            "WordPiece (BERT)",
            WordPieceTokenizer.from_vocab(bundled.minilm_vocab()),
            AutoTokenizer.from_pretrained(str(bundled.minilm_dir())),
        ),
        (
            "byte-level BPE (SmolLM2)",
            ByteLevelBPETokenizer.smollm2(),
            AutoTokenizer.from_pretrained(str(bundled.smollm2_dir())),
        ),
    ]
    print(f"{'tokenizer':26} {'implementation':20} {'CPU s':>8} {'MB/s':>7} {'x HF':>7}")
    for name, ours, theirs in pairs:

        def encode_all(ours=ours):
            cache = getattr(ours, "_cached_chunk", None)
            if cache is not None:
                cache.cache_clear()  # start cold each time: the timing is not a cache lookup
            return [ours.encode(line) for line in lines]

        ours_s, ours_ids = timed(encode_all, repeat=3)
        # The Rust tokenizer itself, without transformers' Python wrapper around it.
        # MiniLM's tokenizer.json pads and truncates to 128 tokens; switch that off.
        backend = theirs.backend_tokenizer
        backend.no_padding()
        backend.no_truncation()
        hf_s, hf_ids = timed(
            lambda backend=backend: [
                e.ids for e in backend.encode_batch(lines, add_special_tokens=False)
            ],
            repeat=3,
        )
        assert ours_ids == hf_ids, f"{name}: ids differ from Hugging Face"
        megabytes = len(text.encode("utf-8")) / 1e6
        print(
            f"{name:26} {'Hugging Face (Rust)':20} {hf_s:>8.2f} {megabytes / hf_s:>7.1f} {1.0:>7.1f}"
        )
        print(
            f"{name:26} {'lecturekit (Python)':20} {ours_s:>8.2f} {megabytes / ours_s:>7.1f} {ours_s / hf_s:>7.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--merges", type=int, default=8_000)
    parser.add_argument("--reference-merges", type=int, default=100)
    parser.add_argument("--chars", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_training(args.words, args.merges, args.reference_merges)
    bench_encoding(args.chars)
    return 0


if __name__ == "__main__":
    sys.exit(main())
