"""The augmentation ops: small frozen dataclasses that draw per-image parameters.

Geometric ops return per-image 3x3 matrices (fused by :mod:`pipeline.images.affine`
into one resampling pass); photometric ops map float32 batches; batch ops
(MixUp, CutMix) mix images and labels. All the per-image random numbers of a
batch come from one stateless draw from the batch's seed (:func:`draw`), so the
same seed gives the same batch, and each image gets its own parameters.

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
    "RandAugment", "RandomErasing", "MixUp", "CutMix", "OPS", "op_from_config", "draw", "split_seed",
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


_PHILOX = 1  # tf.random.Algorithm.PHILOX
_SCRAMBLE_KEY = 0x02461E293EC8F720  # TensorFlow's seed scrambling for Philox


def _philox(shape, seed, dtype):
    """Full-range integers: ``tf.random.stateless_uniform(shape, seed, minval=None, maxval=None,
    dtype=dtype, alg="philox")`` bit for bit, in a few graph nodes instead of fifty."""
    seed = tf.convert_to_tensor(seed)
    mix = tf.raw_ops.StatelessRandomUniformFullIntV2(
        shape=[2], key=tf.constant([_SCRAMBLE_KEY], tf.uint64), counter=tf.cast(seed, tf.uint64), alg=_PHILOX,
        dtype=tf.uint64)
    counter = tf.concat([tf.zeros([1], tf.uint64), mix[1:]], axis=0)
    return tf.raw_ops.StatelessRandomUniformFullIntV2(shape=shape, key=mix[:1], counter=counter, alg=_PHILOX, dtype=dtype)


def _unit(shape, seed):
    """Uniform ``[0, 1)`` float32 of ``shape`` from ``seed``.

    Bit for bit ``tf.random.stateless_uniform(shape, seed)`` on a CPU, but the
    same numbers inside an XLA-compiled function and on a GPU too (XLA turns the
    Philox bits into floats differently, so the bits are drawn and converted here).
    """
    mantissa = tf.bitwise.bitwise_or(tf.bitwise.bitwise_and(_philox(shape, seed, tf.uint32), 0x7FFFFF), 0x3F800000)
    return tf.bitcast(mantissa, tf.float32) - 1.0  # [1, 2) - 1


def _float(size):
    """A size as a float: a Python float when it is static (a constant), else a cast."""
    return float(size) if isinstance(size, int) else tf.cast(size, tf.float32)


def _between(u, bounds):
    """Uniform ``[0, 1)`` numbers ``u`` scaled to ``bounds`` (exactly ``low`` when ``low == high``)."""
    low, high = bounds
    return u * (high - low) + low


def split_seed(seed, n: int) -> tf.Tensor:
    """``n`` new seeds ``[n, 2]`` from ``seed``: ``tf.random.experimental.stateless_split``
    with the Philox algorithm named, which gives the same seeds inside XLA (its
    ``auto_select`` does not) as on a CPU or GPU."""
    seed = tf.convert_to_tensor(seed)
    return _philox([n, 2], seed, seed.dtype)


def _seeds(seed, n):
    return tf.unstack(split_seed(seed, n), num=n)


def draw(ops, batch, seed) -> list:
    """Every per-image random number the ``ops`` need, in ONE draw: ``[B, sum(op.randoms)]``
    uniforms from ``seed``, handed out as a list of ``op.randoms`` columns ``[B]`` per op."""
    total = sum(op.randoms for op in ops)
    columns = tf.unstack(_unit([batch, total], seed), num=total, axis=1) if total else []
    out, start = [], 0
    for op in ops:
        out.append(columns[start:start + op.randoms])
        start += op.randoms
    return out


class Op:
    """Base of all ops; ``kind`` is ``"geometric"``, ``"levels"``, ``"photometric"``, ``"mixed"`` or ``"batch"``.

    A per-image op uses ``randoms`` uniform ``[0, 1)`` numbers per image, given to
    it as ``u``, a list of ``randoms`` tensors ``[B]``: geometric ops turn them into matrices with
    ``matrix(u, height, width)``, photometric ops into pixels with
    ``apply(images, u, low, span)`` (float32 images, value range ``low .. low + span``).
    """

    kind = "photometric"
    name = ""
    randoms = 0

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


def _per_image(t):
    """``[B]`` -> ``[B, 1, 1, 1]``, to scale whole images."""
    return tf.reshape(t, [-1, 1, 1, 1])


# Geometric -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Flip(Op):
    """Mirror each image left-right (and/or top-bottom) with ``probability``."""

    horizontal: bool = True
    vertical: bool = False
    probability: float = 0.5
    kind = "geometric"
    name = "flip"
    randoms = 2

    def matrix(self, u, height, width):
        return affine.flip(u[0] < (self.probability if self.horizontal else 0.0),
                           u[1] < (self.probability if self.vertical else 0.0), height, width)


@dataclass(frozen=True)
class Rotate(Op):
    """Rotate by an angle in ``degrees`` (counter-clockwise positive)."""

    degrees: tuple = 15.0
    kind = "geometric"
    name = "rotate"
    randoms = 1
    __post_init__ = _ranged("degrees")

    def matrix(self, u, height, width):
        return affine.rotation(_between(u[0], self.degrees), height, width)


@dataclass(frozen=True)
class Zoom(Op):
    """Magnify by ``1 + u``, ``u`` drawn from ``factor`` (positive zooms in)."""

    factor: tuple = 0.1
    kind = "geometric"
    name = "zoom"
    randoms = 1
    __post_init__ = _ranged("factor")

    def matrix(self, u, height, width):
        scale = 1.0 + _between(u[0], self.factor)
        return affine.zoom(scale, scale, height, width)


@dataclass(frozen=True)
class Translate(Op):
    """Shift by a ``fraction`` of the width and height (independently per axis)."""

    fraction: tuple = 0.1
    kind = "geometric"
    name = "translate"
    randoms = 2
    __post_init__ = _ranged("fraction")

    def matrix(self, u, height, width):
        return affine.translation(_between(u[0], self.fraction) * _float(width),
                                  _between(u[1], self.fraction) * _float(height))


@dataclass(frozen=True)
class Shear(Op):
    """Shear along x by an angle in ``degrees``."""

    degrees: tuple = 10.0
    kind = "geometric"
    name = "shear"
    randoms = 1
    __post_init__ = _ranged("degrees")

    def matrix(self, u, height, width):
        return affine.shear(_between(u[0], self.degrees), tf.zeros_like(u[0]), height, width)


@dataclass(frozen=True)
class Crop(Op):
    """A random ``height`` x ``width`` window (centre window when not training)."""

    height: int = 0
    width: int = 0
    kind = "geometric"
    name = "crop"
    randoms = 2

    def __post_init__(self):
        if self.height <= 0 or self.width <= 0:
            raise ValueError(f"crop needs a positive height and width. Received: height={self.height}, width={self.width}")

    def output_size(self, height, width):
        return self.height, self.width

    def matrix(self, u, height, width):
        room_x, room_y = _float(width - self.width + 1), _float(height - self.height + 1)
        return affine.crop(tf.minimum(tf.floor(u[0] * room_x), room_x - 1.0),
                           tf.minimum(tf.floor(u[1] * room_y), room_y - 1.0))


# Photometric (values in [0, 1] units of the value range) -----------------------------------


class _Levels(Op):
    """A photometric op that maps each image's values linearly: ``x * scale + offset``.

    ``levels(u, span, mean)`` gives ``(scale, offset)`` (per image, or per image and
    channel), ``mean()`` being the per-channel mean of the image it applies to. Runs
    of them fold into one map, the way geometric ops fold into one matrix.
    """

    kind = "levels"


def _apply_levels(op, images, u, span):
    scale, offset = op.levels(u, span, lambda: tf.reduce_mean(images, axis=(1, 2), keepdims=True))
    return images * scale + offset


@dataclass(frozen=True)
class Brightness(_Levels):
    """Add ``delta`` (a fraction of the value range) to every pixel."""

    delta: tuple = 0.2
    name = "brightness"
    randoms = 1
    __post_init__ = _ranged("delta")

    def levels(self, u, span, mean):
        return 1.0, _per_image(_between(u[0], self.delta) * span)

    def apply(self, images, u, low, span):
        return _apply_levels(self, images, u, span)


@dataclass(frozen=True)
class Contrast(_Levels):
    """Scale each channel's distance from its mean by ``1 + u``, ``u`` from ``factor``."""

    factor: tuple = 0.2
    name = "contrast"
    randoms = 1
    __post_init__ = _ranged("factor")

    def levels(self, u, span, mean):
        f = _per_image(1.0 + _between(u[0], self.factor))
        return f, mean() * (1.0 - f)

    def apply(self, images, u, low, span):
        return _apply_levels(self, images, u, span)


