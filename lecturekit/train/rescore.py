"""Re-score shipped checkpoints on today's probes and rewrite their model cards.

`lecturekit rescore lecture-bert lecture-gpt lecture-t5` (or `all`) loads each shipped
checkpoint, scores every probe of the lecture world (the same items and scorer
`lecturekit pretrain` uses at the end of training) and rewrites the card's probe table,
in both card.json and README.md. Training numbers (losses, wall time, probe history)
are left as they were: they describe the run, not the probes. Use it whenever the
probes change (a redesigned category, a new item set), so cards never report scores on
probes that no longer exist.
"""

from __future__ import annotations

import json
import sys

SHIPPED = ("lecture-bert", "lecture-gpt", "lecture-t5")


def rescore(name: str, probe_seed: int = 0) -> dict:
    """Score one shipped checkpoint on all probes; rewrite and return its card."""
    from ..hub import load_model
    from ..hub.lecture import checkpoint_dir
    from ..world import make_world, probes, score_probes
    from .cards import model_card_markdown

    if name not in SHIPPED:
        raise ValueError(f"{name!r} is not a shipped lecture model; choose from {', '.join(SHIPPED)}")
    folder = checkpoint_dir(name)
    card = json.loads((folder / "card.json").read_text())
    model = load_model(name, device="cpu")
    table = score_probes(model, probes(make_world(probe_seed)))
    card["probes"] = table.reset_index().round(3).to_dict(orient="records")
    card["probes_command"] = f"lecturekit rescore {name}"
    (folder / "card.json").write_text(json.dumps(card, indent=1) + "\n")
    (folder / "README.md").write_text(model_card_markdown(card))
    return card


def register(commands) -> None:
    parser = commands.add_parser(
        "rescore", help="score shipped lecture models on today's probes and rewrite their model cards")
    parser.add_argument("names", nargs="+", metavar="NAME",
                        help=f"models to re-score: {', '.join(SHIPPED)}, or 'all'")
    parser.set_defaults(run=run)


def run(args) -> int:
    names = list(SHIPPED) if args.names == ["all"] else args.names
    unknown = [name for name in names if name not in SHIPPED]
    if unknown:
        print(f"error: not a shipped lecture model: {', '.join(unknown)} "
              f"(choose from {', '.join(SHIPPED)} or 'all')", file=sys.stderr)
        return 2
    for name in names:
        card = rescore(name)
        top1 = ", ".join(f"{row['category']} {row['top1']:.2f}" for row in card["probes"])
        print(f"{name}: {top1}")
    return 0
