"""``augmentation(policy, seed)``: seeded, per-image, batch-vectorised image augmentation.

One object, two executions:

* in ``tf.data`` on the CPU: ``aug.map_dataset(dataset)`` after ``.batch()``;
  every batch gets its own seed from ``tf.data.Dataset.random(seed)`` (new
  numbers each epoch, the same numbers for the same seed), and all the
  per-image work of a batch (one draw of its random numbers, the matrices, one
  gather-based resampling pass, the photometric ops, the cast back) is ONE
  XLA-compiled function, so a batch costs one launch;
* inside a model (on the GPU if there is one): ``aug`` is a Keras layer, active
  only when ``training=True``, seeded by a ``keras.random.SeedGenerator``.

All consecutive geometric ops (flip, rotate, zoom, translate, shear, crop, the
geometric half of RandAugment) are fused into one affine matrix per image and
the batch is resampled once; consecutive brightness/contrast ops fold into one
``x * scale + offset`` per image. Both executions draw the same numbers, so
they give the same images up to rounding. The output has the input's dtype (uint8 in, uint8
out, rounded) and stays within ``value_range``.

>>> import numpy as np
>>> aug = augmentation("standard", seed=0)
>>> images = np.random.default_rng(0).integers(0, 256, (4, 32, 32, 3), dtype=np.uint8)
>>> out = aug.augment(images, seed=[0, 1])
>>> out.shape, out.dtype.name
(TensorShape([4, 32, 32, 3]), 'uint8')
>>> bool(np.all(out.numpy() == aug.augment(images, seed=[0, 1]).numpy()))
True
"""

from __future__ import annotations

import functools
import random

import keras
import tensorflow as tf

from pipeline.images import affine
from pipeline.images.ops import (
    Brightness, Contrast, Crop, Flip, Op, RandAugment, RandomErasing, Rotate, Shear, Translate, Zoom, draw, op_from_config,
)

__all__ = ["Augmentation", "augmentation", "POLICIES"]

POLICIES: dict[str, list[Op]] = {
    "none": [],
    "light": [Flip(), Translate(0.05), Brightness(0.1)],
    "standard": [Flip(), Rotate(15), Zoom(0.1), Translate(0.1), Brightness(0.2), Contrast(0.2)],
    "strong": [Flip(), Rotate(25), Zoom(0.2), Translate(0.15), Shear(10), RandAugment(2, 0.5), RandomErasing(0.25)],
}

KERNELS = ("auto", "xla", "projective")


def augmentation(policy: str | list = "standard", seed: int | None = None, **kwargs) -> "Augmentation":
    """An :class:`Augmentation` for a named policy (``none``, ``light``, ``standard``, ``strong``)
    or a list of ops (op objects, names, or ``{"op": name, ...}`` dicts).

    >>> augmentation(["flip", {"op": "rotate", "degrees": 10}], seed=1).ops
    [Flip(horizontal=True, vertical=False, probability=0.5), Rotate(degrees=(-10.0, 10.0))]
    """
    if isinstance(policy, str):
        if policy not in POLICIES:
            raise ValueError(f"unknown augmentation policy {policy!r}; choose one of {sorted(POLICIES)} "
                             "or pass a list of ops")
        ops = list(POLICIES[policy])
    else:
        ops = [op_from_config(op) for op in policy]
    return Augmentation(ops, seed=seed, **kwargs)


