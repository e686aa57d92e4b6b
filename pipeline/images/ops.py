"""The augmentation ops: small frozen dataclasses that draw per-image parameters.

Geometric ops return per-image 3x3 matrices (fused by :mod:`pipeline.images.affine`
into one resampling pass); photometric ops map float32 batches; batch ops
(MixUp, CutMix) mix images and labels. Every op draws its parameters with
stateless random ops from the seed it is given, so the same seed gives the same
batch, and each image in the batch gets its own parameters.

A range argument is either a number ``v`` (meaning ``(-v, v)``) or a pair
``(low, high)``; ``(0, 0)`` is the identity.

>>> Rotate(15).degrees
(-15.0, 15.0)
>>> op_from_config({"op": "zoom", "factor": [0.0, 0.2]})
Zoom(factor=(0.0, 0.2))
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import tensorflow as tf

from pipeline.images import affine

__all__ = [
    "Op", "Flip", "Rotate", "Zoom", "Translate", "Shear", "Crop", "Brightness", "Contrast",
    "RandAugment", "RandomErasing", "MixUp", "CutMix", "OPS", "op_from_config",
]


def _range(value, name: str) -> tuple[float, float]:
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"{name} must be >= 0 or a (low, high) pair. Received: {name}={value}")
        return (-float(value), float(value))
    low, high = (float(v) for v in value)
    if low > high:
        raise ValueError(f"{name} must have low <= high. Received: {name}=({low}, {high})")
    return (low, high)


def _unit(shape, seed):
    """Uniform ``[0, 1)`` float32 of ``shape`` from ``seed``.

    Bit for bit ``tf.random.stateless_uniform(shape, seed)`` on a CPU, but the
    same numbers inside an XLA-compiled function and on a GPU too (XLA turns the
    Philox bits into floats differently, so the bits are drawn and converted here).
    """
    bits = tf.random.stateless_uniform(shape, seed, minval=None, maxval=None, dtype=tf.uint32, alg="philox")
    mantissa = tf.bitwise.bitwise_or(tf.bitwise.bitwise_and(bits, 0x7FFFFF), 0x3F800000)  # [1, 2)
    return tf.bitcast(mantissa, tf.float32) - 1.0


def _uniform(seed, batch, bounds):
    low, high = bounds
    if low == high:
        return tf.fill([batch], low)
    return _unit([batch], seed) * (tf.constant(high) - tf.constant(low)) + low


def split_seed(seed, n: int) -> tf.Tensor:
    """``n`` new seeds ``[n, 2]`` from ``seed``: ``tf.random.experimental.stateless_split``
    with the Philox algorithm named, which gives the same seeds inside XLA (its
    ``auto_select`` does not) as on a CPU or GPU."""
    seed = tf.convert_to_tensor(seed)
    return tf.random.stateless_uniform([n, 2], seed, minval=None, maxval=None, dtype=seed.dtype, alg="philox")


def _seeds(seed, n):
    return tf.unstack(split_seed(seed, n), num=n)


class Op:
    """Base of all ops; ``kind`` is ``"geometric"``, ``"photometric"`` or ``"batch"``."""

    kind = "photometric"
    name = ""

    def get_config(self) -> dict:
        config = {"op": self.name}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            config[field.name] = list(value) if isinstance(value, tuple) else value
        return config


def _ranged(*names):
    """Normalise the named range fields of a dataclass in ``__post_init__``."""

    def post_init(self):
        for n in names:
            object.__setattr__(self, n, _range(getattr(self, n), n))

    return post_init


# Geometric -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Flip(Op):
    """Mirror each image left-right (and/or top-bottom) with ``probability``."""

    horizontal: bool = True
    vertical: bool = False
    probability: float = 0.5
    kind = "geometric"
    name = "flip"

    def matrix(self, seed, batch, height, width):
        s1, s2 = _seeds(seed, 2)
        h = _unit([batch], s1) < self.probability if self.horizontal else tf.zeros([batch], bool)
        v = _unit([batch], s2) < self.probability if self.vertical else tf.zeros([batch], bool)
        return affine.flip(h, v, height, width)


@dataclass(frozen=True)
class Rotate(Op):
    """Rotate by an angle in ``degrees`` (counter-clockwise positive)."""

    degrees: tuple = 15.0
    kind = "geometric"
    name = "rotate"
    __post_init__ = _ranged("degrees")

    def matrix(self, seed, batch, height, width):
        return affine.rotation(_uniform(seed, batch, self.degrees), height, width)


@dataclass(frozen=True)
class Zoom(Op):
    """Magnify by ``1 + u``, ``u`` drawn from ``factor`` (positive zooms in)."""

    factor: tuple = 0.1
    kind = "geometric"
    name = "zoom"
    __post_init__ = _ranged("factor")

    def matrix(self, seed, batch, height, width):
        scale = 1.0 + _uniform(seed, batch, self.factor)
        return affine.zoom(scale, scale, height, width)


@dataclass(frozen=True)
class Translate(Op):
    """Shift by a ``fraction`` of the width and height (independently per axis)."""

    fraction: tuple = 0.1
    kind = "geometric"
    name = "translate"
    __post_init__ = _ranged("fraction")

    def matrix(self, seed, batch, height, width):
        sx, sy = _seeds(seed, 2)
        dx = _uniform(sx, batch, self.fraction) * tf.cast(width, tf.float32)
        dy = _uniform(sy, batch, self.fraction) * tf.cast(height, tf.float32)
        return affine.translation(dx, dy)


@dataclass(frozen=True)
class Shear(Op):
    """Shear along x by an angle in ``degrees``."""

    degrees: tuple = 10.0
    kind = "geometric"
    name = "shear"
    __post_init__ = _ranged("degrees")

    def matrix(self, seed, batch, height, width):
        return affine.shear(_uniform(seed, batch, self.degrees), tf.zeros([batch]), height, width)


@dataclass(frozen=True)
class Crop(Op):
    """A random ``height`` x ``width`` window (centre window when not training)."""

    height: int = 0
    width: int = 0
    kind = "geometric"
    name = "crop"

    def __post_init__(self):
        if self.height <= 0 or self.width <= 0:
            raise ValueError(f"crop needs a positive height and width. Received: height={self.height}, width={self.width}")

    def output_size(self, height, width):
        return self.height, self.width

    def matrix(self, seed, batch, height, width):
        sx, sy = _seeds(seed, 2)
        room_x = tf.cast(width - self.width + 1, tf.float32)
        room_y = tf.cast(height - self.height + 1, tf.float32)
        ox = tf.minimum(tf.floor(_unit([batch], sx) * room_x), room_x - 1)
        oy = tf.minimum(tf.floor(_unit([batch], sy) * room_y), room_y - 1)
        return affine.crop(ox, oy)


# Photometric (values in [0, 1] units of the value range) -----------------------------------


@dataclass(frozen=True)
class Brightness(Op):
    """Add ``delta`` (a fraction of the value range) to every pixel."""

    delta: tuple = 0.2
    name = "brightness"
    __post_init__ = _ranged("delta")

    def apply(self, images, seed, span):
        delta = _uniform(seed, tf.shape(images)[0], self.delta) * span
        return images + delta[:, None, None, None]


@dataclass(frozen=True)
class Contrast(Op):
    """Scale each channel's distance from its mean by ``1 + u``, ``u`` from ``factor``."""

    factor: tuple = 0.2
    name = "contrast"
    __post_init__ = _ranged("factor")

    def apply(self, images, seed, span):
        f = (1.0 + _uniform(seed, tf.shape(images)[0], self.factor))[:, None, None, None]
        mean = tf.reduce_mean(images, axis=(1, 2), keepdims=True)
        return images * f + mean * (1.0 - f)


