"""Well-known pretrained models: parameters, training tokens, compute, each with its source.

Where a paper states its training compute, the table keeps that number
(``compute_from = "reported"``); where it does not, the compute is 6·N·D
(``compute_from = "6ND"``). Column ``six_nd`` always holds 6·N·D, so the two can be
compared. ``reported_gpu_hours`` is the training time a paper or model card gives.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

BROWN_2020 = "Brown et al. 2020, 'Language Models are Few-Shot Learners' (Table D.1)"
RAE_2021 = "Rae et al. 2021, 'Scaling Language Models: Methods, Analysis & Insights from Training Gopher'"
HOFFMANN_2022 = "Hoffmann et al. 2022, 'Training Compute-Optimal Large Language Models'"
TOUVRON_2023A = "Touvron et al. 2023a, 'LLaMA: Open and Efficient Foundation Language Models' (Tables 2 and 15)"
TOUVRON_2023B = "Touvron et al. 2023b, 'Llama 2: Open Foundation and Fine-Tuned Chat Models' (Tables 1 and 2)"
META_2024 = "Meta 2024, Llama 3 model card (MODEL_CARD.md); Dubey et al. 2024, 'The Llama 3 Herd of Models'"
DUBEY_2024 = "Dubey et al. 2024, 'The Llama 3 Herd of Models' (section 3.2.1)"


@dataclass(frozen=True)
class PublishedModel:
    model: str
    year: int
    parameters: float
    tokens: float
    source: str
    reported_compute: float | None = None  # FLOPs, when the source states them
    reported_gpu_hours: float | None = None
    gpu: str | None = None  # the accelerator those hours were on (a key of hardware.ACCELERATORS)
    note: str = ""


MODELS = (
    PublishedModel("GPT-3 175B", 2020, 175e9, 300e9, BROWN_2020, reported_compute=3.14e23),
    PublishedModel("Gopher 280B", 2021, 280e9, 300e9, f"{RAE_2021}; compute: {HOFFMANN_2022} (Table 3)",
                   reported_compute=5.76e23,
                   note="5.76e23 is the 'Gopher unit' of Hoffmann et al.'s Table 3"),
    PublishedModel("Chinchilla 70B", 2022, 70e9, 1.4e12, HOFFMANN_2022, reported_compute=5.76e23,
                   note="trained with the same compute budget as Gopher"),
    PublishedModel("LLaMA 7B", 2023, 6.7e9, 1.0e12, TOUVRON_2023A, reported_gpu_hours=82_432, gpu="A100"),
    PublishedModel("LLaMA 65B", 2023, 65.2e9, 1.4e12, TOUVRON_2023A, reported_gpu_hours=1_022_362, gpu="A100",
                   note="about 380 tokens/s per A100-80GB on 2048 GPUs, about 21 days"),
    PublishedModel("Llama 2 70B", 2023, 70e9, 2.0e12, TOUVRON_2023B, reported_gpu_hours=1_720_320, gpu="A100"),
    PublishedModel("Llama 3 8B", 2024, 8e9, 15e12, META_2024, reported_gpu_hours=1.3e6, gpu="H100",
                   note="'over 15T tokens'"),
    PublishedModel("Llama 3 70B", 2024, 70e9, 15e12, META_2024, reported_gpu_hours=6.4e6, gpu="H100",
                   note="'over 15T tokens'"),
    PublishedModel("Llama 3.1 405B", 2024, 405e9, 15.6e12, DUBEY_2024, reported_compute=3.8e25),
)


def published_models():
    """One row per model: parameters, tokens, tokens per parameter, compute and where each comes from."""
    import pandas as pd

    rows = []
    for entry in MODELS:
        row = asdict(entry)
        six_nd = 6 * entry.parameters * entry.tokens
        row["tokens_per_parameter"] = entry.tokens / entry.parameters
        row["six_nd"] = six_nd
        row["compute"] = entry.reported_compute if entry.reported_compute is not None else six_nd
        row["compute_from"] = "reported" if entry.reported_compute is not None else "6ND"
        rows.append(row)
    columns = ["model", "year", "parameters", "tokens", "tokens_per_parameter", "compute", "compute_from", "six_nd",
               "reported_gpu_hours", "gpu", "source", "note"]
    return pd.DataFrame(rows)[columns].set_index("model")