def _per_image(ops, images, seed, value_range, fill_mode, interpolation, kernel):
    """Run the per-image ``ops`` on ``[B, H, W, C]`` -> float32 ``[B, h, w, C]``, unclipped.

    One draw gives every random number (:func:`~pipeline.images.ops.draw`); each
    run of geometric ops folds into one matrix and one resampling pass, each run
    of brightness/contrast ops into one ``x * scale + offset`` per image.
    ``kernel``: ``"projective"`` (TensorFlow's op) or ``"xla"`` (the gather warp,
    to be traced into a function compiled whole, see :func:`_fused`); the random
    numbers, and so the results, are the same for both.
    """
    low, high = value_range
    span = high - low
    height, width = images.shape[1] or tf.shape(images)[1], images.shape[2] or tf.shape(images)[2]
    x = tf.cast(images, tf.float32) if kernel == "projective" else images
    pending = {"matrix": None, "levels": None, "mean": None}
    out_size = (height, width)

    def flush(x):
        if pending["matrix"] is not None:
            x = affine.warp(x, pending["matrix"], out_size, fill_mode=fill_mode, interpolation=interpolation,
                            kernel=kernel, fill_value=low)
        x = tf.cast(x, tf.float32)
        if pending["levels"] is not None:
            scale, offset = pending["levels"]
            x = x * scale + offset
        pending.update(matrix=None, levels=None, mean=None)
        return x

    for op, u in zip(ops, draw(ops, tf.shape(images)[0], seed)):
        if op.kind == "levels":
            if pending["levels"] is None:
                x = flush(x)  # resample first; the levels then apply to the resampled image
                pending["levels"] = (1.0, 0.0)
            scale, offset = pending["levels"]

            def mean(x=x, scale=scale, offset=offset):  # of the image this op sees: scale * raw + offset
                if pending["mean"] is None:
                    pending["mean"] = tf.reduce_mean(x, axis=(1, 2), keepdims=True)
                return pending["mean"] * scale + offset

            s, o = op.levels(u, span, mean)
            pending["levels"] = (scale * s, offset * s + o)
            continue
        if op.kind in ("geometric", "mixed"):
            if pending["levels"] is not None:
                x = flush(x)
            m = op.matrix(u, out_size[0], out_size[1])
            pending["matrix"] = m if pending["matrix"] is None else affine.compose(pending["matrix"], m)
            if isinstance(op, Crop):
                out_size = op.output_size(*out_size)
            if op.kind == "geometric":
                continue
        x = op.apply(flush(x), u, low, span)
    return flush(x)


def _finish(x, dtype, value_range):
    """Clip to the value range and return to ``dtype`` (rounded for integers)."""
    x = tf.clip_by_value(x, value_range[0], value_range[1])
    if dtype.is_integer:
        return tf.cast(tf.round(x), dtype)
    return tf.cast(x, dtype)


@functools.lru_cache(maxsize=None)
def _fused(ops: tuple, value_range: tuple, fill_mode: str, interpolation: str, finish: bool):
    """All per-image work as ONE XLA-compiled function of ``(images, seed)``.

    Parameter drawing (stateless, from the seed), the affine matrices, the one
    resampling pass and the photometric ops compile into a single kernel launch
    per batch; with ``finish`` the clip and the cast back to the input dtype are
    in it too. Shared by every augmentation with the same ops and settings.
    """

    def run(images, seed):
        x = _per_image(ops, images, seed, value_range, fill_mode, interpolation, kernel="xla")
        return _finish(x, images.dtype, value_range) if finish else x

    # no reduce_retracing: a trace per image size keeps the sizes static, which keeps the graph small
    return tf.function(run, jit_compile=True)


def _to_int_labels(labels, num_classes):
    if labels.dtype.is_floating and labels.shape.rank == 2:
        return tf.cast(labels, tf.float32)
    if num_classes is None:
        raise ValueError("MixUp/CutMix need one-hot labels or num_classes=N for integer labels")
    return tf.one_hot(tf.cast(tf.reshape(labels, [-1]), tf.int32), num_classes)


