"""Recurrent text classifiers: stacked, optionally bidirectional SimpleRNN/GRU/LSTM layers."""

from __future__ import annotations

import keras

from training.models.inputs import text_inputs
from training.models.pooling import MaskedPooling
from training.models.sequence import RightPaddedMask

__all__ = ["CELLS", "REPRESENTATIONS", "lstm", "rnn"]

CELLS = ("lstm", "gru", "simple")
REPRESENTATIONS = ("last", "mean", "max")

# Settings under which Keras runs LSTM/GRU with the fused cuDNN kernel on a GPU.
# Changing any of them silently falls back to the generic (much slower) loop.
CUDNN_SETTINGS = {
    "activation": "tanh",
    "recurrent_activation": "sigmoid",
    "recurrent_dropout": 0.0,
    "unroll": False,
    "use_bias": True,
}


def _recurrent_layer(cell: str, units: int, return_sequences: bool, dropout: float, name: str):
    if cell == "simple":
        return keras.layers.SimpleRNN(units, return_sequences=return_sequences, dropout=dropout, name=name)
    if cell == "gru":
        return keras.layers.GRU(
            units, return_sequences=return_sequences, dropout=dropout, reset_after=True, name=name, **CUDNN_SETTINGS
        )
    return keras.layers.LSTM(
        units, return_sequences=return_sequences, dropout=dropout, unit_forget_bias=True, name=name, **CUDNN_SETTINGS
    )


def rnn(
    vocab_size: int,
    num_classes: int,
    *,
    cell: str = "lstm",
    units: int = 64,
    layers: int = 1,
    bidirectional: bool = False,
    representation: str = "last",
    embedding_dim: int = 64,
    dropout: float = 0.0,
    sequence_length: int | None = None,
    preprocessor: keras.layers.Layer | None = None,
    name: str | None = None,
) -> keras.Model:
    """Embedding, ``layers`` stacked recurrent layers, a text representation, softmax.

    Use it when word order matters (negation, "not good" vs "good") and the
    texts are sentences to paragraphs; try :func:`average_embedding` first,
    it is often as good and far faster.

    Args:
        vocab_size: number of ids (``len(vocabulary)``).
        num_classes: size of the softmax output ``probabilities``.
        cell: one of ``CELLS``: ``lstm``, ``gru`` or ``simple`` (Elman RNN,
            ``h_t = tanh(b + U h_{t-1} + W x_t)``).
        units: state size of each layer (each direction when bidirectional).
        layers: stacked recurrent layers; all but the last return sequences.
        bidirectional: run each layer forwards and backwards and concatenate.
        representation: one of ``REPRESENTATIONS``: the ``last`` state of the
            top layer, or the ``mean`` / ``max`` of its states over the tokens.
        embedding_dim: width of the word vectors.
        dropout: dropout on each recurrent layer's inputs and before the output.
        preprocessor: a ``pipeline.TextPreprocessor``; the model then takes raw
            strings (input ``text``).

    cuDNN: LSTM and GRU layers keep the settings that let Keras use the fused
    cuDNN kernel on a GPU (``CUDNN_SETTINGS``: tanh activation, sigmoid
    recurrent activation, no recurrent dropout, no unrolling, biases; GRU
    ``reset_after=True``). LSTMs start with forget-gate bias 1
    (``unit_forget_bias=True``), so early on they remember rather than forget.
    Padding (id 0) is masked; the mask is right-padded, as cuDNN requires,
    and never empty (an all-padding text runs one step over the padding
    vector), so a padding-only text gives a finite output on CPU and GPU.

    >>> model = rnn(vocab_size=10, num_classes=3, units=2, embedding_dim=2, bidirectional=True)
    >>> model.name, model.output_shape
    ('bilstm', (None, 3))
    """
    if cell not in CELLS:
        raise ValueError(f"`cell` must be one of {CELLS}. Received: cell={cell!r}")
    if representation not in REPRESENTATIONS:
        raise ValueError(f"`representation` must be one of {REPRESENTATIONS}. Received: representation={representation!r}")
    if isinstance(layers, bool) or not isinstance(layers, int) or layers < 1:
        raise ValueError(f"`layers` must be an int >= 1. Received: layers={layers!r}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout!r}")
    if name is None:
        name = ("bi" if bidirectional else "") + ("rnn" if cell == "simple" else cell)

    # Layers
    embedding = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")
    recurrent = []
    for i in range(layers):
        sequences = i < layers - 1 or representation != "last"
        layer = _recurrent_layer(cell, units, sequences, dropout, name=f"{cell}_{i}")
        if bidirectional:
            layer = keras.layers.Bidirectional(layer, merge_mode="concat", name=f"bidirectional_{i}")
        recurrent.append(layer)
    head = keras.layers.Dense(num_classes, activation="softmax", name="probabilities", dtype="float32")

    # Functional model
    inputs, ids = text_inputs(preprocessor, sequence_length)
    mask = RightPaddedMask(name="mask")(ids)
    x = embedding(ids)
    for layer in recurrent:
        x = layer(x, mask=mask)
    if representation != "last":
        x = MaskedPooling(representation, name="pooling")(x, ids)
    if dropout:
        x = keras.layers.Dropout(dropout, name="dropout")(x)
    outputs = head(x)
    return keras.Model(inputs, outputs, name=name)


def lstm(vocab_size: int, num_classes: int, **kwargs) -> keras.Model:
    """:func:`rnn` with ``cell="lstm"`` (forget-gate bias 1, cuDNN-eligible).

    >>> lstm(vocab_size=10, num_classes=2, units=2, embedding_dim=2).get_layer("lstm_0").units
    2
    """
    if "cell" in kwargs:
        raise TypeError("lstm() sets cell='lstm'; call rnn(cell=...) for another cell")
    return rnn(vocab_size, num_classes, cell="lstm", **kwargs)