@dataclass(frozen=True)
class RandomErasing(Op):
    """With ``probability``, fill a random rectangle (``area`` fraction, ``aspect`` ratio) with a random level."""

    probability: float = 0.25
    area: tuple = (0.02, 0.33)
    aspect: tuple = (0.3, 3.3)
    name = "random_erasing"

    def __post_init__(self):
        object.__setattr__(self, "area", tuple(float(v) for v in self.area))
        object.__setattr__(self, "aspect", tuple(float(v) for v in self.aspect))

    def apply(self, images, seed, span, low=0.0):
        shape = tf.shape(images)
        batch, h, w = shape[0], tf.cast(shape[1], tf.float32), tf.cast(shape[2], tf.float32)
        s = _seeds(seed, 6)
        area = _uniform(s[0], batch, self.area) * h * w
        log_aspect = _uniform(s[1], batch, (math.log(self.aspect[0]), math.log(self.aspect[1])))
        eh = tf.minimum(tf.sqrt(area * tf.exp(log_aspect)), h)
        ew = tf.minimum(tf.sqrt(area / tf.exp(log_aspect)), w)
        y0 = _unit([batch], s[2]) * (h - eh)
        x0 = _unit([batch], s[3]) * (w - ew)
        on = _unit([batch], s[4]) < self.probability
        level = low + _unit([batch], s[5]) * span
        ys = tf.range(h)[None, :, None]
        xs = tf.range(w)[None, None, :]
        c = lambda t: t[:, None, None]  # noqa: E731
        mask = (ys >= c(y0)) & (ys < c(y0 + eh)) & (xs >= c(x0)) & (xs < c(x0 + ew)) & c(on)
        return tf.where(mask[..., None], level[:, None, None, None], images)