@keras.saving.register_keras_serializable(package="lexivision")
class Augmentation(keras.layers.Layer):
    """A sequence of augmentation ops; see the module docstring and :func:`augmentation`."""

    def __init__(self, ops=(), seed: int | None = None, value_range=(0.0, 255.0), fill_mode: str = "reflect",
                 interpolation: str = "bilinear", kernel: str = "auto", num_classes: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self._convert_input_args = False
        self._allow_non_tensor_positional_args = True
        self.supports_masking = False
        self.ops = [op_from_config(op) for op in ops]
        seen_batch = False
        for op in self.ops:
            if op.kind == "batch":
                seen_batch = True
            elif seen_batch:
                raise ValueError(f"batch-level ops (mixup, cutmix) must come last; {op.name!r} follows one")
        if fill_mode not in affine.FILL_MODES:
            raise ValueError(f"fill_mode must be one of {affine.FILL_MODES}. Received: fill_mode={fill_mode!r}")
        if kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {KERNELS}. Received: kernel={kernel!r}")
        self.seed = int(seed) if seed is not None else random.randrange(2**31)
        self.value_range = (float(value_range[0]), float(value_range[1]))
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.kernel = kernel
        self.num_classes = num_classes
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        self._batch_ops = [op for op in self.ops if op.kind == "batch"]
        self._image_ops = tuple(self.ops[:len(self.ops) - len(self._batch_ops)])  # batch ops come last
        self.built = True

    @property
    def needs_labels(self) -> bool:
        """True when the ops include MixUp or CutMix."""
        return bool(self._batch_ops)

    # The per-image work -------------------------------------------------------------------

    def _compiled(self, finish: bool):
        return _fused(self._image_ops, self.value_range, self.fill_mode, self.interpolation, finish)

    def _mix(self, x, labels, seed):
        """MixUp/CutMix on the float batch; returns mixed images and one-hot float labels."""
        if labels is None:
            raise ValueError("MixUp/CutMix mix labels too: pass (images, labels) batches")
        y = _to_int_labels(tf.convert_to_tensor(labels), self.num_classes)
        bseed = tf.random.experimental.stateless_fold_in(seed, 7919)
        for k, op in enumerate(self._batch_ops):
            x, y = op.apply_batch(x, y, tf.random.experimental.stateless_fold_in(bseed, k))
        return x, y

    def augment(self, images, labels=None, seed=(0, 0), kernel: str | None = None):
        """Augment ``images`` (``[B, H, W, C]`` or ``[H, W, C]``) with ``seed`` (two ints).

        The result depends only on the images and the seed. Returns images, or
        ``(images, labels)`` when labels are given (labels one-hot float32 if
        MixUp/CutMix mixed them, otherwise unchanged).
        """
        images = tf.convert_to_tensor(images)
        single = images.shape.rank == 3
        if single:
            images = images[None]
        seed = tf.cast(tf.convert_to_tensor(seed), tf.int64)
        kernel = kernel or self._default_kernel(in_model=False)
        if not self.ops:
            out = images
        elif kernel == "xla" and not self._batch_ops:
            out = self._compiled(finish=True)(images, seed)  # one compiled call for all the per-image work
        else:
            if kernel == "xla":
                x = self._compiled(finish=False)(images, seed)
            else:
                x = _per_image(self._image_ops, images, seed, self.value_range, self.fill_mode, self.interpolation,
                               kernel)
            if self._batch_ops:
                x, labels = self._mix(x, labels, seed)
            out = _finish(x, images.dtype, self.value_range)
        if single:
            out = out[0]
        return out if labels is None else (out, labels)

    def _default_kernel(self, in_model: bool) -> str:
        if self.kernel != "auto":
            return self.kernel
        if in_model and tf.config.list_logical_devices("GPU"):
            return "projective"
        return "xla"

    # tf.data -------------------------------------------------------------------------------

    def map_dataset(self, dataset: tf.data.Dataset, num_parallel_calls=tf.data.AUTOTUNE,
                    deterministic: bool = True) -> tf.data.Dataset:
        """Augment every element (a batch, or ``(images, labels)``) of ``dataset``.

        Seeds come from ``tf.data.Dataset.random(self.seed)``, re-drawn each
        epoch: reproducible, and different every epoch.
        """
        seeds = tf.data.Dataset.random(seed=self.seed, rerandomize_each_iteration=True)

        def fn(element, r):
            seed = tf.stack([tf.constant(self.seed, tf.int64), r])
            if isinstance(element, tuple):
                images, labels = element[0], element[1]
                out = self.augment(images, labels, seed=seed, kernel=self._default_kernel(in_model=False))
                return out + tuple(element[2:])
            return self.augment(element, seed=seed, kernel=self._default_kernel(in_model=False))

        return tf.data.Dataset.zip(dataset, seeds).map(fn, num_parallel_calls=num_parallel_calls,
                                                       deterministic=deterministic)

    # Keras layer ---------------------------------------------------------------------------

    def call(self, inputs, training=True):
        if self._batch_ops:
            raise ValueError("MixUp/CutMix change labels, so they cannot run as a model layer; "
                             "use augmentation(...).map_dataset(dataset) instead")
        if not training:
            return self._centre_crop(inputs)
        seed = tf.cast(self.seed_generator.next(), tf.int64)
        return self.augment(inputs, seed=seed, kernel=self._default_kernel(in_model=True))

    def _centre_crop(self, images):
        for op in self.ops:
            if isinstance(op, Crop):
                shape = tf.shape(images)
                oy, ox = (shape[-3] - op.height) // 2, (shape[-2] - op.width) // 2
                images = images[..., oy:oy + op.height, ox:ox + op.width, :]
        return images

    def compute_output_spec(self, inputs, training=True):
        shape = list(inputs.shape)
        for op in self.ops:
            if isinstance(op, Crop):
                shape[-3], shape[-2] = op.height, op.width
        return keras.KerasTensor(shape, dtype=inputs.dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(ops=[op.get_config() for op in self.ops], seed=self.seed, value_range=list(self.value_range),
                      fill_mode=self.fill_mode, interpolation=self.interpolation, kernel=self.kernel,
                      num_classes=self.num_classes)
        return config
