"""Fine-tuning: gradient descent on the task's loss, starting from the pretrained θ̂.

The loop is the pretraining loop's (``lecturekit.train.loop``) with a classifier's
loss: take a batch of labelled texts, compute the cross-entropy of the class
logits, backpropagate, clip the gradient norm, take an AdamW step with the
warm-up/cosine learning rate. Only the parameters the method leaves trainable
get gradients and optimizer state; the frozen rest is read, never written.

    >>> model = load_model("lecture-bert")
    >>> classifier = train_classifier(model, texts, labels, method="lora", r=4)
    >>> classifier.predict("It was wonderful.")
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import torch
import torch.nn.functional as F

from ..hub.errors import OutOfMemoryError
from ..runtime import seed_everything
from ..train.loop import TrainConfig, TrainState, make_optimizer
from ..train.schedule import warmup_cosine
from .classifier import Classifier, FineTuneHistory, autocast
from .heads import SequenceClassifier, build_network
from .inputs import batch, check_examples, encode, label_classes, label_ids, truncation_note
from .methods import default_learning_rate

EVALUATION_SAMPLE = 256  # training examples scored at each evaluation when no validation set is given
OPTIMIZERS = ("adamw", "sgd", "adagrad")


def _positive(name: str, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return value


def minibatches(n: int, batch_size: int, generator: torch.Generator) -> Iterator[list[int]]:
    """Indices of shuffled batches, a fresh shuffle every pass over the data."""
    while True:
        order = torch.randperm(n, generator=generator).tolist()
        for start in range(0, n, batch_size):
            yield order[start:start + batch_size]


def build_optimizer(name: str, network: torch.nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    """AdamW (the default), SGD with momentum 0.9, or AdaGrad, over the trainable parameters.

    All three get the same parameter groups (no weight decay on biases and norms)
    and the loop's learning-rate schedule; only the update rule differs.
    """
    adamw = make_optimizer(network, config)
    if name == "adamw":
        return adamw
    groups = [{"params": g["params"], "weight_decay": g["weight_decay"]} for g in adamw.param_groups]
    if name == "sgd":
        return torch.optim.SGD(groups, lr=config.learning_rate, momentum=0.9)
    if name == "adagrad":
        return torch.optim.Adagrad(groups, lr=config.learning_rate)
    raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {name!r}.")


@contextmanager
def explain_training_oom(network: SequenceClassifier, method: str, batch_size: int):
    """A GPU out-of-memory error, as a message that names the model's size and what to try."""
    try:
        yield
    except torch.OutOfMemoryError as error:
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
        parameters = {id(p): p for p in network.parameters()}.values()
        total = sum(p.numel() for p in parameters)
        trainable = sum(p.numel() for p in parameters if p.requires_grad)
        raise OutOfMemoryError(
            f"Fine-tuning {network.name} with method={method!r} ran out of GPU memory at batch_size="
            f"{batch_size}. The model has {total / 1e6:,.1f}M parameters ({total * 4 / 1e9:.2f} GB in "
            f"float32), {trainable / 1e6:,.2f}M of them trainable, each needing a gradient and two AdamW "
            f"moments on top. Try a smaller batch (batch_size={max(1, batch_size // 2)}), shorter texts, or "
            "method='lora', which keeps the pretrained weights frozen (no gradients or optimizer state for them)."
        ) from error


def training_step(network: SequenceClassifier, optimizer: torch.optim.Optimizer, ids: torch.Tensor,
                  mask: torch.Tensor | None, targets: torch.Tensor, grad_clip: float) -> float:
    """Forward, loss, backward, clipping, AdamW step; the gradients are left in place."""
    with autocast(ids.device):
        logits = network(ids, mask)
    loss = F.cross_entropy(logits.float(), targets)
    loss.backward()
    trainable = [p for p in network.parameters() if p.requires_grad]
    torch.nn.utils.clip_grad_norm_(trainable, grad_clip)
    optimizer.step()
    return float(loss.detach())