@dataclass(frozen=True)
class RandAugment(Op):
    """RandAugment (Cubuk et al. 2020): each image gets ``num_ops`` distinct ops at ``magnitude`` (0..1).

    Ops: identity, rotate, shear x/y, translate x/y (fused into the affine
    transform), brightness, contrast, saturation, solarize, posterize,
    autocontrast; the chosen ops are applied in that fixed order, and every op
    scales with ``magnitude`` (0 leaves the image unchanged).
    """

    num_ops: int = 2
    magnitude: float = 0.5
    kind = "mixed"
    name = "rand_augment"
    CHOICES = ("identity", "rotate", "shear_x", "shear_y", "translate_x", "translate_y", "brightness",
               "contrast", "saturation", "solarize", "posterize", "autocontrast")

    def __post_init__(self):
        if not 0 <= self.num_ops <= len(self.CHOICES):
            raise ValueError(f"num_ops must be in 0..{len(self.CHOICES)}. Received: num_ops={self.num_ops}")
        if not 0.0 <= self.magnitude <= 1.0:
            raise ValueError(f"magnitude must be in [0, 1]. Received: magnitude={self.magnitude}")

    def _choose(self, seed, batch):
        s1, s2 = _seeds(seed, 2)
        rank = tf.argsort(tf.argsort(_unit([batch, len(self.CHOICES)], s1), axis=1), axis=1)
        chosen = tf.cast(rank < self.num_ops, tf.float32)
        sign = tf.where(_unit([batch, len(self.CHOICES)], s2) < 0.5, -1.0, 1.0)
        amount = chosen * sign * self.magnitude  # [B, K] signed magnitude, 0 where not chosen
        return {n: amount[:, i] for i, n in enumerate(self.CHOICES)}, {n: chosen[:, i] > 0 for i, n in enumerate(self.CHOICES)}

    def matrix(self, seed, batch, height, width):
        a, _ = self._choose(seed, batch)
        zero = tf.zeros([batch])
        return affine.compose(
            affine.rotation(30.0 * a["rotate"], height, width),
            affine.shear(17.0 * a["shear_x"], 17.0 * a["shear_y"], height, width),
            affine.translation(0.3 * a["translate_x"] * tf.cast(width, tf.float32),
                               0.3 * a["translate_y"] * tf.cast(height, tf.float32) + zero),
        )

    def apply(self, images, seed, span, low=0.0):
        a, on = self._choose(seed, tf.shape(images)[0])
        b = lambda t: t[:, None, None, None]  # noqa: E731
        x = images
        f = b(1.0 + 0.9 * a["brightness"])
        x = x * f + low * (1.0 - f)
        f = b(1.0 + 0.9 * a["contrast"])
        x = x * f + tf.reduce_mean(x, axis=(1, 2, 3), keepdims=True) * (1.0 - f)
        if images.shape[-1] == 3:
            f = b(1.0 + 0.9 * a["saturation"])
            gray = tf.reduce_sum(x * tf.constant([0.2989, 0.5870, 0.1140]), axis=-1, keepdims=True)
            x = x * f + gray * (1.0 - f)
        high = low + span
        # magnitude 0 is the identity for every op: solarize above the range, posterize at 8 bits,
        # autocontrast blended in with weight magnitude
        threshold = b(tf.where(on["solarize"], high + span * (1e-3 - self.magnitude), high + 1.0))
        x = tf.where(x >= threshold, high + low - x, x)
        bits = round(8 - 4 * self.magnitude)
        if bits < 8:
            step = span / (2.0**bits) * (256.0 / 255.0)
            x = tf.where(b(on["posterize"]), low + tf.floor((x - low) / step) * step, x)
        lo = tf.reduce_min(x, axis=(1, 2), keepdims=True)
        hi = tf.reduce_max(x, axis=(1, 2), keepdims=True)
        stretched = low + (x - lo) * span / tf.maximum(hi - lo, 1e-6)
        return tf.where(b(on["autocontrast"]), x + self.magnitude * (stretched - x), x)


