"""The `lecturekit` command (also `python -m lecturekit`)."""

from __future__ import annotations

import argparse
import importlib
import sys

AREAS: tuple[str, ...] = ("lecturekit.world.cli", "lecturekit.train.pretrain", "lecturekit.train.rescore",
                         "lecturekit.scaling.cli", "lecturekit.homework.cli", "lecturekit.present")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lecturekit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    doctor = commands.add_parser("doctor", help="check that this machine can run the notebooks")
    doctor.add_argument("--tests", action="store_true",
                        help="also check what the tests need (Chromium and Playwright for the browser tests)")

    lab = commands.add_parser("lab", help="open your working copy of the notebooks in JupyterLab on 127.0.0.1")
    lab.add_argument("--port", type=int, default=8888, help="the port to serve on (default 8888)")
    lab.add_argument("--folder", default=None,
                     help="the working copy to serve (default: my-notebooks/ beside notebooks/)")

    reset = commands.add_parser("reset", help="restore lessons in your working copy to the shipped version")
    reset.add_argument("which", help="a lesson number (03), a file name, or 'all'; old copies go to .backups/")
    reset.add_argument("--folder", default=None, help="the working copy (default: my-notebooks/)")

    # Library areas add their own subcommands: each module named in AREAS has a
    # register(subparsers) that adds a subparser with a default `run(args) -> int`.
    for name in AREAS:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "doctor":
        from .doctor import main as doctor_main

        return doctor_main(tests=args.tests)
    if args.command == "lab":
        from .lab import main as lab_main

        return lab_main(port=args.port, folder=args.folder)
    if args.command == "reset":
        from .lab import reset_main

        return reset_main(args.which, folder=args.folder)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
