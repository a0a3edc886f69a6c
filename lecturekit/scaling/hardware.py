"""From FLOPs to GPU-hours: what a training budget costs on real accelerators.

    hours = compute / (peak FLOP/s × utilisation × 3600)

Peak speeds are the vendors' dense 16-bit tensor-core numbers (bf16 where the chip
has it; NVIDIA's datasheets print the "with sparsity" figure, twice the dense one).
No real training run reaches its peak: the share it does reach, the model FLOPs
utilisation (MFU), was 46.2% for PaLM 540B (Chowdhery et al. 2022, Table 3) and
38-43% for Llama 3.1 405B (Dubey et al. 2024, Table 4). The default here is 40%.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._checks import GPU_HOURS_RANGE, check_compute, check_number, check_utilisation, choose

DEFAULT_UTILISATION = 0.4
SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class Accelerator:
    name: str
    peak_flops: float  # FLOP/s, dense
    precision: str
    source: str


ACCELERATORS = {
    accelerator.name: accelerator
    for accelerator in (
        Accelerator("A100", 312e12, "bf16", "NVIDIA A100 Tensor Core GPU datasheet (SXM)"),
        Accelerator("H100", 989e12, "bf16", "NVIDIA H100 Tensor Core GPU datasheet (SXM; 1,979 with sparsity)"),
        Accelerator("H200", 989e12, "bf16", "NVIDIA H200 Tensor Core GPU datasheet (SXM; 1,979 with sparsity)"),
        Accelerator("V100", 125e12, "fp16", "NVIDIA V100 Tensor Core GPU datasheet (SXM2; no bf16)"),
        Accelerator("T4", 65e12, "fp16", "NVIDIA T4 datasheet (FP16 mixed precision; no bf16; Colab's free GPU)"),
        Accelerator("RTX 4090", 165.2e12, "bf16",
                    "NVIDIA Ada Lovelace GPU architecture whitepaper (GeForce RTX 4090, FP32 accumulate)"),
    )
}


def get_accelerator(gpu) -> Accelerator:
    if isinstance(gpu, Accelerator):
        return gpu
    return ACCELERATORS[choose("accelerator", gpu, list(ACCELERATORS))]


def gpu_hours(compute, gpu: str = "H100", utilisation: float = DEFAULT_UTILISATION) -> float:
    """GPU-hours to spend ``compute`` FLOPs on ``gpu`` running at ``utilisation`` of its peak."""
    compute = check_compute(compute)
    accelerator = get_accelerator(gpu)
    utilisation = check_utilisation(utilisation)
    return compute / (accelerator.peak_flops * utilisation * SECONDS_PER_HOUR)


def compute_for_gpu_hours(hours, gpu: str = "H100", utilisation: float = DEFAULT_UTILISATION) -> float:
    """The FLOPs that ``hours`` GPU-hours buy: "what could I train with 1,000 H100-hours?"."""
    hours = check_number("hours", hours, GPU_HOURS_RANGE, "GPU-hours")
    accelerator = get_accelerator(gpu)
    utilisation = check_utilisation(utilisation)
    return hours * SECONDS_PER_HOUR * accelerator.peak_flops * utilisation


def implied_utilisation(compute, hours, gpu: str) -> float:
    """The share of peak a run reached, from its compute and its reported GPU-hours."""
    compute = check_compute(compute)
    hours = check_number("hours", hours, GPU_HOURS_RANGE, "GPU-hours")
    return compute / (hours * SECONDS_PER_HOUR * get_accelerator(gpu).peak_flops)


def accelerators():
    """The accelerators as a table: peak dense FLOP/s, precision and source."""
    import pandas as pd

    return pd.DataFrame([vars(a) for a in ACCELERATORS.values()]).set_index("name")
