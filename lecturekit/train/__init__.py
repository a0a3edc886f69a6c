"""Pretraining: a readable loop, live plots, probes during training, checkpoints.

- ``loop``: ``train`` (AdamW, warm-up + cosine, clipping, accumulation, bf16 on CUDA);
- ``data``: the shared lecture tokenizer and batch streams for each objective;
- ``callbacks``: ``LivePlot`` and ``ProbeCallback``;
- ``checkpoint``: save and resume (safetensors + JSON);
- ``pretrain``: the ``lecturekit pretrain --config FILE`` command.
"""

from .callbacks import LivePlot, ProbeCallback, draw_history
from .checkpoint import resume, save_checkpoint
from .data import BatchStream, build_tokenizer, framed
from .loop import History, TrainConfig, evaluate, perplexity, train
from .schedule import warmup_cosine

__all__ = [
    "BatchStream", "History", "LivePlot", "ProbeCallback", "TrainConfig", "build_tokenizer", "draw_history",
    "evaluate", "framed", "perplexity", "resume", "save_checkpoint", "train", "warmup_cosine",
]
