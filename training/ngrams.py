"""Hashed word bigrams (fastText's trick) as a Keras layer in front of a text model.

``vocabulary.bigram_buckets = B`` turns the model input ``ids [batch, L]`` into
``[batch, 2L - 1]``: the unigram ids, then one id per adjacent pair,
``V + (a * 1000003 + b) mod B`` (0 where either word is padding). The text
model's embedding then has ``V + B`` rows, so a bigram such as "new york" gets
its own vector without a bigram vocabulary. The run's model still takes
unigram ids, so preprocessing and export do not change.

>>> import numpy as np
>>> bigram_ids(np.array([[2, 3, 0]]), num_tokens=10, num_buckets=5).tolist()
[[2, 3, 0, 14, 0]]
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

__all__ = ["HashedBigrams", "bigram_ids", "with_bigrams", "bigram_idf"]

_PRIME = 1000003


def bigram_ids(ids: np.ndarray, num_tokens: int, num_buckets: int) -> np.ndarray:
    """NumPy twin of :class:`HashedBigrams` (used for bucket document frequencies)."""
    ids = np.asarray(ids, np.int64)
    a, b = ids[:, :-1], ids[:, 1:]
    bigrams = np.where((a > 0) & (b > 0), num_tokens + (a * _PRIME + b) % num_buckets, 0)
    return np.concatenate([ids, bigrams], axis=1)


@keras.saving.register_keras_serializable(package="lexivision")
class HashedBigrams(keras.layers.Layer):
    """int ids ``[batch, L]`` -> ``[batch, 2L - 1]``: the ids, then hashed bigram ids in ``[V, V + B)``."""

    def __init__(self, num_tokens: int, num_buckets: int, **kwargs):
        super().__init__(**kwargs)
        if num_tokens < 1 or num_buckets < 1:
            raise ValueError(f"`num_tokens` and `num_buckets` must be >= 1. Received: {num_tokens}, {num_buckets}")
        self.num_tokens = int(num_tokens)
        self.num_buckets = int(num_buckets)

    def call(self, ids):
        ids = ops.cast(ids, "int64")
        a, b = ids[:, :-1], ids[:, 1:]
        hashed = self.num_tokens + ops.mod(a * _PRIME + b, self.num_buckets)
        bigrams = ops.where(ops.logical_and(a > 0, b > 0), hashed, ops.zeros_like(hashed))
        return ops.concatenate([ids, bigrams], axis=1)

    def compute_output_shape(self, input_shape):
        length = input_shape[1]
        return (input_shape[0], None if length is None else 2 * length - 1)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "num_buckets": self.num_buckets}


def bigram_idf(unigram_idf: list[float], train_ids: np.ndarray, num_buckets: int) -> list[float]:
    """Smoothed IDF for every id of the extended vocabulary; bucket document frequencies from ``train_ids``."""
    num_tokens = len(unigram_idf)
    buckets = bigram_ids(train_ids, num_tokens, num_buckets)[:, train_ids.shape[1]:]
    df = np.zeros(num_buckets, np.int64)
    for row in buckets:
        present = np.unique(row[row > 0]) - num_tokens
        df[present] += 1
    n = len(train_ids)
    return list(unigram_idf) + (np.log((1 + n) / (1 + df)) + 1).tolist()


def with_bigrams(base: keras.Model, sequence_length: int, num_tokens: int, num_buckets: int) -> keras.Model:
    """``ids [batch, sequence_length]`` -> HashedBigrams -> ``base`` (built for ``num_tokens + num_buckets`` ids)."""
    ids = keras.Input(shape=(sequence_length,), dtype="int64", name="token_ids")
    outputs = base(HashedBigrams(num_tokens, num_buckets, name="hashed_bigrams")(ids))
    return keras.Model(ids, outputs, name=base.name)
