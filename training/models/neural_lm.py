"""The neural probabilistic language model of Bengio et al. (2003)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import keras
import numpy as np

from keras import ops

from training.models.inputs import text_inputs
from training.models.sequence import LastTokens

__all__ = ["ContextVectors", "TiedEmbedding", "context_keys", "context_pairs", "frequent_contexts", "nnlm"]

_PRIME = 1000003
_MODULUS = 2_147_483_647  # 2**31 - 1: every intermediate product stays below 2**52


def context_keys(contexts: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """``[N, len(lengths)]`` int64 keys: for each ``k``, a hash of the last ``k`` ids (padding included).

    The NumPy twin of :meth:`ContextVectors.keys_of`.

    >>> context_keys(np.array([[4, 5, 6]]), lengths=(2, 3)).tolist()
    [[710724686, 1695271490]]
    """
    contexts = np.asarray(contexts, np.int64)
    out = []
    for k in lengths:
        h = np.full(len(contexts), k, np.int64)
        for j in range(contexts.shape[1] - k, contexts.shape[1]):
            h = (h * _PRIME + contexts[:, j] + 1) % _MODULUS
        out.append(h)
    return np.stack(out, axis=1) if out else np.zeros((len(contexts), 0), np.int64)


def frequent_contexts(contexts: np.ndarray, lengths: Sequence[int], min_count: int) -> np.ndarray:
    """Sorted keys of the context suffixes seen at least ``min_count`` times in ``contexts``.

    >>> frequent_contexts(np.array([[1, 2], [1, 2], [3, 2]]), lengths=(2,), min_count=2).tolist()
    [706724670]
    """
    keys, counts = np.unique(context_keys(contexts, lengths).ravel(), return_counts=True)
    return keys[counts >= min_count]


@keras.saving.register_keras_serializable(package="lexivision")
class ContextVectors(keras.layers.Layer):
    """context ids ``[batch, n - 1]`` -> ``[batch, dim]``: learned vectors of the frequent context suffixes, summed.

    ``keys`` (:func:`frequent_contexts`) lists the suffixes of 2 to ``n - 1``
    words seen often enough in training; each has a row of ``vectors``
    (initially 0), found by binary search. Every other suffix shares row 0.
    This gives the model the memory of an n-gram model for contexts it has
    evidence for, and nothing to over-fit for contexts seen once. ``dropout``
    drops whole suffix vectors during training (a learned back-off).

    >>> layer = ContextVectors((2, 3), num_keys=2, dim=4, keys=[710724686, 1695271490])
    >>> layer.rows_of(np.array([[4, 5, 6], [7, 5, 6], [1, 1, 1]])).numpy().tolist()
    [[1, 2], [1, 0], [0, 0]]
    """

    def __init__(self, lengths: Sequence[int], num_keys: int, dim: int, dropout: float = 0.0, seed=None,
                 keys=None, **kwargs):
        super().__init__(**kwargs)
        if num_keys < 1 or dim < 1 or not lengths or min(lengths) < 1:
            raise ValueError(f"`num_keys`, `dim` and every context length must be >= 1. "
                             f"Received: {num_keys}, {dim}, {lengths}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout!r}")
        self.lengths = tuple(int(k) for k in lengths)
        self.num_keys = int(num_keys)
        self.dim = int(dim)
        self.dropout = float(dropout)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed) if dropout else None
        self.keys = self.add_weight(shape=(self.num_keys,), dtype="int64", initializer="zeros", trainable=False,
                                    name="keys")
        if keys is not None:
            keys = np.asarray(keys, np.int64)
            if keys.shape != (self.num_keys,) or (np.diff(keys) <= 0).any():
                raise ValueError(f"`keys` must be {self.num_keys} strictly increasing ints")
            self.keys.assign(keys)
        self.vectors = self.add_weight(shape=(self.num_keys + 1, self.dim), initializer="zeros", name="vectors")
        self.built = True

    def keys_of(self, ids):
        ids = ops.cast(ids, "int64")
        width = ids.shape[1]
        out = []
        for k in self.lengths:
            h = ops.zeros_like(ids[:, 0]) + k
            for j in range(width - k, width):
                h = ops.mod(h * _PRIME + ids[:, j] + 1, _MODULUS)
            out.append(h)
        return ops.stack(out, axis=1)

    def rows_of(self, ids):
        """``[batch, len(lengths)]``: 1 + the position of each suffix's key, 0 where it has none."""
        keys = ops.convert_to_tensor(self.keys)
        wanted = self.keys_of(ids)
        flat = ops.reshape(wanted, (-1,))
        at = ops.minimum(ops.searchsorted(keys, flat), self.num_keys - 1)
        rows = ops.where(ops.take(keys, at) == flat, at + 1, ops.zeros_like(at))
        return ops.reshape(ops.cast(rows, "int32"), ops.shape(wanted))

    def call(self, ids, training=False):
        vectors = ops.take(self.vectors, self.rows_of(ids), axis=0)  # [batch, suffixes, dim]
        if training and self.dropout:
            shape = (ops.shape(vectors)[0], len(self.lengths), 1)
            vectors = keras.random.dropout(vectors, self.dropout, noise_shape=shape, seed=self.seed_generator)
        return ops.sum(vectors, axis=1)

    def compute_output_spec(self, ids, training=False):
        return keras.KerasTensor((ids.shape[0], self.dim), dtype=self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "lengths": list(self.lengths), "num_keys": self.num_keys, "dim": self.dim,
                "dropout": self.dropout, "seed": self.seed}


