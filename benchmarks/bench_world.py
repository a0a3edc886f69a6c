"""How fast is the lecture world written? Target: 5M words in under 30 s.

Prints a table: words written, seconds, words per second, for
- build_corpus (in memory) and write_corpus (streamed to a temporary folder);
- a reference measured in the same run: joining 5M words drawn at random from the
  corpus vocabulary, about the least work any Python text generator can do.

Usage: python benchmarks/bench_world.py [WORDS]   (default 5000000)
"""

from __future__ import annotations

import random
import sys
import tempfile
import time

from lecturekit.world import build_corpus, write_corpus

TARGET_SECONDS = 30.0


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def reference(words: int, vocabulary: list[str]) -> str:
    rng = random.Random(0)
    return " ".join(rng.choices(vocabulary, k=words))


def main(words: int = 5_000_000) -> int:
    corpus, in_memory = timed(lambda: build_corpus(words, seed=0))
    written = len(corpus.text().split())
    vocabulary = sorted(set(corpus.text().split()))
    del corpus
    with tempfile.TemporaryDirectory() as folder:
        card, streamed = timed(lambda: write_corpus(folder, words, seed=0))
    _, floor = timed(lambda: reference(written, vocabulary))

    rows = [
        ("build_corpus (in memory)", written, in_memory),
        ("write_corpus (streamed to disk)", card.words, streamed),
        ("reference: random words joined", written, floor),
    ]
    print(f"{'what':<34}{'words':>12}{'seconds':>10}{'words/s':>14}")
    for name, count, seconds in rows:
        print(f"{name:<34}{count:>12,}{seconds:>10.2f}{count / seconds:>14,.0f}")
    scaled_target = TARGET_SECONDS * words / 5_000_000
    print(f"\ntarget: {words:,} words in {scaled_target:.1f} s; "
          f"build_corpus is {scaled_target / in_memory:.1f}x faster than the target, "
          f"write_corpus {scaled_target / streamed:.1f}x; "
          f"generation costs {in_memory / floor:.1f}x the random-words reference")
    return 0 if max(in_memory, streamed) < scaled_target else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000))
