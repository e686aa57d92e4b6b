"""Residual networks (He et al. 2015): basic and bottleneck blocks with batch normalisation."""

from __future__ import annotations

from collections.abc import Sequence

import keras

from training.models.inputs import image_inputs

__all__ = ["BLOCKS", "IMAGENET_DEPTHS", "STYLES", "resnet"]

STYLES = ("cifar", "imagenet")
BLOCKS = ("basic", "bottleneck")
# ImageNet depths -> (block, blocks per stage), as in the paper's Table 1.
IMAGENET_DEPTHS = {
    18: ("basic", (2, 2, 2, 2)),
    34: ("basic", (3, 4, 6, 3)),
    50: ("bottleneck", (3, 4, 6, 3)),
    101: ("bottleneck", (3, 4, 23, 3)),
    152: ("bottleneck", (3, 8, 36, 3)),
}
_EXPANSION = {"basic": 1, "bottleneck": 4}


def _plan(style: str, depth: int | None, block: str | None, stages: Sequence[int] | None) -> tuple[str, tuple[int, ...]]:
    """The block kind and the number of blocks per stage."""
    if style not in STYLES:
        raise ValueError(f"`style` must be one of {STYLES}. Received: style={style!r}")
    if block is not None and block not in BLOCKS:
        raise ValueError(f"`block` must be one of {BLOCKS}. Received: block={block!r}")
    if stages is not None:
        stages = tuple(stages)
        if not stages or not all(isinstance(n, int) and n >= 1 for n in stages):
            raise ValueError(f"`stages` must list at least one block count >= 1 per stage. Received: stages={stages!r}")
        return block or "basic", stages
    if style == "imagenet":
        if depth not in IMAGENET_DEPTHS:
            raise ValueError(
                f"style='imagenet' takes depth in {sorted(IMAGENET_DEPTHS)}, or pass `stages`. Received: depth={depth!r}"
            )
        default_block, stages = IMAGENET_DEPTHS[depth]
        return block or default_block, stages
    block = block or "basic"
    per_block = 2 if block == "basic" else 3
    if not isinstance(depth, int) or depth < 2 + 3 * per_block or (depth - 2) % (3 * per_block):
        examples = "20, 32, 44, 56, 110" if block == "basic" else "29, 56, 110, 164"
        raise ValueError(
            f"style='cifar' with {block} blocks needs depth = {3 * per_block}n+2 ({examples}). Received: depth={depth!r}"
        )
    return block, (((depth - 2) // (3 * per_block)),) * 3


def _conv(filters: int, kernel_size: int, strides: int, name: str) -> keras.layers.Conv2D:
    return keras.layers.Conv2D(
        filters, kernel_size, strides=strides, padding="same", use_bias=False,
        kernel_initializer="he_normal", name=name,
    )


def _bn(name: str) -> keras.layers.BatchNormalization:
    return keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-5, name=name)


def _block(x, kind: str, filters: int, strides: int, name: str):
    """One residual block: ``relu(F(x) + shortcut(x))``; a 1x1 projection when the shape changes."""
    out_filters = filters * _EXPANSION[kind]
    shortcut = x
    if strides != 1 or x.shape[-1] != out_filters:
        shortcut = _bn(f"{name}_proj_bn")(_conv(out_filters, 1, strides, f"{name}_proj")(x))
    if kind == "basic":
        y = keras.layers.ReLU(name=f"{name}_relu1")(_bn(f"{name}_bn1")(_conv(filters, 3, strides, f"{name}_conv1")(x)))
        y = _bn(f"{name}_bn2")(_conv(filters, 3, 1, f"{name}_conv2")(y))
    else:
        y = keras.layers.ReLU(name=f"{name}_relu1")(_bn(f"{name}_bn1")(_conv(filters, 1, 1, f"{name}_conv1")(x)))
        y = keras.layers.ReLU(name=f"{name}_relu2")(_bn(f"{name}_bn2")(_conv(filters, 3, strides, f"{name}_conv2")(y)))
        y = _bn(f"{name}_bn3")(_conv(out_filters, 1, 1, f"{name}_conv3")(y))
    return keras.layers.ReLU(name=f"{name}_out")(keras.layers.Add(name=f"{name}_add")([shortcut, y]))


def resnet(
    input_shape: Sequence[int],
    num_classes: int,
    *,
    style: str = "cifar",
    depth: int | None = 20,
    block: str | None = None,
    stages: Sequence[int] | None = None,
    width: int | None = None,
    preprocessing: keras.layers.Layer | None = None,
    name: str | None = None,
) -> keras.Model:
    """A residual network ending in global average pooling and a softmax.

    Use it for image classification when a plain :func:`cnn` stops improving
    with depth: identity shortcuts let 20 to 150 layers train. On 32x32
    images use ``style="cifar"``; on larger photos ``style="imagenet"``.

    Args:
        input_shape: ``(height, width, channels)``.
        num_classes: size of the softmax output ``probabilities``.
        style: one of ``STYLES``. ``cifar``: a 3x3 stem and three stages of
            ``width``, 2x, 4x channels (default width 16); ``depth`` is 6n+2 for
            basic blocks (ResNet-20, 56, 110) or 9n+2 for bottleneck blocks.
            ``imagenet``: a 7x7 stride-2 stem and 3x3 max pooling, then four
            stages of ``width`` .. 8x channels (default width 64); ``depth`` is a
            key of ``IMAGENET_DEPTHS`` (18, 34, 50, 101, 152).
        block: one of ``BLOCKS``: ``basic`` (two 3x3 convolutions) or
            ``bottleneck`` (1x1, 3x3, 1x1 with 4x expansion); default from ``depth``.
        stages: blocks per stage, overriding ``depth`` (e.g. ``(1, 1)`` for a
            tiny test network).
        width: channels of the first stage.
        preprocessing: a Keras layer applied to the ``image`` input first.

    Every convolution is followed by batch normalisation; the first block of
    each stage after the first halves the resolution (stride 2) and a 1x1
    projection matches the shortcut.

    >>> model = resnet((32, 32, 3), 10, stages=(1, 1), width=4)
    >>> model.name, model.output_shape
    ('resnet6', (None, 10))
    """
    kind, stages = _plan(style, depth, block, stages)
    width = width or (16 if style == "cifar" else 64)
    if name is None:
        per_block = 2 if kind == "basic" else 3
        name = f"resnet{per_block * sum(stages) + 2}"

    # Functional model
    inputs, x = image_inputs(input_shape, preprocessing)
    if style == "cifar":
        x = keras.layers.ReLU(name="stem_relu")(_bn("stem_bn")(_conv(width, 3, 1, "stem_conv")(x)))
    else:
        x = keras.layers.ReLU(name="stem_relu")(_bn("stem_bn")(_conv(width, 7, 2, "stem_conv")(x)))
        x = keras.layers.MaxPooling2D(3, strides=2, padding="same", name="stem_pool")(x)
    for s, blocks in enumerate(stages):
        for b in range(blocks):
            strides = 2 if s > 0 and b == 0 else 1
            x = _block(x, kind, width * 2**s, strides, name=f"stage{s + 1}_block{b + 1}")
    x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="probabilities", dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name)
