"""GPU-ready switches: ``tf.distribute`` strategy, mixed precision, chief/worker roles.

``training.strategy`` is ``"auto"`` (MultiWorkerMirroredStrategy when
``TF_CONFIG`` names a cluster, MirroredStrategy on several GPUs, else the
default strategy), ``"default"``, ``"mirrored"`` (all local GPUs, or the CPU
when there is none) or ``"multi_worker"`` (needs ``TF_CONFIG``).

>>> read_tf_config(required=False, environ={})
>>> read_tf_config(required=False, environ={"TF_CONFIG": '{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 0}}'})["task"]
{'type': 'worker', 'index': 0}
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

from training.errors import UserError

__all__ = ["read_tf_config", "select_strategy", "is_chief", "precision_policy"]


def read_tf_config(required: bool, environ: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """The parsed ``TF_CONFIG`` environment variable (None when unset and not required)."""
    environ = os.environ if environ is None else environ
    raw = environ.get("TF_CONFIG", "").strip()
    if not raw:
        if required:
            raise UserError(
                "training.strategy = 'multi_worker' needs the TF_CONFIG environment variable "
                '(e.g. {"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}})'
            )
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as err:
        raise UserError(f"TF_CONFIG is not valid JSON ({err}); see training.strategy in the README") from None
    if not isinstance(value, dict) or not isinstance(value.get("cluster"), dict) or not isinstance(value.get("task"), dict):
        raise UserError("TF_CONFIG must be a JSON object with 'cluster' and 'task' tables")
    return value


def is_chief(tf_config: dict[str, Any] | None) -> bool:
    """Whether this process writes the run directory (the chief, or worker 0 without a chief).

    >>> is_chief(None), is_chief({"cluster": {"worker": ["a", "b"]}, "task": {"type": "worker", "index": 1}})
    (True, False)
    """
    if not tf_config:
        return True
    task = tf_config.get("task", {})
    if task.get("type") == "chief":
        return True
    has_chief = "chief" in tf_config.get("cluster", {})
    return not has_chief and task.get("type") == "worker" and int(task.get("index", 0)) == 0


def select_strategy(name: str):
    """The ``tf.distribute.Strategy`` for ``training.strategy``.

    Call it before any other TensorFlow work in the process: MultiWorkerMirroredStrategy
    can only be created while the eager context is fresh.
    """
    import tensorflow as tf

    tf_config = read_tf_config(required=name == "multi_worker")
    if name == "multi_worker" or (name == "auto" and tf_config and len(_cluster_tasks(tf_config)) > 1):
        # before anything else touches the TF context: collective ops are configured at startup
        return tf.distribute.MultiWorkerMirroredStrategy()
    gpus = tf.config.list_logical_devices("GPU")
    if name == "mirrored":
        return tf.distribute.MirroredStrategy(devices=None if gpus else ["/cpu:0"])
    if name == "auto" and len(gpus) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def _cluster_tasks(tf_config: dict[str, Any]) -> list[str]:
    return [address for tasks in tf_config.get("cluster", {}).values() for address in tasks]


@contextlib.contextmanager
def precision_policy(mixed: bool) -> Iterator[None]:
    """Set Keras' global dtype policy to ``mixed_float16`` (or leave it) and restore it afterwards."""
    import keras

    previous = keras.mixed_precision.global_policy().name
    if mixed:
        keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy(previous)
