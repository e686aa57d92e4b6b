"""``image_dataset``: class-per-folder image directories or IDX files -> batched ``tf.data``.

>>> import tempfile, pathlib, numpy as np
>>> from PIL import Image
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> for label in ("cat", "dog"):
...     (root / label).mkdir()
...     for i in range(3):
...         Image.fromarray(np.full((8, 8, 3), 40 * i, np.uint8)).save(root / label / f"{i}.png")
>>> _ = (root / "dog" / "notes.jpg").write_text("not an image")
>>> data = image_dataset(root, image_size=(4, 4), batch_size=2, validation_split=0.34, seed=1)
>>> data.class_names, data.num_train, data.num_validation, data.num_skipped
(['cat', 'dog'], 4, 2, 1)
>>> images, labels = next(iter(data.train))
>>> images.shape, images.dtype.name, labels.dtype.name
(TensorShape([2, 4, 4, 3]), 'uint8', 'int32')
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import tensorflow as tf

from pipeline.images.decode import SkippedFile, decode_image, scan_images, to_channels
from pipeline.images.idx import labels_path_for, read_idx

__all__ = ["ImageData", "image_dataset"]

log = logging.getLogger(__name__)


@dataclass
class ImageData:
    """What :func:`image_dataset` returns: the datasets, the classes and the skipped files."""

    train: tf.data.Dataset
    validation: tf.data.Dataset | None
    class_names: list[str]
    num_train: int
    num_validation: int
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def num_skipped(self) -> int:
        return len(self.skipped)

    def report(self) -> str:
        """One line per skipped file, then a count."""
        lines = [str(s) for s in self.skipped]
        lines.append(f"{self.num_skipped} file(s) skipped, {self.num_train + self.num_validation} used")
        return "\n".join(lines)


def _split(n: int, validation_split: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"validation_split must be in [0, 1). Received: validation_split={validation_split}")
    order = np.random.default_rng(seed).permutation(n)
    n_val = int(round(n * validation_split))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def _list_folder(root: Path) -> tuple[list[str], np.ndarray, list[str]]:
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not classes:
        raise ValueError(f"{root}: no class sub-folders; expected {root}/<class>/<image files>")
    paths, labels = [], []
    for index, name in enumerate(classes):
        for path in sorted((root / name).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                paths.append(str(path))
                labels.append(index)
    return paths, np.asarray(labels, np.int32), classes


def _finish(ds, batch_size, cache, shuffle, seed, n, augment, is_train):
    if cache:
        ds = ds.cache(f"{cache}.{'train' if is_train else 'validation'}" if isinstance(cache, str) else "")
    if shuffle and is_train:
        ds = ds.shuffle(min(n, 10_000), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if augment is not None and is_train:
        ds = augment.map_dataset(ds)
    return ds.prefetch(tf.data.AUTOTUNE)


def _resize(image, image_size, interpolation):
    if image_size is None:
        return image
    if image.shape[-3:-1] == tuple(image_size):
        return image
    out = tf.image.resize(image, image_size, method=interpolation)
    return tf.cast(tf.clip_by_value(tf.round(out), 0, 255), tf.uint8)


def image_dataset(source: str | os.PathLike, image_size: tuple[int, int] | None = (28, 28), batch_size: int = 32, *,
                  channels: int = 3, labels: str | os.PathLike | None = None, class_names: list[str] | None = None,
                  validation_split: float = 0.0, seed: int = 0, shuffle: bool = True, cache: bool | str = True,
                  augment=None, interpolation: str = "bilinear", workers: int | None = None,
                  progress: bool = False) -> ImageData:
    """Batches of ``(uint8 images [B, H, W, channels], int32 labels [B])``.

    ``source`` is a folder with one sub-folder per class (JPEG, PNG, GIF - first
    frame -, BMP; any colour mode), or an IDX images file such as
    ``train-images-idx3-ubyte.gz`` (labels read from the ``labels-idx1`` file
    beside it, or ``labels=``). Every file in a class folder is decoded once up
    front; the ones that cannot be (empty, truncated, corrupt, not an image) are
    logged, listed in ``ImageData.skipped`` with the reason, and left out.

    The train/validation split is a seeded permutation of the sorted file list:
    the same seed and files give the same split. ``cache`` keeps decoded images in
    memory (``True``) or in a file (a path); the training set is reshuffled every
    epoch; ``augment`` (an :func:`pipeline.augmentation`) is applied to training
    batches only.
    """
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"{source}: no such file or folder; pass a class-per-folder directory or an IDX file")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1. Received: batch_size={batch_size}")
    if image_size is not None:
        image_size = (int(image_size[0]), int(image_size[1]))
    skipped: list[SkippedFile] = []

    if source.is_dir():
        paths, targets, found = _list_folder(source)
        train_idx, val_idx = _split(len(paths), validation_split, seed)
        good, skipped = scan_images(paths, workers=workers, progress=progress)
        good_set = set(good)
        for s in skipped:
            log.warning("skipping %s", s)
        names = class_names or found

        def make(indices):
            keep = [i for i in indices if paths[i] in good_set]
            files = tf.constant([paths[i] for i in keep], tf.string)
            ys = tf.constant(targets[keep] if keep else np.zeros([0], np.int32), tf.int32)

            def load(path, label):
                image = decode_image(tf.io.read_file(path), channels)
                if image_size is None:
                    return image, label
                return _resize(image, image_size, interpolation), label

            ds = tf.data.Dataset.from_tensor_slices((files, ys)).map(load, num_parallel_calls=tf.data.AUTOTUNE)
            return ds, len(keep)
        if image_size is None and batch_size > 1:
            raise ValueError("image_size=None keeps each image's own size, which needs batch_size=1")
    else:
        images = read_idx(source)
        if images.ndim == 3:
            images = images[..., None]
        if images.ndim != 4 or images.dtype != np.uint8:
            raise ValueError(f"{source}: expected uint8 images [N, H, W] in the IDX file, got {images.dtype} {images.shape}")
        label_file = Path(labels) if labels is not None else labels_path_for(source)
        targets = read_idx(label_file).astype(np.int32)
        if len(targets) != len(images):
            raise ValueError(f"{label_file}: {len(targets)} labels for {len(images)} images in {source}")
        names = class_names or [str(i) for i in range(int(targets.max()) + 1)]
        train_idx, val_idx = _split(len(images), validation_split, seed)

        def make(indices):
            ds = tf.data.Dataset.from_tensor_slices((images[indices], targets[indices]))

            def load(image, label):
                return _resize(to_channels(image, channels), image_size, interpolation), label

            return ds.map(load, num_parallel_calls=tf.data.AUTOTUNE), len(indices)

    train, n_train = make(train_idx)
    if n_train == 0:
        raise ValueError(f"{source}: no usable images ({len(skipped)} skipped); see the log for each file's reason")
    train = _finish(train, batch_size, cache, shuffle, seed, n_train, augment, True)
    validation, n_val = None, 0
    if len(val_idx):
        validation, n_val = make(val_idx)
        validation = _finish(validation, batch_size, cache, False, seed, n_val, augment, False)
    return ImageData(train, validation, list(names), n_train, n_val, skipped)
