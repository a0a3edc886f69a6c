"""Training checkpoints: the model, the optimizer's memory, and where training stood.

Everything is safetensors or JSON (never pickle), so a checkpoint can be opened
safely and read by other tools:

- ``config.json`` + ``model.safetensors``: the model (``save_pretrained``);
- ``optimizer.safetensors``: AdamW's running averages, one tensor per parameter;
- ``trainer_state.json``: the step reached, the training configuration, the history.

``resume`` rebuilds all three so training continues exactly where it stopped.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from ..models import CheckpointError, load_pretrained
from .loop import History, TrainConfig, make_optimizer

OPTIMIZER_FILE = "optimizer.safetensors"
STATE_FILE = "trainer_state.json"


def save_checkpoint(folder, model, optimizer, step: int, history: History, config: TrainConfig,
                    extra: dict | None = None) -> Path:
    folder = Path(folder)
    model.save_pretrained(folder)
    state = optimizer.state_dict()
    tensors = {
        f"{index}.{key}": value.detach().cpu().contiguous()
        for index, values in state["state"].items()
        for key, value in values.items()
        if torch.is_tensor(value)
    }
    save_file(tensors, str(folder / OPTIMIZER_FILE))
    groups = [{k: v for k, v in group.items() if k != "params"} | {"params": group["params"]}
              for group in state["param_groups"]]
    payload = {"step": step, "train_config": config.to_dict(), "history": history.to_dict(),
               "param_groups": groups, **(extra or {})}
    (folder / STATE_FILE).write_text(json.dumps(payload, indent=1) + "\n")
    return folder


def resume(folder, device=None):
    """Load a checkpoint for further training: (model, optimizer, step, history, config).

    Raises ``CheckpointError`` with the reason when a file is missing or damaged or
    when the saved optimizer does not fit the saved model.
    """
    folder = Path(folder)
    model = load_pretrained(folder, device=device)  # checks config and weights itself
    state_path = folder / STATE_FILE
    try:
        payload = json.loads(state_path.read_text())
        config = TrainConfig(**payload["train_config"])
        history = History(**payload["history"])
        step = int(payload["step"])
    except FileNotFoundError:
        raise CheckpointError(f"{folder}: no {STATE_FILE}; this folder holds a model but no training state.") from None
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"{state_path} is damaged ({error}).") from None
    try:
        tensors = load_file(str(folder / OPTIMIZER_FILE))
    except FileNotFoundError:
        raise CheckpointError(f"{folder}: no {OPTIMIZER_FILE}; cannot resume the optimizer.") from None
    except (SafetensorError, OSError) as error:
        raise CheckpointError(f"{folder / OPTIMIZER_FILE} is damaged ({error}).") from None
    optimizer = make_optimizer(model, config)
    per_param: dict[int, dict] = {}
    for name, value in tensors.items():
        index, key = name.split(".", 1)
        per_param.setdefault(int(index), {})[key] = value.to(next(model.parameters()).device) if key != "step" else value
    try:
        optimizer.load_state_dict({"state": per_param, "param_groups": payload["param_groups"]})
    except (ValueError, KeyError) as error:
        raise CheckpointError(f"{folder}: the optimizer state does not fit the model ({error}).") from None
    return model, optimizer, step, history, config
