"""Decode images robustly and find the files that cannot be decoded.

``scan_images`` decodes every file with the same TensorFlow decoder the dataset
uses, so a file it accepts will not fail a batch later; the rest come back as
``SkippedFile(path, reason)``.

>>> sniff_format(b"\\x89PNG\\r\\n\\x1a\\n...")
'png'
>>> sniff_format(b"hello") is None
True
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SkippedFile", "sniff_format", "check_image_bytes", "scan_images", "decode_image", "to_channels"]

_MAGIC = [
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
]


@dataclass(frozen=True)
class SkippedFile:
    """A file left out of a dataset, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def sniff_format(data: bytes) -> str | None:
    """``'jpeg'``, ``'png'``, ``'gif'`` or ``'bmp'`` from the first bytes, else None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def _tf_message(err: Exception) -> str:
    text = getattr(err, "message", None) or str(err)
    text = re.sub(r"\{\{[^}]*\}\}\s*", "", text)
    text = re.sub(r"\s*\[Op:\w+\].*", "", text)
    return " ".join(text.split())[:200]


def check_image_bytes(data: bytes) -> str | None:
    """Why these bytes are not a usable image, or None if they decode."""
    import tensorflow as tf

    if not data:
        return "empty file"
    fmt = sniff_format(data)
    if fmt is None:
        return "not an image (no JPEG, PNG, GIF or BMP header)"
    try:
        image = tf.io.decode_image(data, expand_animations=False)
    except (tf.errors.InvalidArgumentError, tf.errors.OpError) as err:
        return f"corrupt or truncated {fmt.upper()}: {_tf_message(err)}"
    if image.shape[0] == 0 or image.shape[1] == 0:
        return f"{fmt.upper()} with an empty {image.shape[0]}x{image.shape[1]} frame"
    return None


def _check_file(path: str) -> str | None:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        return f"unreadable: {err.strerror or err}"
    return check_image_bytes(data)


def scan_images(paths: list[str], workers: int | None = None, progress: bool = False) -> tuple[list[str], list[SkippedFile]]:
    """Split ``paths`` into decodable images and ``SkippedFile`` records (order kept)."""
    workers = workers or min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers) as pool:
        reasons = pool.map(_check_file, paths)
        if progress:
            from tqdm import tqdm

            reasons = tqdm(reasons, total=len(paths), desc="scanning images", unit="file")
        reasons = list(reasons)
    good = [p for p, r in zip(paths, reasons) if r is None]
    skipped = [SkippedFile(p, r) for p, r in zip(paths, reasons) if r is not None]
    return good, skipped


def _rgba(image):
    """``[..., c]`` with c in 1..4 (static or not) -> ``[..., 4]`` RGBA."""
    import tensorflow as tf

    opaque = tf.fill(tf.shape(image[..., :1]), tf.constant(255 if image.dtype.is_integer else 1, image.dtype))
    branches = [
        lambda: tf.concat([image[..., :1]] * 3 + [opaque], -1),
        lambda: tf.concat([image[..., :1]] * 3 + [image[..., 1:2]], -1),
        lambda: tf.concat([image[..., :3], opaque], -1),
        lambda: image[..., :4],
    ]
    have = image.shape[-1]
    if have is not None:
        return branches[have - 1]()
    out = tf.switch_case(tf.clip_by_value(tf.shape(image)[-1] - 1, 0, 3), branches)
    return tf.ensure_shape(out, image.shape[:-1].concatenate([4]))


def to_channels(image, channels: int):
    """``[..., H, W, c]`` with c in 1..4 -> ``[..., H, W, channels]`` (alpha dropped, gray tiled).

    >>> import numpy as np
    >>> to_channels(np.full((1, 1, 3), 100, np.uint8), 1).numpy().tolist()
    [[[100]]]
    """
    import tensorflow as tf

    if channels not in (1, 3, 4):
        raise ValueError(f"channels must be 1, 3 or 4. Received: channels={channels}")
    image = tf.convert_to_tensor(image)
    if image.shape[-1] == channels:
        return image
    if image.shape[-1] is not None and image.shape[-1] <= 2 and channels == 1:
        return image[..., :1]
    rgba = _rgba(image)
    if channels == 4:
        return rgba
    if channels == 3:
        return rgba[..., :3]
    gray = tf.tensordot(tf.cast(rgba[..., :3], tf.float32), tf.constant([0.2989, 0.5870, 0.1140]), axes=1)[..., None]
    return tf.cast(tf.round(gray), image.dtype) if image.dtype.is_integer else tf.cast(gray, image.dtype)


def decode_image(data, channels: int = 3):
    """Encoded JPEG/PNG/GIF (first frame)/BMP bytes -> uint8 ``[H, W, channels]``, in graph."""
    import tensorflow as tf

    image = tf.io.decode_image(data, channels=0, expand_animations=False, dtype=tf.uint8)
    return to_channels(image, channels)