def train_classifier(
    model,
    texts,
    labels,
    method: str = "full",
    *,
    steps: int = 60,
    learning_rate: float | None = None,
    batch_size: int = 16,
    seed: int = 0,
    pooling: str | None = None,
    validation: tuple | None = None,
    eval_every: int | None = None,
    warmup_steps: int | None = None,
    weight_decay: float = 0.01,
    grad_clip: float = 1.0,
    callbacks: Iterable[Callable[[TrainState], None]] = (),
    progress: bool = True,
    device: str | torch.device | None = None,
    copy_model: bool = True,
    optimizer: str = "adamw",
    **method_options,
) -> Classifier:
    """Fine-tune a classifier of ``texts`` into ``labels`` over ``model`` (from ``load_model``).

    ``method``: full, linear_probe, top_layers (``n_layers``), prompt_tuning and
    prefix_tuning (``n_virtual_tokens``), lora (``r``, ``alpha``, ``dropout``,
    ``targets``). ``learning_rate`` defaults to one that suits the method and
    the model's width (``methods.default_learning_rate``).
    ``validation=(texts, labels)`` is scored before the first step and every
    ``eval_every`` steps (else a sample of the training set); ``callbacks`` are
    called after each evaluation with a ``TrainState``
    (``lecturekit.finetune.LiveCurves`` draws the curves).

    The loaded model is not changed: its network is deep-copied and the copy is
    trained (``copy_model=False`` trains it in place, to save memory on a GPU).
    ``optimizer``: "adamw" (default), "sgd" (momentum 0.9) or "adagrad"; the
    default learning rate suits AdamW, so give one for the others.
    Runs on ``lecturekit.device()``, in bfloat16 autocast on CUDA, float32 elsewhere.
    """
    texts, labels = check_examples(texts, labels)
    classes = label_classes(labels)
    targets = label_ids(labels, classes)
    steps, batch_size = _positive("steps", steps), _positive("batch_size", batch_size)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {optimizer!r}.")
    if validation is not None:
        validation_texts, validation_labels = check_examples(*validation)
        validation_targets = label_ids(validation_labels, classes)
    seed_everything(seed)
    network, settings = build_network(model, method, len(classes), pooling=pooling, seed=seed,
                                      device=device, copy_model=copy_model, **method_options)
    max_tokens = model.max_length - network.adaptation.virtual_tokens
    rows, cut = encode(model, texts, max_tokens)
    notes = [n for n in [truncation_note(cut, len(rows), max_tokens, model.name)] if n]
    if validation is not None:
        evaluation_rows, cut = encode(model, validation_texts, max_tokens)
        notes += [n for n in [truncation_note(cut, len(evaluation_rows), max_tokens, model.name)] if n]
        evaluation_targets, evaluated_on = validation_targets, "validation set"
    else:
        sample = torch.randperm(len(rows), generator=torch.Generator().manual_seed(seed))[:EVALUATION_SAMPLE]
        evaluation_rows = [rows[i] for i in sample.tolist()]
        evaluation_targets = targets[sample]
        evaluated_on = f"training set ({len(evaluation_rows)} examples)"

    config = TrainConfig(
        steps=steps, learning_rate=learning_rate or default_learning_rate(method, network.head.in_features),
        weight_decay=weight_decay,
        warmup_steps=steps // 10 if warmup_steps is None else warmup_steps, grad_clip=grad_clip,
        eval_every=eval_every or max(1, steps // 10), seed=seed,
    )
    update = build_optimizer(optimizer, network, config)
    history = FineTuneHistory(evaluated_on=evaluated_on)
    classifier = Classifier(model, network, classes, method, settings, max_tokens, history, 0.0, notes)
    target_device = classifier.device
    callbacks = list(callbacks)
    batches = minibatches(len(rows), batch_size, torch.Generator().manual_seed(seed))

    def evaluate(step: int) -> None:
        logits = classifier.logits_of_rows(evaluation_rows)
        history.eval_step.append(step)
        history.eval_loss.append(float(F.cross_entropy(logits, evaluation_targets)))
        history.accuracy.append(float((logits.argmax(dim=-1) == evaluation_targets).float().mean()))
        state = TrainState(step, network, history, config)
        for callback in callbacks:
            callback(state)

    from tqdm.auto import tqdm

    bar = tqdm(total=steps, desc=f"fine-tuning ({method})", disable=not progress, leave=False)
    started = time.perf_counter()
    evaluate(0)  # where fine-tuning starts: θ̂ with a fresh classifier
    network.train()
    for step in range(steps):
        rate = config.learning_rate * warmup_cosine(step, config.warmup_steps, steps, config.min_lr_ratio)
        for group in update.param_groups:
            group["lr"] = rate
        chosen = next(batches)
        ids, mask = batch([rows[i] for i in chosen], model.specials.pad, target_device)
        with explain_training_oom(network, method, batch_size):
            loss = training_step(network, update, ids, mask, targets[chosen].to(target_device), grad_clip)
        update.zero_grad(set_to_none=True)
        if loss != loss:  # NaN
            raise FloatingPointError(f"The loss became NaN at step {step + 1}; lower the learning rate.")
        history.step.append(step + 1)
        history.train_loss.append(loss)
        history.learning_rate.append(rate)
        bar.set_postfix(loss=f"{loss:.3f}")
        bar.update(1)
        if (step + 1) % config.eval_every == 0 or step + 1 == steps:
            evaluate(step + 1)
    bar.close()
    network.eval()
    classifier.seconds = time.perf_counter() - started
    return classifier
