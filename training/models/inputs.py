"""The front of every builder: named inputs and an optional preprocessing layer.

Text builders take int ids ``[batch, length]`` (0 = padding) named ``token_ids``,
or, with ``preprocessor=`` a :class:`pipeline.TextPreprocessor`, raw strings
``[batch]`` named ``text``. Image builders take float ``[batch, h, w, c]``
named ``image`` and apply ``preprocessing`` (any Keras layer, e.g. rescaling
or augmentation) first. Either way the model is one graph.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

__all__ = ["image_inputs", "text_inputs"]


def text_inputs(preprocessor: keras.layers.Layer | None = None, sequence_length: int | None = None):
    """``(inputs, ids)``: the model input and the int ids it becomes.

    >>> inputs, ids = text_inputs(sequence_length=4)
    >>> inputs.name, tuple(ids.shape)
    ('token_ids', (None, 4))
    """
    if preprocessor is None:
        ids = keras.Input(shape=(sequence_length,), dtype="int64", name="token_ids")
        return ids, ids
    if not isinstance(preprocessor, keras.layers.Layer):
        raise TypeError(
            f"`preprocessor` must be a Keras layer such as pipeline.TextPreprocessor. "
            f"Received: {type(preprocessor).__name__}"
        )
    text = keras.Input(shape=(), dtype="string", name="text")
    return text, preprocessor(text)


def image_inputs(input_shape: Sequence[int], preprocessing: keras.layers.Layer | None = None):
    """``(inputs, x)``: the ``image`` input and the tensor after ``preprocessing``.

    >>> inputs, x = image_inputs((28, 28, 1), keras.layers.Rescaling(1 / 255))
    >>> inputs.name, tuple(x.shape)
    ('image', (None, 28, 28, 1))
    """
    input_shape = tuple(input_shape)
    if len(input_shape) != 3 or not all(isinstance(d, int) and d > 0 for d in input_shape):
        raise ValueError(
            f"`input_shape` must be (height, width, channels) of positive ints, e.g. (28, 28, 1). "
            f"Received: input_shape={input_shape!r}"
        )
    if preprocessing is not None and not isinstance(preprocessing, keras.layers.Layer):
        raise TypeError(
            f"`preprocessing` must be a Keras layer (e.g. keras.layers.Rescaling or an augmentation "
            f"Sequential). Received: {type(preprocessing).__name__}"
        )
    image = keras.Input(shape=input_shape, name="image")
    return image, image if preprocessing is None else preprocessing(image)