@keras.saving.register_keras_serializable(package="lexivision")
class TiedEmbedding(keras.layers.Layer):
    """One matrix ``C`` for the input word vectors and the output word scores.

    ``layer(ids)`` looks up rows of ``C`` (``[..., dim]``); ``layer(h, reverse=True)``
    scores every word, ``h C^T + b`` (``[..., vocab_size]``). Sharing ``C`` halves
    a language model's word parameters and lets rare words learn from both sides
    (Press and Wolf, 2017).

    >>> import numpy as np
    >>> layer = TiedEmbedding(5, 2)
    >>> tuple(layer(np.array([[1, 4]])).shape), tuple(layer(np.ones((3, 2)), reverse=True).shape)
    ((1, 2, 2), (3, 5))
    """

    def __init__(self, vocab_size: int, embedding_dim: int, **kwargs):
        super().__init__(**kwargs)
        if vocab_size < 1 or embedding_dim < 1:
            raise ValueError(f"`vocab_size` and `embedding_dim` must be >= 1. Received: {vocab_size}, {embedding_dim}")
        self.vocab_size = int(vocab_size)
        self.embedding_dim = int(embedding_dim)
        self.embeddings = self.add_weight(shape=(self.vocab_size, self.embedding_dim), initializer="uniform",
                                          name="embeddings")
        self.output_bias = self.add_weight(shape=(self.vocab_size,), initializer="zeros", name="output_bias")
        self.built = True

    def call(self, inputs, reverse=False):
        if reverse:
            return ops.matmul(inputs, ops.transpose(ops.cast(self.embeddings, inputs.dtype))) + \
                ops.cast(self.output_bias, inputs.dtype)
        return ops.take(self.embeddings, ops.cast(inputs, "int32"), axis=0)

    def compute_output_spec(self, inputs, reverse=False):
        if reverse:
            return keras.KerasTensor((*inputs.shape[:-1], self.vocab_size), dtype=self.compute_dtype)
        return keras.KerasTensor((*inputs.shape, self.embedding_dim), dtype=self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "vocab_size": self.vocab_size, "embedding_dim": self.embedding_dim}


