from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from pipeline.images import affine

KERNELS = ["projective", "xla"]


def _warp(images, matrix, kernel, **kwargs):
    fn = tf.function(lambda x, m: affine.warp(x, m, kernel=kernel, **kwargs), jit_compile=kernel == "xla")
    return fn(tf.constant(images), matrix).numpy()


@pytest.fixture(scope="module")
def square():
    return np.random.default_rng(1).integers(0, 256, (3, 9, 9, 2)).astype(np.float32)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("k", [1, 2, 3])
def test_affine_quarter_turns_match_numpy(square, kernel, k):
    m = affine.rotation(tf.fill([3], 90.0 * k), 9, 9)
    expected = np.rot90(square, k=k, axes=(1, 2))
    np.testing.assert_allclose(_warp(square, m, kernel), expected, atol=1e-3)


@pytest.mark.parametrize("kernel", KERNELS)
def test_affine_flips_match_numpy(square, kernel):
    on, off = tf.ones([3], bool), tf.zeros([3], bool)
    np.testing.assert_array_equal(_warp(square, affine.flip(on, off, 9, 9), kernel), square[:, :, ::-1])
    np.testing.assert_array_equal(_warp(square, affine.flip(off, on, 9, 9), kernel), square[:, ::-1])


@pytest.mark.parametrize("kernel", KERNELS)
def test_affine_identity_and_integer_shift_are_exact(square, kernel):
    np.testing.assert_array_equal(_warp(square, affine.identity(3), kernel), square)
    shifted = _warp(square, affine.translation(tf.fill([3], 2.0), tf.fill([3], 0.0)), kernel,
                    fill_mode="constant", fill_value=0.0)
    np.testing.assert_array_equal(shifted[:, :, 2:], square[:, :, :-2])
    assert np.all(shifted[:, :, :2] == 0)


@pytest.mark.parametrize("fill_mode", ["reflect", "constant", "nearest"])
def test_affine_xla_kernel_agrees_with_projective_op(fill_mode):
    images = np.random.default_rng(2).uniform(0, 255, (4, 16, 20, 3)).astype(np.float32)
    m = affine.compose(affine.rotation(tf.constant([13.0, -40.0, 7.0, 95.0]), 16, 20),
                       affine.zoom(tf.constant([1.1, 0.8, 1.0, 1.3]), tf.constant([1.1, 0.8, 1.0, 1.3]), 16, 20),
                       affine.translation(tf.constant([1.5, -3.2, 0.0, 4.0]), tf.constant([0.3, 2.0, -1.0, 0.0])),
                       affine.shear(tf.constant([5.0, 0.0, -8.0, 0.0]), tf.zeros([4]), 16, 20))
    a = _warp(images, m, "projective", fill_mode=fill_mode, fill_value=3.0)
    b = _warp(images, m, "xla", fill_mode=fill_mode, fill_value=3.0)
    # identical inside; TF's op folds the sampling point, ours each neighbour, so a few border pixels differ
    assert np.mean(np.abs(a - b) < 1e-2) > 0.97


@pytest.mark.parametrize("kernel", KERNELS)
def test_affine_wrap_shift_matches_numpy_roll(square, kernel):
    # the XLA kernel wraps every neighbour (periodic); TF's op folds only the point, so compare inside
    shifted = _warp(square, affine.translation(tf.fill([3], 3.0), tf.fill([3], -2.0)), kernel, fill_mode="wrap")
    expected = np.roll(square, (-2, 3), axis=(1, 2))
    if kernel == "xla":
        np.testing.assert_array_equal(shifted, expected)
    else:
        np.testing.assert_array_equal(shifted[:, 1:-3, 4:-1], expected[:, 1:-3, 4:-1])


def test_affine_compose_applies_ops_in_order():
    # a 90-degree turn then a shift right by 1: composed equals doing them one after another
    images = np.random.default_rng(3).uniform(0, 255, (1, 7, 7, 1)).astype(np.float32)
    turn = affine.rotation(tf.constant([90.0]), 7, 7)
    shift = affine.translation(tf.constant([1.0]), tf.constant([0.0]))
    kw = dict(fill_mode="constant")
    step = _warp(_warp(images, turn, "projective", **kw), shift, "projective", **kw)
    fused = _warp(images, affine.compose(turn, shift), "projective", **kw)
    np.testing.assert_allclose(fused, step, atol=1e-3)


def test_affine_rejects_unknown_fill_mode():
    with pytest.raises(ValueError, match="fill_mode must be one of"):
        affine.warp(tf.zeros([1, 2, 2, 1]), affine.identity(1), fill_mode="mirror")


@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_affine_compact_and_per_neighbour_gathers_agree(fill_mode, interpolation):
    # the XLA warp uses the compact gather for small images and the per-neighbour one for large
    # images; both must give the same pixels, far outside the image too (every fill mode)
    rng = np.random.default_rng(4)
    images = tf.constant(rng.integers(0, 256, (6, 12, 15, 3)).astype(np.uint8))
    m = affine.compose(affine.rotation(tf.constant(rng.uniform(-200, 200, 6), tf.float32), 12, 15),
                       affine.zoom(*[tf.constant(rng.uniform(0.4, 1.6, 6), tf.float32)] * 2, 12, 15),
                       affine.translation(tf.constant(rng.uniform(-30, 30, 6), tf.float32),
                                          tf.constant(rng.uniform(-25, 25, 6), tf.float32)))
    kw = dict(output_shape=(12, 15), fill_mode=fill_mode, fill_value=7.0, interpolation=interpolation)
    compact = tf.function(lambda x, m: affine._warp_compact(x, m, **kw), jit_compile=True)(images, m).numpy()
    neighbour = tf.function(lambda x, m: affine._warp_per_neighbour(x, m, **kw), jit_compile=True)(images, m).numpy()
    assert compact.shape == neighbour.shape == (6, 12, 15, 3)
    np.testing.assert_allclose(compact, neighbour, atol=5e-3)
    assert affine._warp_gather(images, m, (64, 64), fill_mode, 0.0, interpolation).shape == (6, 64, 64, 3)
    assert affine._warp_gather(images, m, (65, 64), fill_mode, 0.0, interpolation).shape == (6, 65, 64, 3)
