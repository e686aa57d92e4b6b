"""The neural probabilistic language model of Bengio et al. (2003)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import keras
import numpy as np

from training.models.inputs import text_inputs
from training.models.sequence import LastTokens

__all__ = ["context_pairs", "nnlm"]


def nnlm(
    vocab_size: int,
    *,
    context_size: int = 3,
    embedding_dim: int = 30,
    hidden_units: int = 50,
    direct_connections: bool = False,
    dropout: float = 0.0,
    preprocessor: keras.layers.Layer | None = None,
    name: str = "nnlm",
) -> keras.Model:
    """``p(w_t | w_{t-n+1} .. w_{t-1}) = softmax(b + W x + U tanh(d + H x))``.

    ``x`` concatenates the vectors ``C(w)`` of the ``n - 1 = context_size``
    previous words, looked up in one shared embedding ``C``. Use it to learn
    word vectors and next-word probabilities from a corpus, or as the
    baseline that an RNN language model must beat in perplexity.

    Args:
        vocab_size: number of ids; the softmax ranges over all of them.
        context_size: ``n - 1`` context words, input ``context_ids``
            ``[batch, context_size]`` (0 = padding before the text starts).
        embedding_dim: width of ``C``'s rows (the paper: 30 to 100).
        hidden_units: tanh hidden layer ``H`` (the paper: 50 to 100; 0 = none).
        direct_connections: add ``W x``, the linear path from the word
            vectors to the output.
        dropout: dropout rate on ``x`` and on the hidden layer.
        preprocessor: a ``pipeline.TextPreprocessor``; the model then takes
            raw strings (input ``text``) and uses their last ``context_size`` ids.

    The embedding gradient of one step is a ``tf.IndexedSlices`` with a row
    per context position, so plain SGD only changes the rows of the words in
    the batch (a word seen at several positions gets the sum of its rows'
    gradients). Compile with :class:`training.models.Perplexity` as a metric.

    >>> model = nnlm(vocab_size=10, context_size=3, embedding_dim=2, hidden_units=2)
    >>> model.input_shape, model.output_shape
    ((None, 3), (None, 10))
    """
    if isinstance(context_size, bool) or not isinstance(context_size, int) or context_size < 1:
        raise ValueError(f"`context_size` must be an int >= 1 (n - 1 words). Received: context_size={context_size!r}")
    if hidden_units < 0 or (hidden_units == 0 and not direct_connections):
        raise ValueError(
            f"`hidden_units` must be >= 1, or 0 with direct_connections=True. Received: hidden_units={hidden_units!r}"
        )
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout!r}")

    # Layers
    embedding = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")  # C, shared by all positions
    concat = keras.layers.Reshape((context_size * embedding_dim,), name="concat")
    hidden = keras.layers.Dense(hidden_units, activation="tanh", name="hidden") if hidden_units else None  # d, H
    output = keras.layers.Dense(vocab_size, name="output") if hidden_units else None  # b, U
    direct = keras.layers.Dense(vocab_size, use_bias=not hidden_units, name="direct") if direct_connections else None  # W
    softmax = keras.layers.Activation("softmax", name="probabilities", dtype="float32")

    # Functional model
    if preprocessor is None:
        inputs = keras.Input(shape=(context_size,), dtype="int64", name="context_ids")
        ids = inputs
    else:
        inputs, ids = text_inputs(preprocessor)
        ids = LastTokens(context_size, name="context_ids")(ids)
    x = concat(embedding(ids))
    if dropout:
        x = keras.layers.Dropout(dropout, name="dropout_x")(x)
    logits = []
    if hidden is not None:
        a = hidden(x)
        if dropout:
            a = keras.layers.Dropout(dropout, name="dropout_hidden")(a)
        logits.append(output(a))
    if direct is not None:
        logits.append(direct(x))
    y = logits[0] if len(logits) == 1 else keras.layers.Add(name="logits")(logits)
    return keras.Model(inputs, softmax(y), name=name)


def context_pairs(sequences: Iterable[Sequence[int]], context_size: int) -> tuple[np.ndarray, np.ndarray]:
    """``(contexts [N, context_size], targets [N])`` from id sequences, for training :func:`nnlm`.

    Every id after the first of each sequence is a target; its context is the
    ``context_size`` ids before it, left-padded with 0. Zeros in the input
    (padding) are dropped first.

    >>> contexts, targets = context_pairs([[5, 6, 7, 0]], context_size=2)
    >>> contexts.tolist(), targets.tolist()
    ([[0, 5], [5, 6]], [6, 7])
    """
    if isinstance(context_size, bool) or not isinstance(context_size, int) or context_size < 1:
        raise ValueError(f"`context_size` must be an int >= 1. Received: context_size={context_size!r}")
    contexts, targets = [], []
    pad = [0] * context_size
    for sequence in sequences:
        ids = pad + [int(i) for i in sequence if i != 0]
        for t in range(context_size + 1, len(ids)):
            contexts.append(ids[t - context_size : t])
            targets.append(ids[t])
    return (
        np.asarray(contexts, dtype=np.int64).reshape(-1, context_size),
        np.asarray(targets, dtype=np.int64),
    )
