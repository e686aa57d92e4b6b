"""Perplexity: ``exp`` of the mean cross-entropy of the true next words."""

from __future__ import annotations

import keras
from keras import ops

__all__ = ["Perplexity"]


@keras.saving.register_keras_serializable(package="lexivision")
class Perplexity(keras.metrics.Metric):
    """``exp(mean(-log p(target)))`` over every example seen, for softmax outputs.

    A model that spreads probability evenly over ``V`` words scores ``V``.

    >>> import numpy as np
    >>> metric = Perplexity()
    >>> metric.update_state(np.array([0, 1]), np.full((2, 4), 0.25))
    >>> round(float(metric.result()), 4)
    4.0
    """

    def __init__(self, name: str = "perplexity", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.reshape(ops.cast(y_true, "int32"), (-1,))
        y_pred = ops.reshape(ops.cast(y_pred, self.dtype), (-1, ops.shape(y_pred)[-1]))
        p = ops.take_along_axis(y_pred, ops.expand_dims(y_true, -1), axis=1)[:, 0]
        nll = -ops.log(ops.clip(p, 1e-7, 1.0))
        weight = ops.ones_like(nll) if sample_weight is None else ops.reshape(ops.cast(sample_weight, self.dtype), (-1,))
        self.total.assign_add(ops.sum(nll * weight))
        self.count.assign_add(ops.sum(weight))

    def result(self):
        return ops.exp(self.total / ops.maximum(self.count, 1e-12))

    def reset_state(self):
        self.total.assign(0.0)
        self.count.assign(0.0)
