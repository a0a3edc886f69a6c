"""What fine-tuning returns: a classifier that predicts, and the record of its training."""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass, field

import pandas as pd
import torch

from ..hub.batching import as_batch, in_chunks
from ..hub.precision import explain_out_of_memory
from .heads import SequenceClassifier
from .inputs import batch, check_examples, encode, label_ids, truncation_note

PREDICT_BATCH = 64


@dataclass
class FineTuneHistory:
    """Loss every step; loss and accuracy at every evaluation (on the validation set if given).

    The first evaluation is at step 0: the pretrained network with its fresh classifier.
    """

    step: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    eval_step: list[int] = field(default_factory=list)
    eval_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    evaluated_on: str = "training set"

    def to_frame(self) -> pd.DataFrame:
        """One row per evaluation: step, loss, accuracy."""
        return pd.DataFrame({"step": self.eval_step, "loss": self.eval_loss, "accuracy": self.accuracy})

    def to_dict(self) -> dict:
        return asdict(self)


def autocast(device: torch.device):
    """bfloat16 matrix products on CUDA (weights stay float32); float32 elsewhere."""
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


class Classifier:
    """A fine-tuned classifier: ``predict``, ``probabilities``, ``accuracy``.

    Attributes: ``classes`` (the labels, in output order), ``method`` and
    ``settings``, ``pooling``, ``trainable_parameters`` and ``total_parameters``,
    ``history`` (a ``FineTuneHistory``), ``seconds`` (training wall time),
    ``notes`` (e.g. that long texts were cut), ``network`` (the trained torch module).
    """

    def __init__(self, model, network: SequenceClassifier, classes: list, method: str, settings: dict,
                 max_tokens: int, history: FineTuneHistory, seconds: float, notes: list[str]):
        self.model_name = model.name
        self._model = model  # its tokenizer and special tokens; its weights are not used
        self.network = network.eval()
        self.classes, self.method, self.settings = list(classes), method, dict(settings)
        self.pooling = network.pooling
        self.max_tokens = max_tokens
        self.history, self.seconds, self.notes = history, seconds, list(notes)
        parameters = {id(p): p for p in network.parameters()}.values()
        self.trainable_parameters = sum(p.numel() for p in parameters if p.requires_grad)
        self.total_parameters = sum(p.numel() for p in parameters)

    @property
    def device(self) -> torch.device:
        return self.network.head.weight.device

    def __repr__(self) -> str:
        share = self.trainable_parameters / max(self.total_parameters, 1)
        return (f"<Classifier over {self.model_name}: {self.method}, {len(self.classes)} classes, "
                f"{self.trainable_parameters:,} trainable parameters ({share:.2%}), {self.seconds:.1f} s>")

    def _logits(self, texts: list[str]) -> torch.Tensor:
        rows, cut = encode(self._model, texts, self.max_tokens)
        truncation_note(cut, len(rows), self.max_tokens, self.model_name)
        return self.logits_of_rows(rows)

    @torch.no_grad()
    def logits_of_rows(self, rows: list[list[int]]) -> torch.Tensor:
        """Class logits (float32, CPU) for texts already turned into token ids."""
        was_training = self.network.training
        self.network.eval()
        out = []
        with explain_out_of_memory(self.model_name, self.total_parameters, torch.float32, self.device):
            for chunk in in_chunks(rows, PREDICT_BATCH):
                ids, mask = batch(chunk, self._model.specials.pad, self.device)
                with autocast(self.device):
                    out.append(self.network(ids, mask).float().cpu())
        self.network.train(was_training)
        return torch.cat(out) if out else torch.zeros(0, len(self.classes))

    def probabilities(self, texts) -> pd.DataFrame:
        """One row per text, one column per class."""
        texts, _ = as_batch(texts, "texts")
        values = torch.softmax(self._logits(texts), dim=-1).numpy()
        return pd.DataFrame(values, columns=[str(c) for c in self.classes], index=texts)

    def predict(self, texts):
        """The likeliest label for each text (one text in, one label out)."""
        texts, single = as_batch(texts, "texts")
        predicted = [self.classes[i] for i in self._logits(texts).argmax(dim=-1).tolist()]
        return predicted[0] if single else predicted

    def loss_and_accuracy(self, texts, labels) -> tuple[float, float]:
        texts, labels = check_examples(texts, labels)
        logits = self._logits(texts)
        targets = label_ids(labels, self.classes)
        loss = torch.nn.functional.cross_entropy(logits, targets)
        return float(loss), float((logits.argmax(dim=-1) == targets).float().mean())

    def accuracy(self, texts, labels) -> float:
        """The share of ``texts`` whose predicted label equals the given one."""
        return self.loss_and_accuracy(texts, labels)[1]
