"""Pooling over token positions that ignores padding and never divides by zero."""

from __future__ import annotations

import keras
from keras import ops

POOLINGS = ("mean", "sum", "tfidf", "max")


@keras.saving.register_keras_serializable(package="lexivision")
class MaskedPooling(keras.layers.Layer):
    """Pool ``[batch, length, dim]`` vectors over the positions where ``ids != 0``.

    ``mean`` divides by max(count, 1): an all-padding row (an empty text)
    pools to zeros, not NaN. ``tfidf`` weights each position by the token's
    IDF (a ``[vocab_size]`` weight vector) and divides by the sum of weights.
    ``max`` takes the largest value per dimension over the tokens (zeros for
    an all-padding row).

    >>> import numpy as np
    >>> ids = np.array([[2, 3, 0], [0, 0, 0]])
    >>> vectors = np.ones((2, 3, 4), "float32")
    >>> MaskedPooling("mean")(vectors, ids).numpy().tolist()
    [[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]]
    >>> MaskedPooling("max")(-vectors, ids).numpy().tolist()
    [[-1.0, -1.0, -1.0, -1.0], [0.0, 0.0, 0.0, 0.0]]
    """

    def __init__(self, mode: str = "mean", idf: list[float] | None = None, **kwargs):
        super().__init__(**kwargs)
        if mode not in POOLINGS:
            raise ValueError(f"`pooling` must be one of {POOLINGS}. Received: pooling={mode!r}")
        if mode == "tfidf" and idf is None:
            raise ValueError("pooling='tfidf' needs `idf`, one weight per vocabulary id")
        self.mode = mode
        self.idf = None if idf is None else [float(x) for x in idf]
        self.supports_masking = True

    def call(self, vectors, ids):
        mask = ops.cast(ops.not_equal(ids, 0), vectors.dtype)
        if self.mode == "max":
            present = ops.expand_dims(ops.not_equal(ids, 0), -1)
            lowest = ops.full_like(vectors, float("-inf"))
            largest = ops.max(ops.where(present, vectors, lowest), axis=1)
            return ops.where(ops.any(present, axis=1), largest, ops.zeros_like(largest))
        if self.mode == "tfidf":
            weights = ops.take(ops.convert_to_tensor(self.idf, dtype=vectors.dtype), ids) * mask
        else:
            weights = mask
        total = ops.sum(vectors * ops.expand_dims(weights, -1), axis=1)
        if self.mode == "sum":
            return total
        denom = ops.maximum(ops.sum(weights, axis=1, keepdims=True), ops.cast(1e-6, vectors.dtype))
        return total / denom

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, vectors_shape, ids_shape=None):
        return (vectors_shape[0], vectors_shape[2])

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "idf": self.idf}
