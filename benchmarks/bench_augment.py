"""Throughput of the ``standard`` augmentation policy: lexivision vs albumentations vs Keras layers.

Same images (Fashion-MNIST: 28x28 gray as is, and 128x128 RGB made from it by
resizing and tinting), same policy: horizontal flip, rotation +-15 deg, zoom
+-10 %, translation +-10 %, brightness and contrast +-20 %, bilinear, reflected
borders; uint8 in, uint8 out. All three use every core:

* lexivision: ``augmentation("standard").map_dataset`` on batches of 128 in
  ``tf.data`` (parallel map, prefetch);
* albumentations: ``A.Compose`` in a ``multiprocessing`` pool of one process
  per core, each task a chunk of 128 images, augmented arrays returned to the
  parent (as a data loader must);
* Keras: ``RandomFlip``, ``RandomRotation``, ``RandomZoom``,
  ``RandomTranslation``, ``RandomBrightness``, ``RandomContrast`` mapped over
  the same batches in ``tf.data``.

Run: ``python -m benchmarks.bench_augment [--images N] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing as mp
import os
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

FASHION = Path(os.environ.get("LEXIVISION_FASHION_MNIST", "/usr/share/datasets/fashion-mnist"))
BATCH = 128


def load_images(n: int, size: int) -> np.ndarray:
    from pipeline.images.idx import read_idx

    gray = read_idx(FASHION / "train-images-idx3-ubyte.gz")[:n]
    if size == 28:
        return np.ascontiguousarray(gray[..., None])
    from PIL import Image

    tints = np.array([[1.0, 0.6, 0.3], [0.4, 0.9, 1.0], [0.9, 0.9, 0.9]], np.float32)
    out = np.empty((n, size, size, 3), np.uint8)
    for i, g in enumerate(gray):
        big = np.asarray(Image.fromarray(g).resize((size, size), Image.BILINEAR), np.float32)
        out[i] = np.clip(big[..., None] * tints[i % 3] + 20, 0, 255).astype(np.uint8)
    return out


def _timed(run, images: int, repeats: int) -> float:
    run()  # warm-up: tracing, XLA compilation, pool start
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = max(best, images / (time.perf_counter() - start))
    return best


# lexivision -----------------------------------------------------------------------------


def bench_lexivision(images: np.ndarray, repeats: int) -> float:
    import tensorflow as tf

    from pipeline import augmentation

    aug = augmentation("standard", seed=0)
    ds = aug.map_dataset(tf.data.Dataset.from_tensor_slices(images).batch(BATCH)).prefetch(tf.data.AUTOTUNE)

    def run():
        for _ in ds:
            pass

    return _timed(run, len(images), repeats)


# Keras layers ---------------------------------------------------------------------------


def bench_keras(images: np.ndarray, repeats: int) -> float:
    import keras
    import tensorflow as tf

    layers = keras.Sequential([
        keras.layers.RandomFlip("horizontal", seed=0),
        keras.layers.RandomRotation(15 / 360, fill_mode="reflect", seed=1),
        keras.layers.RandomZoom(0.1, fill_mode="reflect", seed=2),
        keras.layers.RandomTranslation(0.1, 0.1, fill_mode="reflect", seed=3),
        keras.layers.RandomBrightness(0.2, value_range=(0, 255), seed=4),
        keras.layers.RandomContrast(0.2, value_range=(0, 255), seed=5),
    ])

    def f(batch):
        out = layers(tf.cast(batch, tf.float32), training=True)
        return tf.cast(tf.round(tf.clip_by_value(out, 0, 255)), tf.uint8)

    ds = tf.data.Dataset.from_tensor_slices(images).batch(BATCH).map(f, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.prefetch(tf.data.AUTOTUNE)

    def run():
        for _ in ds:
            pass

    return _timed(run, len(images), repeats)


# albumentations -------------------------------------------------------------------------

_IMAGES = None
_PIPELINE = None


def _albumentations_pipeline(seed: int):
    import albumentations as A
    import cv2

    return A.Compose([
        A.HorizontalFlip(p=0.5),
        A.Affine(rotate=(-15, 15), scale=(0.9, 1.1), translate_percent=(-0.1, 0.1), interpolation=cv2.INTER_LINEAR,
                 border_mode=cv2.BORDER_REFLECT, p=1.0),
        A.RandomBrightnessContrast(brightness_limit=0.2, contrast_limit=0.2, p=1.0),
    ], seed=seed)


def _init_worker(images, seed):
    global _IMAGES, _PIPELINE
    import cv2

    cv2.setNumThreads(1)
    _IMAGES = images
    _PIPELINE = _albumentations_pipeline(seed + os.getpid())


def _augment_chunk(start: int) -> np.ndarray:
    chunk = _IMAGES[start:start + BATCH]
    return np.stack([_PIPELINE(image=image)["image"] for image in chunk])


def bench_albumentations(images: np.ndarray, repeats: int, processes: int) -> float:
    ctx = mp.get_context("fork")
    with ctx.Pool(processes, initializer=_init_worker, initargs=(images, 0)) as pool:
        starts = list(range(0, len(images), BATCH))

        def run():
            for out in pool.imap(_augment_chunk, starts):
                assert out.dtype == np.uint8

        return _timed(run, len(images), repeats)


def bench_albumentations_one_process(images: np.ndarray, repeats: int) -> float:
    _init_worker(images, 0)

    def run():
        for start in range(0, len(images), BATCH):
            _augment_chunk(start)

    return _timed(run, len(images), repeats)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=4096, help="images per size (default 4096)")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes; the best is reported")
    parser.add_argument("--sizes", default="128,28")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    print(f"cores: {cores}, images per pass: {args.images}, batch {BATCH}, best of {args.repeats}")
    for size in (int(s) for s in args.sizes.split(",")):
        images = load_images(args.images, size)
        label = f"{size}x{size}x{images.shape[-1]} uint8"
        # albumentations first, in a forked pool, before TensorFlow starts its threads
        alb = bench_albumentations(images, args.repeats, cores)
        alb1 = bench_albumentations_one_process(images, args.repeats)
        lex = bench_lexivision(images, args.repeats)
        ker = bench_keras(images, args.repeats)
        print(f"{label}: lexivision tf.data {lex:,.0f} img/s | albumentations pool({cores}) {alb:,.0f} img/s "
              f"(1 process {alb1:,.0f}) | keras layers tf.data {ker:,.0f} img/s")
        print(f"{label}: lexivision / albumentations = {lex / alb:.2f}x, lexivision / keras = {lex / ker:.1f}x")


if __name__ == "__main__":
    main()
