"""Optimizer, learning-rate schedule, and the callbacks of a training run.

Checkpoints go to ``RUNDIR/checkpoints/epoch_NNN.keras`` after every epoch (the
last ``training.checkpoints_to_keep`` are kept); a run resumes from the newest
one that loads.

>>> checkpoint_epoch("checkpoints/epoch_007.keras")
7
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import keras

__all__ = ["make_optimizer", "make_callbacks", "checkpoint_epoch", "list_checkpoints", "CHECKPOINT_DIR"]

CHECKPOINT_DIR = "checkpoints"
_CHECKPOINT = re.compile(r"epoch_(\d+)\.keras$")


def checkpoint_epoch(path: str | Path) -> int:
    """The number of epochs a checkpoint file holds."""
    match = _CHECKPOINT.search(str(path))
    if not match:
        raise ValueError(f"{path}: not a checkpoint name (epoch_NNN.keras)")
    return int(match.group(1))


def list_checkpoints(run_dir: str | Path) -> list[Path]:
    """Checkpoints of a run, oldest first."""
    folder = Path(run_dir) / CHECKPOINT_DIR
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if _CHECKPOINT.search(p.name)), key=checkpoint_epoch)


def learning_rate(training: dict[str, Any], steps_per_epoch: int):
    """A float or a ``keras.optimizers.schedules`` schedule for ``training.lr_schedule``."""
    rate = training["learning_rate"]
    if training["lr_schedule"] == "cosine":
        return keras.optimizers.schedules.CosineDecay(rate, decay_steps=max(1, training["epochs"] * steps_per_epoch))
    if training["lr_schedule"] == "exponential":
        return keras.optimizers.schedules.ExponentialDecay(
            rate, decay_steps=max(1, steps_per_epoch), decay_rate=training["lr_decay_rate"]
        )
    return rate


def make_optimizer(training: dict[str, Any], steps_per_epoch: int):
    rate = learning_rate(training, steps_per_epoch)
    name = training["optimizer"]
    if name == "sgd":
        return keras.optimizers.SGD(rate, momentum=0.9, nesterov=True, weight_decay=training["weight_decay"] or None)
    if name == "adamw":
        return keras.optimizers.AdamW(rate, weight_decay=training["weight_decay"])
    return keras.optimizers.Adam(rate, weight_decay=training["weight_decay"] or None)


def make_callbacks(training: dict[str, Any], run_dir: Path, *, resuming: bool, write: bool) -> list:
    """CSV history, checkpoints, early stopping and TensorBoard for ``model.fit``.

    ``write`` is False on multi-worker processes that are not the chief: they
    checkpoint into a scratch folder (every worker must save) and log nothing.
    """
    callbacks: list = []
    checkpoint_dir = run_dir / CHECKPOINT_DIR if write else run_dir / f".worker-{id(run_dir)}" / CHECKPOINT_DIR
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    callbacks.append(keras.callbacks.ModelCheckpoint(str(checkpoint_dir / "epoch_{epoch:03d}.keras")))
    callbacks.append(_PruneCheckpoints(checkpoint_dir, training["checkpoints_to_keep"]))
    if write:
        callbacks.append(keras.callbacks.CSVLogger(str(run_dir / "history.csv"), append=resuming))
        if training["tensorboard"]:
            callbacks.append(keras.callbacks.TensorBoard(log_dir=str(run_dir / "logs"), profile_batch=0))
    if training["early_stopping_patience"]:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=training["early_stopping_patience"], restore_best_weights=True
        ))
    return callbacks


class _PruneCheckpoints(keras.callbacks.Callback):
    """Delete all but the newest ``keep`` checkpoints after each epoch."""

    def __init__(self, folder: Path, keep: int) -> None:
        super().__init__()
        self.folder = folder
        self.keep = keep

    def on_epoch_end(self, epoch, logs=None):
        old = list_checkpoints(self.folder.parent)[: -self.keep]
        for path in old:
            path.unlink(missing_ok=True)
