"""``LocalContrastNormalization``: Jarrett et al. (2009), "What is the best multi-stage
architecture for object recognition?", section 2.

Subtractive step: ``v = x - sum_{c,p,q} w_pq x[c, i+p, j+q]`` with a Gaussian
window ``w`` normalised to sum to 1 over space *and* channels, so every channel
has the same local mean removed. Divisive step: ``y = v / max(threshold,
sigma)`` with ``sigma = sqrt(sum_{c,p,q} w_pq v^2)``; ``threshold`` is the
image's mean ``sigma`` (the paper's choice) when ``threshold="mean"``, else the
given number. Borders are reflected.

>>> import numpy as np
>>> x = np.random.default_rng(0).normal(size=(1, 16, 16, 3)).astype("float32")
>>> LocalContrastNormalization(kernel_size=5, sigma=1.0)(x).shape
TensorShape([1, 16, 16, 3])
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

__all__ = ["LocalContrastNormalization"]


def gaussian_window(kernel_size: int, sigma: float) -> np.ndarray:
    """``[k, k]`` Gaussian weights summing to 1."""
    r = np.arange(kernel_size, dtype=np.float64) - (kernel_size - 1) / 2
    g = np.exp(-(r**2) / (2 * sigma**2))
    w = np.outer(g, g)
    return (w / w.sum()).astype(np.float32)


@keras.saving.register_keras_serializable(package="lexivision")
class LocalContrastNormalization(keras.layers.Layer):
    """Float ``[B, H, W, C]`` -> same shape, locally zero-mean and unit-variance.

    Args:
        kernel_size: odd width of the Gaussian window (the paper uses 9).
        sigma: standard deviation of the window in pixels.
        threshold: ``"mean"`` (per image, as in the paper) or a float floor for
            the divisor.
        epsilon: lower bound of the divisor, so flat images do not divide by 0.
    """

    def __init__(self, kernel_size: int = 9, sigma: float = 2.0, threshold: str | float = "mean",
                 epsilon: float = 1e-4, **kwargs):
        super().__init__(**kwargs)
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be a positive odd number. Received: kernel_size={kernel_size}")
        if sigma <= 0:
            raise ValueError(f"sigma must be > 0. Received: sigma={sigma}")
        if threshold != "mean" and not isinstance(threshold, (int, float)):
            raise ValueError(f"threshold must be 'mean' or a number. Received: threshold={threshold!r}")
        self.kernel_size = int(kernel_size)
        self.sigma = float(sigma)
        self.threshold = threshold
        self.epsilon = float(epsilon)
        self._window = gaussian_window(self.kernel_size, self.sigma)

    def _local_sum(self, x):
        """Gaussian-weighted sum over the window and averaged over channels, ``[B, H, W, 1]``."""
        pad = self.kernel_size // 2
        channels = x.shape[-1]
        x = tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="REFLECT")
        kernel = np.repeat(self._window[:, :, None, None], channels, axis=2) / channels
        return tf.nn.conv2d(x, tf.constant(kernel, x.dtype), strides=1, padding="VALID")

    def call(self, inputs):
        x = tf.cast(inputs, self.compute_dtype)
        v = x - self._local_sum(x)
        sigma = tf.sqrt(self._local_sum(tf.square(v)))
        if self.threshold == "mean":
            floor = tf.reduce_mean(sigma, axis=(1, 2, 3), keepdims=True)
        else:
            floor = tf.constant(float(self.threshold), x.dtype)
        return v / tf.maximum(tf.maximum(sigma, floor), self.epsilon)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(kernel_size=self.kernel_size, sigma=self.sigma, threshold=self.threshold, epsilon=self.epsilon)
        return config
