"""Small layers over right-padded id sequences (0 = padding)."""

from __future__ import annotations

import keras
from keras import ops

__all__ = ["LastTokens", "RightPaddedMask"]


@keras.saving.register_keras_serializable(package="lexivision")
class RightPaddedMask(keras.layers.Layer):
    """ids ``[batch, length]`` -> bool mask ``ids != 0`` whose first step is always on.

    Keeping step 0 on means no row is fully masked: cuDNN's RNN kernel rejects
    zero-length sequences (Keras asserts against them, which fails inside a
    compiled ``fit``), so an empty text runs one step over the padding
    embedding instead. Rows with tokens are unchanged.

    >>> import numpy as np
    >>> RightPaddedMask()(np.array([[5, 6, 0], [0, 0, 0]])).numpy().tolist()
    [[True, True, False], [True, False, False]]
    """

    def call(self, ids):
        mask = ops.not_equal(ids, 0)
        first = ops.arange(ops.shape(ids)[1]) == 0
        return ops.logical_or(mask, ops.expand_dims(first, 0))

    def compute_output_spec(self, ids):
        return keras.KerasTensor(ids.shape, dtype="bool")


@keras.saving.register_keras_serializable(package="lexivision")
class LastTokens(keras.layers.Layer):
    """The last ``n`` non-padding ids of right-padded rows, left-padded with 0.

    Turns a preprocessed text into the context window of a language model.

    >>> import numpy as np
    >>> LastTokens(2)(np.array([[5, 6, 7, 0], [5, 0, 0, 0], [0, 0, 0, 0]])).numpy().tolist()
    [[6, 7], [0, 5], [0, 0]]
    """

    def __init__(self, n: int, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"`n` must be an int >= 1. Received: n={n!r}")
        self.n = n

    def call(self, ids):
        lengths = ops.sum(ops.cast(ops.not_equal(ids, 0), "int32"), axis=1, keepdims=True)
        positions = lengths - self.n + ops.expand_dims(ops.arange(self.n, dtype="int32"), 0)
        taken = ops.take_along_axis(ids, ops.maximum(positions, 0), axis=1)
        return ops.where(positions >= 0, taken, ops.zeros_like(taken))

    def compute_output_spec(self, ids):
        return keras.KerasTensor((ids.shape[0], self.n), dtype=ids.dtype)

    def get_config(self):
        return {**super().get_config(), "n": self.n}
