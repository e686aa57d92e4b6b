"""Image classification: uint8 images -> float pixels in [0, 1] (in tf.data) -> an image model.

Run-directory assets: ``labels.txt`` and ``image_config.json``
(``{"height", "width", "channels"}``); the model takes float pixels
``[batch, height, width, channels]`` in [0, 1].
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from training.tasks.base import Prepared, class_weights, evaluate_classifier as evaluate, finish_dataset
from vocab._atomic import write_text_atomic

__all__ = ["prepare", "evaluate", "report", "augment_fn"]


def _log(message: str) -> None:
    print(f"[lexivision] {message}", flush=True)


def augment_fn(policy: str, seed: int):
    """A batch function uint8 ``[b, h, w, c]`` -> float32 in [0, 1], with ``flip_shift`` augmentation
    (random left-right flip and a random shift of up to 2 pixels, zero-filled) when asked."""
    import tensorflow as tf

    def to_float(images, labels):
        return tf.cast(images, tf.float32) / 255.0, labels

    if policy == "none":
        return to_float
    generator = tf.random.Generator.from_seed(seed)

    def flip_shift(images, labels):
        images, labels = to_float(images, labels)
        batch = tf.shape(images)[0]
        height, width = images.shape[1], images.shape[2]
        flip = generator.uniform([batch, 1, 1, 1]) < 0.5
        images = tf.where(flip, tf.reverse(images, axis=[2]), images)
        padded = tf.pad(images, [[0, 0], [2, 2], [2, 2], [0, 0]])
        offsets = generator.uniform([batch, 2], 0, 5, dtype=tf.int32)
        rows = offsets[:, :1] + tf.range(height)[None, :]
        cols = offsets[:, 1:] + tf.range(width)[None, :]
        images = tf.gather(padded, rows, axis=1, batch_dims=1)
        images = tf.gather(images, cols, axis=2, batch_dims=1)
        return images, labels

    return flip_shift


def prepare(config: dict[str, Any], run_dir: Path, resuming: bool) -> Prepared:
    import tensorflow as tf

    from training.data import load_image_splits

    arrays, labels = load_image_splits(config["data"])
    _log("data: " + ", ".join(f"{k} {len(v[1])}" for k, v in arrays.items()))
    height, width, channels = arrays["train"][0].shape[1:]
    write_text_atomic(run_dir / "labels.txt", "".join(name + "\n" for name in labels))
    write_text_atomic(run_dir / "image_config.json", json.dumps({"height": int(height), "width": int(width), "channels": int(channels)}))
    training = config["training"]
    plain = augment_fn("none", training["seed"])

    def dataset(name: str, shuffle: bool):
        images, y = arrays[name]
        ds = tf.data.Dataset.from_tensor_slices((images, y))
        map_fn = augment_fn(config["image"]["augment"], training["seed"]) if shuffle else plain
        return finish_dataset(ds, shuffle=shuffle, size=len(y), batch_size=training["batch_size"],
                              seed=training["seed"], cache=training["cache"], map_fn=map_fn)

    y_train = arrays["train"][1]
    return Prepared(
        train=dataset("train", True),
        validation=dataset("validation", False),
        test=dataset("test", False),
        y_test=arrays["test"][1],
        data_args={"input_shape": (int(height), int(width), int(channels)), "num_classes": len(labels)},
        steps_per_epoch=max(1, math.ceil(len(y_train) / training["batch_size"])),
        class_weight=class_weights(training["class_weight"], y_train, len(labels)),
        extra={"labels": labels, "arrays": arrays},
    )


def report(model, prepared: Prepared, run_dir: Path, evaluation: dict[str, Any]) -> dict[str, str]:
    from training import reports

    labels = prepared.extra["labels"]
    predicted = evaluation["_predicted"]
    files = {
        "confusion_matrix": str(reports.plot_confusion_matrix(prepared.y_test, predicted, labels, run_dir / "confusion_matrix.png")),
        "misclassified": str(reports.plot_misclassified(
            prepared.extra["arrays"]["test"][0], prepared.y_test, predicted, labels, run_dir / "misclassified.png"
        )),
    }
    filters = reports.plot_conv_filters(model, run_dir / "conv_filters.png")
    if filters is not None:
        files["conv_filters"] = str(filters)
    return files
