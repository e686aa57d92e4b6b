"""What a task hands to the training loop, and the metrics every classifier reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Prepared", "classification_metrics", "class_weights", "evaluate_classifier", "finish_dataset"]


@dataclass
class Prepared:
    """Datasets and facts about the data that a task prepared for training."""

    train: Any  # tf.data.Dataset of (inputs, labels) batches
    validation: Any
    test: Any
    y_test: np.ndarray
    data_args: dict[str, Any]  # builder arguments derived from the data (vocab_size, num_classes, ...)
    steps_per_epoch: int
    class_weight: dict[int, float] | None = None
    wrap_model: Any = None  # optional callable: built model -> model the run trains (e.g. hashed bigrams in front)
    extra: dict[str, Any] = field(default_factory=dict)  # task-specific (vocabulary, labels, images)


def finish_dataset(ds, *, shuffle: bool, size: int, batch_size: int, seed: int, cache: bool, map_fn=None):
    """cache -> shuffle -> batch -> parallel map -> prefetch: the order that keeps an accelerator fed.

    Caching comes before the shuffle so each epoch reshuffles cached elements;
    the per-batch ``map_fn`` (casting, augmentation) runs on all cores.
    """
    import tensorflow as tf

    if cache:
        ds = ds.cache()
    if shuffle:
        ds = ds.shuffle(min(size, 100_000), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if map_fn is not None:
        ds = ds.map(map_fn, num_parallel_calls=tf.data.AUTOTUNE, deterministic=not shuffle)
    return ds.prefetch(tf.data.AUTOTUNE)


def class_weights(mode: str, y: np.ndarray, num_classes: int) -> dict[int, float] | None:
    """``None`` for ``"none"``; for ``"balanced"``, n_samples / (n_classes * count) per class present.

    >>> class_weights("balanced", np.array([0, 0, 0, 1]), 2)
    {0: 0.6667, 1: 2.0}
    """
    if mode == "none":
        return None
    counts = np.bincount(y, minlength=num_classes)
    present = counts > 0
    weights = np.where(present, len(y) / (present.sum() * np.maximum(counts, 1)), 1.0)
    return {i: round(float(w), 4) for i, w in enumerate(weights)}


def classification_metrics(y_true: np.ndarray, probabilities: np.ndarray, num_classes: int) -> dict[str, Any]:
    """Test accuracy, macro-F1, mean cross-entropy and the majority-class baseline."""
    from sklearn.metrics import f1_score

    predicted = probabilities.argmax(axis=1)
    picked = probabilities[np.arange(len(y_true)), y_true].astype(np.float64)
    return {
        "test_accuracy": float((predicted == y_true).mean()),
        "test_macro_f1": float(f1_score(y_true, predicted, average="macro", labels=list(range(num_classes)), zero_division=0)),
        "test_loss": float(-np.log(np.clip(picked, 1e-7, 1.0)).mean()),
        "majority_class_accuracy": float(np.bincount(y_true, minlength=num_classes).max() / len(y_true)),
        "num_classes": num_classes,
        "num_test": int(len(y_true)),
    }


def evaluate_classifier(model, prepared: Prepared) -> dict[str, Any]:
    """Test-split metrics of a classifier (text or images), plus its predicted ids as ``_predicted``."""
    probabilities = model.predict(prepared.test, verbose=0).astype(np.float32)
    metrics = classification_metrics(prepared.y_test, probabilities, len(prepared.extra["labels"]))
    metrics["_predicted"] = probabilities.argmax(axis=1)
    return metrics
