"""Averaged word embeddings: a strong, fast baseline for text classification."""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from training.models.inputs import text_inputs
from training.models.pooling import POOLINGS, MaskedPooling

__all__ = ["average_embedding"]


def average_embedding(
    vocab_size: int,
    num_classes: int,
    *,
    sequence_length: int | None = None,
    embedding_dim: int = 64,
    pooling: str = "mean",
    idf: Sequence[float] | None = None,
    hidden_units: Sequence[int] = (),
    dropout: float = 0.0,
    embedding_weights: np.ndarray | None = None,
    trainable_embeddings: bool = True,
    preprocessor: keras.layers.Layer | None = None,
    name: str = "average_embedding",
) -> keras.Model:
    """Embedding lookup, mask-aware pooling over tokens, dense layers, softmax.

    Use it first for text classification: it trains in seconds, and it is
    hard to beat on short texts.

    Args:
        vocab_size: number of ids (``len(vocabulary)``).
        num_classes: size of the softmax output ``probabilities``.
        sequence_length: ids per text (``None``: any length).
        embedding_dim: width of the word vectors.
        pooling: one of ``POOLINGS``: ``mean`` over non-padding tokens, ``sum``,
            ``tfidf`` (weighted mean, ``idf[i]`` weights id ``i``; see
            :func:`training.models.idf_weights`) or ``max``. An all-padding
            text (empty, or only stop words) pools to zeros, not NaN.
        hidden_units: ReLU dense layers after pooling.
        dropout: dropout rate after pooling / each hidden layer.
        embedding_weights: initial ``[vocab_size, embedding_dim]`` matrix, e.g.
            from :func:`training.models.load_word_vectors`.
        trainable_embeddings: ``False`` freezes the embedding.
        preprocessor: a ``pipeline.TextPreprocessor``; the model then takes raw
            strings (input ``text``) instead of ids (input ``token_ids``).

    >>> model = average_embedding(vocab_size=10, num_classes=3, sequence_length=5, embedding_dim=2)
    >>> model.output_shape
    (None, 3)
    """
    if pooling not in POOLINGS:
        raise ValueError(f"`pooling` must be one of {POOLINGS}. Received: pooling={pooling!r}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout!r}")
    if idf is not None and len(idf) != vocab_size:
        raise ValueError(f"`idf` must have one weight per id ({vocab_size}). Received: {len(idf)} weights")
    if embedding_weights is not None:
        embedding_weights = np.asarray(embedding_weights, dtype="float32")
        if embedding_weights.shape != (vocab_size, embedding_dim):
            raise ValueError(
                f"`embedding_weights` must have shape (vocab_size, embedding_dim) = ({vocab_size}, {embedding_dim}). "
                f"Received: shape {embedding_weights.shape}"
            )
    # Layers
    embedding = keras.layers.Embedding(
        vocab_size, embedding_dim, trainable=trainable_embeddings, name="embedding"
    )
    pool = MaskedPooling(pooling, idf=None if idf is None else list(idf), name="pooling")
    hidden = [keras.layers.Dense(units, activation="relu", name=f"hidden_{i}") for i, units in enumerate(hidden_units)]
    head = keras.layers.Dense(num_classes, activation="softmax", name="probabilities", dtype="float32")

    # Functional model
    inputs, ids = text_inputs(preprocessor, sequence_length)
    x = pool(embedding(ids), ids)
    if dropout:
        x = keras.layers.Dropout(dropout, name="dropout")(x)
    for i, layer in enumerate(hidden):
        x = layer(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    outputs = head(x)
    model = keras.Model(inputs, outputs, name=name)
    if embedding_weights is not None:
        embedding.set_weights([embedding_weights])
    return model
