"""A PNG grid of images and their augmented variants: one row per image, the original first.

>>> import numpy as np
>>> from pipeline.images.augment import augmentation
>>> images = [np.full((10, 12, 3), 200, np.uint8), np.zeros((6, 6, 1), np.uint8)]
>>> preview_grid(images, augmentation("light", seed=0), variants=3, size=16).shape
(38, 74, 3)
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

__all__ = ["preview_grid", "write_preview"]

_GAP = 2


def preview_grid(images: list[np.ndarray], augmentation, variants: int = 4, size: int = 128,
                 seed: int = 0) -> np.ndarray:
    """uint8 RGB ``[rows * (size + gap) + gap, (variants + 1) * (size + gap) + gap, 3]``."""
    import tensorflow as tf

    from pipeline.images.decode import to_channels

    if variants < 1:
        raise ValueError(f"variants must be >= 1. Received: variants={variants}")
    batch = tf.stack([tf.cast(tf.clip_by_value(tf.round(tf.image.resize(to_channels(im, 3), (size, size))), 0, 255),
                              tf.uint8) for im in images])
    columns = [batch.numpy()]
    for v in range(variants):
        columns.append(np.asarray(augmentation.augment(batch, seed=[seed, v])))
    cell = size + _GAP
    grid = np.full((len(images) * cell + _GAP, (variants + 1) * cell + _GAP, 3), 255, np.uint8)
    for c, column in enumerate(columns):
        for r, image in enumerate(column):
            grid[_GAP + r * cell:_GAP + r * cell + size, _GAP + c * cell:_GAP + c * cell + size] = image[..., :3]
    return grid


def write_preview(paths: list[str | os.PathLike], output: str | os.PathLike, policy: str = "standard",
                  seed: int = 0, variants: int = 4, size: int = 128) -> Path:
    """Decode ``paths``, augment them with ``policy`` and write the grid PNG atomically."""
    import tensorflow as tf
    from PIL import Image

    from pipeline.images.augment import augmentation
    from pipeline.images.decode import check_image_bytes

    images = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such image file")
        data = path.read_bytes()
        reason = check_image_bytes(data)
        if reason:
            raise ValueError(f"{path}: {reason}; pass JPEG, PNG, GIF or BMP files")
        images.append(tf.io.decode_image(data, expand_animations=False))
    grid = preview_grid(images, augmentation(policy, seed=seed), variants=variants, size=size, seed=seed)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    Image.fromarray(grid).save(tmp, format="PNG")
    os.replace(tmp, output)
    return output