def nnlm(
    vocab_size: int,
    *,
    context_size: int = 3,
    embedding_dim: int = 30,
    hidden_units: int = 50,
    direct_connections: bool = False,
    dropout: float = 0.0,
    word_dropout: float = 0.0,
    tie_embeddings: bool = False,
    context_min_count: int = 0,
    context_dropout: float = 0.0,
    training_contexts: np.ndarray | None = None,
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
        word_dropout: during training, drop whole context words (their
            vectors become 0) with this rate, so the model also learns to
            predict from shorter contexts, as a back-off n-gram model does.
        tie_embeddings: score the words with ``C`` itself: ``U`` becomes
            ``C^T P``, with ``P`` a linear map from the hidden layer to
            ``embedding_dim`` (:class:`TiedEmbedding`). Fewer parameters and,
            on small corpora, lower perplexity.
        context_min_count: with ``m > 0``, every context suffix of 2 to
            ``context_size`` words seen at least ``m`` times in
            ``training_contexts`` gets a learned vector (initially 0,
            :class:`ContextVectors`); the vectors of a context's suffixes are
            summed and added to the input of the output layer: direct
            connections from whole contexts, as Bengio's ``W x`` are from words.
        context_dropout: during training, drop each suffix's vector with this rate.
        training_contexts: ``[N, context_size]`` training contexts, for
            ``context_min_count`` (the language-model task passes them).
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
    if tie_embeddings and not hidden_units:
        raise ValueError("`tie_embeddings=True` needs a hidden layer (hidden_units >= 1)")
    if isinstance(context_min_count, bool) or not isinstance(context_min_count, int) or context_min_count < 0:
        raise ValueError(f"`context_min_count` must be an int >= 0 (0 = off). "
                         f"Received: context_min_count={context_min_count!r}")
    if context_min_count and (context_size < 2 or not hidden_units or training_contexts is None):
        raise ValueError("`context_min_count` needs context_size >= 2, a hidden layer (hidden_units >= 1) and "
                         "training_contexts (the language-model task gives them)")
    for option, rate in (("dropout", dropout), ("word_dropout", word_dropout), ("context_dropout", context_dropout)):
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"`{option}` must be in [0, 1). Received: {option}={rate!r}")

    # Layers
    if tie_embeddings:
        embedding = TiedEmbedding(vocab_size, embedding_dim, name="embedding")  # C, also the output's word matrix
    else:
        embedding = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")  # C, shared by all positions
    concat = keras.layers.Reshape((context_size * embedding_dim,), name="concat")
    hidden = keras.layers.Dense(hidden_units, activation="tanh", name="hidden") if hidden_units else None  # d, H
    # the output layer: b + U a, or with tied embeddings b + C P a (context vectors are added to a or P a)
    projection = keras.layers.Dense(embedding_dim, use_bias=False, name="output_projection") if tie_embeddings else None
    output = keras.layers.Dense(vocab_size, name="output") if hidden_units and not tie_embeddings else None  # b, U
    direct = keras.layers.Dense(vocab_size, use_bias=not hidden_units, name="direct") if direct_connections else None  # W
    softmax = keras.layers.Activation("softmax", name="probabilities", dtype="float32")

    # Functional model
    if preprocessor is None:
        inputs = keras.Input(shape=(context_size,), dtype="int64", name="context_ids")
        ids = inputs
    else:
        inputs, ids = text_inputs(preprocessor)
        ids = LastTokens(context_size, name="context_ids")(ids)
    vectors = embedding(ids)
    if word_dropout:  # one draw per context position: the whole word vector is kept or dropped
        vectors = keras.layers.Dropout(word_dropout, noise_shape=(None, context_size, 1), name="word_dropout")(vectors)
    x = concat(vectors)
    if dropout:
        x = keras.layers.Dropout(dropout, name="dropout_x")(x)
    logits = []
    if hidden is not None:
        a = hidden(x)
        if dropout:
            a = keras.layers.Dropout(dropout, name="dropout_hidden")(a)
        if projection is not None:
            a = projection(a)
        lengths = tuple(range(2, context_size + 1))
        keys = frequent_contexts(training_contexts, lengths, context_min_count) if context_min_count else []
        if context_min_count and not len(keys):
            raise ValueError(f"`context_min_count`={context_min_count}: no context suffix of 2 to {context_size} words "
                             f"occurs that often in the {len(training_contexts)} training contexts; lower it, or set 0 "
                             "for the plain model")
        if len(keys):
            contexts = ContextVectors(lengths, len(keys), a.shape[-1], dropout=context_dropout, keys=keys,
                                      name="context_vectors")(ids)
            a = keras.layers.Add(name="add_contexts")([a, contexts])
        logits.append(embedding(a, reverse=True) if tie_embeddings else output(a))
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