# Batch level ----------------------------------------------------------------------------


def _beta(seed, batch, alpha):
    s1, s2 = _seeds(seed, 2)
    g1 = tf.random.stateless_gamma([batch], s1, alpha)
    g2 = tf.random.stateless_gamma([batch], s2, alpha)
    return g1 / tf.maximum(g1 + g2, 1e-12)


def _partner(seed, batch):
    return tf.argsort(_unit([batch], seed))


@dataclass(frozen=True)
class MixUp(Op):
    """MixUp (Zhang et al. 2018): blend each image and label with a partner, weight ~ Beta(alpha, alpha)."""

    alpha: float = 0.2
    kind = "batch"
    name = "mixup"

    def apply_batch(self, images, labels, seed):
        s1, s2 = _seeds(seed, 2)
        batch = tf.shape(images)[0]
        lam = _beta(s1, batch, self.alpha)
        other = _partner(s2, batch)
        mixed = images * lam[:, None, None, None] + tf.gather(images, other) * (1.0 - lam[:, None, None, None])
        return mixed, labels * lam[:, None] + tf.gather(labels, other) * (1.0 - lam[:, None])


@dataclass(frozen=True)
class CutMix(Op):
    """CutMix (Yun et al. 2019): paste a partner's box of area ``1 - lam``, mix labels by the pasted area."""

    alpha: float = 1.0
    kind = "batch"
    name = "cutmix"

    def apply_batch(self, images, labels, seed):
        s = _seeds(seed, 4)
        shape = tf.shape(images)
        batch, h, w = shape[0], tf.cast(shape[1], tf.float32), tf.cast(shape[2], tf.float32)
        cut = tf.sqrt(1.0 - _beta(s[0], batch, self.alpha))
        cy = _unit([batch], s[1]) * h
        cx = _unit([batch], s[2]) * w
        y0, y1 = tf.clip_by_value(cy - cut * h / 2, 0, h), tf.clip_by_value(cy + cut * h / 2, 0, h)
        x0, x1 = tf.clip_by_value(cx - cut * w / 2, 0, w), tf.clip_by_value(cx + cut * w / 2, 0, w)
        ys = tf.range(h)[None, :, None] + 0.5
        xs = tf.range(w)[None, None, :] + 0.5
        c = lambda t: t[:, None, None]  # noqa: E731
        mask = (ys >= c(y0)) & (ys < c(y1)) & (xs >= c(x0)) & (xs < c(x1))
        other = _partner(s[3], batch)
        mixed = tf.where(mask[..., None], tf.gather(images, other), images)
        pasted = tf.reduce_mean(tf.cast(mask, tf.float32), axis=(1, 2))[:, None]
        return mixed, labels * (1.0 - pasted) + tf.gather(labels, other) * pasted


OPS = {cls.name: cls for cls in (Flip, Rotate, Zoom, Translate, Shear, Crop, Brightness, Contrast,
                                 RandAugment, RandomErasing, MixUp, CutMix)}


def op_from_config(config: str | dict | Op) -> Op:
    """An op from its name (defaults), ``{"op": name, **arguments}``, or an op."""
    if isinstance(config, Op):
        return config
    if isinstance(config, str):
        config = {"op": config}
    config = dict(config)
    name = config.pop("op", None)
    if name not in OPS:
        raise ValueError(f"unknown augmentation op {name!r}; choose one of {sorted(OPS)}")
    try:
        return OPS[name](**{k: tuple(v) if isinstance(v, list) else v for k, v in config.items()})
    except TypeError as err:
        raise ValueError(f"augmentation op {name!r}: {err}") from None
