"""A plain convolutional network: conv and down-sampling blocks, dense layers, softmax."""

from __future__ import annotations

from collections.abc import Sequence

import keras

from training.models.inputs import image_inputs

__all__ = ["PADDINGS", "POOLS", "cnn"]

PADDINGS = ("same", "valid")
POOLS = ("max", "stride")


def _output_size(size: int, kernel_size: int, padding: str, stride: int) -> int:
    if padding == "valid":
        size -= kernel_size - 1
    return -(-size // stride) if size > 0 else 0


def cnn(
    input_shape: Sequence[int],
    num_classes: int,
    *,
    filters: Sequence[int] = (32, 64),
    kernel_size: int = 3,
    padding: str = "same",
    pool: str = "max",
    dense_units: Sequence[int] = (128,),
    dropout: float = 0.0,
    preprocessing: keras.layers.Layer | None = None,
    name: str = "cnn",
) -> keras.Model:
    """``len(filters)`` blocks of convolution + down-sampling, then dense layers and a softmax.

    Use it for small images (Fashion-MNIST, CIFAR-sized inputs) when you want a
    model that trains in minutes on a CPU; use :func:`resnet` when depth pays.

    Args:
        input_shape: ``(height, width, channels)``.
        num_classes: size of the softmax output ``probabilities``.
        filters: output channels of each block's ``kernel_size`` ReLU convolution.
        padding: one of ``PADDINGS``: ``same`` (zero padding keeps the size) or
            ``valid`` (no padding, each convolution shrinks the map by ``kernel_size - 1``).
        pool: one of ``POOLS``: ``max`` (2x2 max pooling after each convolution)
            or ``stride`` (the convolution itself has stride 2, no pooling layer).
        dense_units: ReLU fully connected layers after flattening.
        dropout: dropout rate before each dense layer and the output.
        preprocessing: a Keras layer applied to the ``image`` input first
            (rescaling, augmentation), so it is part of the exported graph.

    >>> model = cnn((28, 28, 1), 10, filters=(2, 4), dense_units=(8,))
    >>> model.output_shape, model.get_layer("block_1_pool").output.shape
    ((None, 10), (None, 7, 7, 4))
    """
    if padding not in PADDINGS:
        raise ValueError(f"`padding` must be one of {PADDINGS}. Received: padding={padding!r}")
    if pool not in POOLS:
        raise ValueError(f"`pool` must be one of {POOLS}. Received: pool={pool!r}")
    if not filters:
        raise ValueError("`filters` must list at least one block's channels, e.g. filters=(32, 64)")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout!r}")
    inputs, x = image_inputs(input_shape, preprocessing)
    sizes = list(input_shape[:2])
    for _ in filters:
        if pool == "stride":
            sizes = [_output_size(n, kernel_size, padding, 2) for n in sizes]
        else:
            sizes = [_output_size(n, kernel_size, padding, 1) // 2 for n in sizes]
    if min(sizes) < 1:
        raise ValueError(
            f"input_shape={tuple(input_shape)} is too small for {len(filters)} blocks with "
            f"kernel_size={kernel_size}, padding={padding!r}, pool={pool!r}; use fewer filters, "
            f"padding='same' or larger images"
        )

    # Layers
    strides = 2 if pool == "stride" else 1
    convs = [
        keras.layers.Conv2D(f, kernel_size, strides=strides, padding=padding, activation="relu", name=f"block_{i}_conv")
        for i, f in enumerate(filters)
    ]
    pools = [
        keras.layers.MaxPooling2D(2, name=f"block_{i}_pool") if pool == "max" else None for i in range(len(filters))
    ]
    dense = [keras.layers.Dense(units, activation="relu", name=f"dense_{i}") for i, units in enumerate(dense_units)]
    head = keras.layers.Dense(num_classes, activation="softmax", name="probabilities", dtype="float32")

    # Functional model
    for conv, pooling in zip(convs, pools):
        x = conv(x)
        if pooling is not None:
            x = pooling(x)
    x = keras.layers.Flatten(name="flatten")(x)
    for i, layer in enumerate(dense):
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
        x = layer(x)
    if dropout:
        x = keras.layers.Dropout(dropout, name="dropout_out")(x)
    outputs = head(x)
    return keras.Model(inputs, outputs, name=name)