@dataclass(frozen=True)
class RandomErasing(Op):
    """With ``probability``, fill a random rectangle (``area`` fraction, ``aspect`` ratio) with a random level."""

    probability: float = 0.25
    area: tuple = (0.02, 0.33)
    aspect: tuple = (0.3, 3.3)
    name = "random_erasing"
    randoms = 6

    def __post_init__(self):
        object.__setattr__(self, "area", tuple(float(v) for v in self.area))
        object.__setattr__(self, "aspect", tuple(float(v) for v in self.aspect))

    def apply(self, images, u, low, span):
        shape = tf.shape(images)
        h, w = tf.cast(shape[1], tf.float32), tf.cast(shape[2], tf.float32)
        area = _between(u[0], self.area) * h * w
        log_aspect = _between(u[1], (math.log(self.aspect[0]), math.log(self.aspect[1])))
        eh = tf.minimum(tf.sqrt(area * tf.exp(log_aspect)), h)
        ew = tf.minimum(tf.sqrt(area / tf.exp(log_aspect)), w)
        y0 = u[2] * (h - eh)
        x0 = u[3] * (w - ew)
        on = u[4] < self.probability
        level = low + u[5] * span
        ys = tf.range(h)[None, :, None]
        xs = tf.range(w)[None, None, :]
        c = lambda t: t[:, None, None]  # noqa: E731
        mask = (ys >= c(y0)) & (ys < c(y0 + eh)) & (xs >= c(x0)) & (xs < c(x0 + ew)) & c(on)
        return tf.where(mask[..., None], _per_image(level), images)


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
    randoms = 2 * len(CHOICES)

    def __post_init__(self):
        if not 0 <= self.num_ops <= len(self.CHOICES):
            raise ValueError(f"num_ops must be in 0..{len(self.CHOICES)}. Received: num_ops={self.num_ops}")
        if not 0.0 <= self.magnitude <= 1.0:
            raise ValueError(f"magnitude must be in [0, 1]. Received: magnitude={self.magnitude}")

    def _choose(self, u):
        k = len(self.CHOICES)
        rank = tf.argsort(tf.argsort(tf.stack(u[:k], axis=1), axis=1), axis=1)
        chosen = tf.cast(rank < self.num_ops, tf.float32)
        sign = tf.where(tf.stack(u[k:], axis=1) < 0.5, -1.0, 1.0)
        amount = chosen * sign * self.magnitude  # [B, K] signed magnitude, 0 where not chosen
        return {n: amount[:, i] for i, n in enumerate(self.CHOICES)}, {n: chosen[:, i] > 0 for i, n in enumerate(self.CHOICES)}

    def matrix(self, u, height, width):
        a, _ = self._choose(u)
        return affine.compose(
            affine.rotation(30.0 * a["rotate"], height, width),
            affine.shear(17.0 * a["shear_x"], 17.0 * a["shear_y"], height, width),
            affine.translation(0.3 * a["translate_x"] * _float(width),
                               0.3 * a["translate_y"] * _float(height)),
        )

    def apply(self, images, u, low, span):
        a, on = self._choose(u)
        b = _per_image
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
