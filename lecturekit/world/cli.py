"""`lecturekit world ...`: build the lecture-world corpus from the command line.

    lecturekit world build --tokens 5M --seed 0 --out data/world
    lecturekit world sample
    lecturekit world probes --out data/world/probes.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def word_count(value: str) -> int:
    """'100000', '100k', '5M' or '5_000_000' -> a number of words."""
    text = value.strip().lower().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    digits = text[:-1] if scale > 1 else text
    try:
        number = float(digits) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of words (try 100k or 5M)") from None
    if number < 1 or number != int(number):
        raise argparse.ArgumentTypeError(f"{value!r} must be a positive whole number of words")
    return int(number)


def register(subparsers) -> None:
    world = subparsers.add_parser("world", help="generate the lecture-world corpus and its probes")
    commands = world.add_subparsers(dest="world_command", required=True)

    build = commands.add_parser("build", help="write corpus.txt and data_card.json")
    build.add_argument("--tokens", type=word_count, required=True, help="words to write, e.g. 1M")
    build.add_argument("--seed", type=int, default=0,
                       help="the world's seed: the same seed writes the same corpus (default 0)")
    build.add_argument("--out", type=Path, required=True, help="output folder")
    build.add_argument("--bias", type=float, default=0.0,
                       help="pronoun-profession skew in [-1, 1]; 0 = none")
    build.set_defaults(run=run_build)

    sample = commands.add_parser("sample", help="print one document per category")
    sample.add_argument("--seed", type=int, default=0, help="which world and documents (default 0)")
    sample.set_defaults(run=run_sample)

    probe = commands.add_parser("probes", help="write the cloze probes as JSON lines")
    probe.add_argument("--seed", type=int, default=0, help="which world the probes ask about (default 0)")
    probe.add_argument("--out", type=Path, required=True, help="output .jsonl file")
    probe.set_defaults(run=run_probes)


def run_build(args) -> int:
    from .corpus import write_corpus

    try:
        card = write_corpus(args.out, args.tokens, seed=args.seed, bias=args.bias)
    except (ValueError, TypeError, OSError) as error:
        print(f"lecturekit world build: {error}", file=sys.stderr)
        return 2
    print(card)
    print(f"wrote {args.out / 'corpus.txt'} and {args.out / 'data_card.json'}")
    return 0


def run_sample(args) -> int:
    from .corpus import samples
    from .facts import make_world

    print(samples(make_world(args.seed)))
    return 0


def run_probes(args) -> int:
    from .facts import make_world
    from .probes import probes

    items = probes(make_world(args.seed))
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as out:
            for item in items:
                record = {**item.__dict__, "acceptable": sorted(item.acceptable), "candidates": list(item.candidates)}
                out.write(json.dumps(record) + "\n")
    except OSError as error:
        print(f"lecturekit world probes: {error}", file=sys.stderr)
        return 2
    print(f"wrote {len(items)} probes to {args.out}")
    return 0
