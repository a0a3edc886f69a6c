"""``lecturekit scaling``: the compute-optimal size for a budget, and the measured sweep.

    lecturekit scaling optimal 5.76e23             # every fit's N and D for Gopher's budget
    lecturekit scaling optimal --gpu-hours 1000 --gpu H100
    lecturekit scaling sweep [--config configs/scaling-sweep.json] [--out FILE]
"""

from __future__ import annotations

import sys


def register(commands) -> None:
    from .sweep import add_arguments

    parser = commands.add_parser("scaling", help="compute-optimal model sizes, and the measured scaling sweep")
    actions = parser.add_subparsers(dest="scaling_command", required=True)

    optimal = actions.add_parser("optimal", help="the compute-optimal parameters and tokens for a budget")
    optimal.add_argument("compute", nargs="?", type=float, help="the budget in FLOPs, e.g. 5.76e23")
    optimal.add_argument("--gpu-hours", type=float, help="or a budget in GPU-hours (with --gpu, --utilisation)")
    optimal.add_argument("--gpu", default="H100", help="the accelerator for --gpu-hours (default H100)")
    optimal.add_argument("--utilisation", type=float, default=0.4, help="share of peak speed (default 0.4)")
    optimal.set_defaults(run=run_optimal)

    sweep = actions.add_parser("sweep", help="train small decoders at several sizes and budgets (iso-FLOP)")
    add_arguments(sweep)
    sweep.set_defaults(run=run_sweep)


def run_optimal(args) -> int:
    from . import readable
    from .hardware import compute_for_gpu_hours
    from .laws import FITS, chinchilla_optimal

    try:
        if args.gpu_hours is not None:
            compute = compute_for_gpu_hours(args.gpu_hours, args.gpu, args.utilisation)
            print(f"{readable.hours(args.gpu_hours)} on {args.gpu} at {args.utilisation:.0%} of peak "
                  f"= {readable.flops(compute)}")
        elif args.compute is not None:
            compute = args.compute
        else:
            print("error: give a budget in FLOPs or --gpu-hours", file=sys.stderr)
            return 2
        for name in FITS:
            best = chinchilla_optimal(compute, fit=name)
            loss = f", predicted loss {best.predicted_loss:.2f}" if best.predicted_loss == best.predicted_loss else ""
            print(f"{name:>24}: {readable.count(best.parameters, 'parameters')}, "
                  f"{readable.count(best.tokens, 'tokens')} ({best.tokens_per_parameter:.0f} per parameter){loss}")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def run_sweep(args) -> int:
    from .sweep import run_command

    return run_command(args)
