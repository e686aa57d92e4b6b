from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from pipeline import LocalContrastNormalization
from pipeline.images.lcn import gaussian_window


def _local(x, window):
    """Gaussian-weighted local average over space and channels (valid region only)."""
    return tf.nn.conv2d(x, np.repeat(window[:, :, None, None], x.shape[-1], 2) / x.shape[-1], 1, "VALID").numpy()


def test_lcn_zero_local_mean_and_unit_local_variance_on_a_test_pattern():
    # a grating with a slow brightness ramp and a contrast that changes across the image
    yy, xx = np.mgrid[0:48, 0:48].astype(np.float32)
    contrast = 1.0 + 4.0 * xx / 47.0
    pattern = 100.0 + 2.0 * xx + contrast * np.sin(2 * np.pi * (xx + yy) / 4.0) * 10.0
    x = np.stack([pattern, 0.5 * pattern], -1)[None]
    layer = LocalContrastNormalization(kernel_size=9, sigma=2.0, threshold=0.0)
    y = layer(x)
    window = gaussian_window(9, 2.0)
    inner = slice(8, -8)  # away from the reflected border
    mean = _local(y, window)[:, inner, inner]
    var = _local(tf.square(y), window)[:, inner, inner] - mean**2
    assert np.abs(mean).max() < 0.05
    np.testing.assert_allclose(var, 1.0, atol=0.05)
    # the input was nothing like that
    assert np.abs(_local(x, window)).max() > 50


def test_lcn_mean_threshold_keeps_flat_regions_small_and_shapes():
    x = np.zeros((2, 20, 20, 3), np.float32)
    x[:, :, 10:] = np.random.default_rng(0).normal(0, 5, (2, 20, 10, 3))
    y = LocalContrastNormalization(kernel_size=5, sigma=1.0)(x).numpy()
    assert y.shape == x.shape and y.dtype == np.float32 and np.all(np.isfinite(y))
    assert np.abs(y[:, :, :3]).max() < 1e-3  # flat dark region stays flat


def test_lcn_in_a_model_and_config_round_trip():
    layer = LocalContrastNormalization(kernel_size=7, sigma=1.5, threshold=0.1)
    inputs = keras.Input((16, 16, 1))
    model = keras.Model(inputs, layer(inputs))
    x = np.random.default_rng(1).uniform(0, 255, (2, 16, 16, 1)).astype(np.float32)
    clone = LocalContrastNormalization.from_config(layer.get_config())
    np.testing.assert_allclose(model(x).numpy(), clone(x).numpy(), atol=1e-5)


def test_lcn_rejects_even_kernel():
    with pytest.raises(ValueError, match="kernel_size must be a positive odd number"):
        LocalContrastNormalization(kernel_size=4)
