"""Scale (LECTURE.md section 6): what training costs, and how to spend a budget.

- ``compute``: C ≈ 6·N·D (``training_flops``), where the 6 comes from, and the exact
  count of Hoffmann et al. 2022, Appendix F (``chinchilla_flops``); parameters of
  the lecture models counted by hand (``parameter_count``);
- ``laws``: the loss L(N, D) = E + A/N^α + B/D^β of two published fits, the
  compute-optimal N and D for a budget (``chinchilla_optimal``), ``predicted_loss``;
- ``published``: GPT-3, Gopher, Chinchilla, LLaMA, Llama 2 and 3, with sources
  (``published_models``);
- ``hardware``: FLOPs to GPU-hours and back (``gpu_hours``, ``compute_for_gpu_hours``);
- ``sweep`` and ``isoflop``: a measured scaling sweep on the lecture world
  (``lecturekit scaling sweep``) and the iso-FLOP fit of its results;
- ``readable``: numbers for people ("70 B parameters", "5.8e23 FLOPs").
"""

from .compute import DecoderShape, FlopsCount, chinchilla_flops, parameter_count, training_flops
from .hardware import (
    ACCELERATORS,
    DEFAULT_UTILISATION,
    accelerators,
    compute_for_gpu_hours,
    gpu_hours,
)
from .laws import FITS, LossFit, Optimum, chinchilla_optimal, iso_flop_curve, predicted_loss
from .published import published_models

__all__ = [
    "ACCELERATORS", "DEFAULT_UTILISATION", "FITS", "DecoderShape", "FlopsCount", "LossFit", "Optimum",
    "accelerators", "chinchilla_flops", "chinchilla_optimal", "compute_for_gpu_hours", "gpu_hours",
    "iso_flop_curve", "parameter_count", "predicted_loss", "published_models", "training_flops",
]
