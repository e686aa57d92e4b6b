from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from pipeline import augmentation
from pipeline.images.augment import POLICIES, Augmentation
from pipeline.images.ops import (
    Brightness, Contrast, Crop, CutMix, Flip, MixUp, RandAugment, RandomErasing, Rotate, Shear, Translate, Zoom,
)

EVERY_OP = [Flip(), Flip(vertical=True), Rotate(30), Zoom(0.2), Translate(0.2), Shear(15), Crop(12, 10),
            Brightness(0.3), Contrast(0.3), RandAugment(3, 0.9), RandomErasing(1.0)]


def _batch(dtype="uint8", channels=3, n=6, size=16, seed=0):
    x = np.random.default_rng(seed).integers(0, 256, (n, size, size, channels))
    return x.astype(dtype)


@pytest.mark.parametrize("op", EVERY_OP, ids=lambda op: op.name)
@pytest.mark.parametrize("dtype,channels", [("uint8", 3), ("float32", 1)])
def test_augment_every_op_keeps_dtype_range_and_shape(op, dtype, channels):
    images = _batch(dtype, channels)
    out = augmentation([op], seed=0, kernel="projective").augment(images, seed=[1, 2]).numpy()
    size = (12, 10) if isinstance(op, Crop) else (16, 16)
    assert out.shape == (6, *size, channels) and out.dtype == np.dtype(dtype)
    assert out.min() >= 0 and out.max() <= 255
    if not isinstance(op, (Crop,)):
        assert not np.array_equal(out, images)  # the op did something


@pytest.mark.parametrize("op", [MixUp(0.4), CutMix(1.0)], ids=lambda op: op.name)
def test_augment_batch_ops_mix_images_and_labels(op):
    images = _batch("float32", 3)
    labels = np.arange(6) % 3
    aug = augmentation([Flip(), op], seed=0, num_classes=3, kernel="projective")
    out, mixed = aug.augment(images, labels, seed=[3, 4])
    assert out.shape == images.shape and out.dtype == tf.float32
    assert mixed.shape == (6, 3) and np.allclose(mixed.numpy().sum(axis=1), 1.0, atol=1e-5)
    assert np.any(mixed.numpy().max(axis=1) < 1.0)  # some labels are mixtures
    with pytest.raises(ValueError, match="num_classes=N"):
        augmentation([op], seed=0, kernel="projective").augment(images, labels, seed=[0, 0])
    with pytest.raises(ValueError, match=r"pass \(images, labels\)"):
        aug.augment(images, seed=[0, 0])


IDENTITY = [Flip(probability=0.0), Rotate((0, 0)), Zoom((0, 0)), Translate((0, 0)), Shear((0, 0)), Crop(16, 16),
            Brightness((0, 0)), Contrast((0, 0)), RandAugment(2, 0.0), RandomErasing(0.0)]


@pytest.mark.parametrize("kernel", ["xla", "projective"])
@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_augment_identity_parameters_leave_images_unchanged(kernel, dtype):
    images = _batch(dtype, 3)
    if dtype == "float32":
        images = images * np.float32(0.99) + np.float32(0.25)  # off the integer grid, inside [0, 255]
    out = augmentation(IDENTITY, seed=5, kernel=kernel).augment(images, seed=[9, 9]).numpy()
    if dtype == "uint8":
        np.testing.assert_array_equal(out, images)
    else:
        np.testing.assert_allclose(out, images, atol=1e-3)


@pytest.mark.parametrize("kernel", ["xla", "projective"])
def test_augment_certain_flips_and_quarter_turns_match_numpy(kernel):
    images = _batch("uint8", 3)
    flip = augmentation([Flip(horizontal=True, vertical=True, probability=1.0)], kernel=kernel)
    np.testing.assert_array_equal(flip.augment(images, seed=[0, 0]).numpy(), images[:, ::-1, ::-1])
    turn = augmentation([Rotate((90, 90))], kernel=kernel)
    np.testing.assert_array_equal(turn.augment(images, seed=[0, 0]).numpy(), np.rot90(images, 1, axes=(1, 2)))


def test_augment_seeded_determinism_and_per_image_randomness():
    images = np.repeat(_batch("uint8", 3, n=1), 8, axis=0)
    aug = augmentation("standard", seed=0)
    a = aug.augment(images, seed=[1, 2]).numpy()
    np.testing.assert_array_equal(a, augmentation("standard", seed=0).augment(images, seed=[1, 2]).numpy())
    assert not np.array_equal(a, aug.augment(images, seed=[1, 3]).numpy())
    # the same image eight times in one batch: eight different results
    assert len({row.tobytes() for row in a}) == 8


def _run(ds):
    return [tuple(np.asarray(t) for t in e) if isinstance(e, tuple) else np.asarray(e) for e in ds]


def test_augment_map_dataset_is_reproducible_and_changes_each_epoch():
    images = _batch("uint8", 1, n=10)
    ds = tf.data.Dataset.from_tensor_slices((images, np.arange(10))).batch(4)
    first = augmentation("standard", seed=3).map_dataset(ds)
    epoch1, epoch2 = _run(first), _run(first)
    again = _run(augmentation("standard", seed=3).map_dataset(ds))
    for a, b in zip(epoch1, again):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    assert not all(np.array_equal(a[0], b[0]) for a, b in zip(epoch1, epoch2))
    assert [a[0].shape for a in epoch1] == [(4, 16, 16, 1), (4, 16, 16, 1), (2, 16, 16, 1)]


def test_augment_as_layer_in_a_model_and_config_round_trip():
    aug = augmentation([Flip(), Rotate(10), Crop(12, 12), Brightness(0.1)], seed=1, kernel="projective")
    inputs = keras.Input((16, 16, 3), dtype="uint8")
    model = keras.Model(inputs, aug(inputs))
    images = _batch("uint8", 3)
    train = model(images, training=True).numpy()
    assert train.shape == (6, 12, 12, 3) and train.dtype == np.uint8
    np.testing.assert_array_equal(model(images, training=False).numpy(), images[:, 2:14, 2:14])
    clone = Augmentation.from_config(aug.get_config())
    assert clone.ops == aug.ops and clone.seed == aug.seed


def test_augment_policies_and_bad_names():
    assert set(POLICIES) == {"none", "light", "standard", "strong"}
    images = _batch("uint8", 3)
    np.testing.assert_array_equal(augmentation("none").augment(images, seed=[0, 0]).numpy(), images)
    assert augmentation("strong", seed=0).augment(images, seed=[0, 1]).shape == images.shape
    with pytest.raises(ValueError, match="unknown augmentation policy 'heavy'"):
        augmentation("heavy")
    with pytest.raises(ValueError, match="unknown augmentation op 'blur'"):
        augmentation(["blur"])
    with pytest.raises(ValueError, match="must come last"):
        augmentation([MixUp(), Flip()])
    with pytest.raises(ValueError, match="degrees must have low <= high"):
        Rotate((10, -10))


def test_augment_xla_and_projective_kernels_agree():
    images = _batch("uint8", 3, n=8, size=32)
    a = augmentation("standard", seed=0, kernel="xla").augment(images, seed=[4, 4]).numpy().astype(int)
    b = augmentation("standard", seed=0, kernel="projective").augment(images, seed=[4, 4]).numpy().astype(int)
    assert np.mean(np.abs(a - b) <= 1) > 0.97


def test_augment_random_numbers_are_the_same_inside_xla():
    # drawn by hand from Philox bits: equal to TensorFlow's stateless ops on a CPU, and unchanged
    # inside an XLA-compiled function (whose own float conversion and seed splitting differ)
    from pipeline.images.ops import _unit, split_seed

    for seed in ([3, 4], [-8166752306318964373, 6335611874240545088]):
        seed = tf.constant(seed, tf.int64)
        expected = tf.random.stateless_uniform([5, 7], seed).numpy()
        np.testing.assert_array_equal(_unit([5, 7], seed).numpy(), expected)
        np.testing.assert_array_equal(tf.function(_unit, jit_compile=True)([5, 7], seed).numpy(), expected)
        split = tf.random.experimental.stateless_split(seed, 3).numpy()
        np.testing.assert_array_equal(split_seed(seed, 3).numpy(), split)
        np.testing.assert_array_equal(tf.function(split_seed, jit_compile=True)(seed, 3).numpy(), split)


def _one_by_one(aug, images, seed):
    """The per-image ops of ``aug`` run unfused: TensorFlow's warp for each run of geometric ops
    (their matrices composed), then every other op applied on its own, from the same numbers."""
    from pipeline.images import affine
    from pipeline.images.ops import draw

    x, matrix = tf.cast(images, tf.float32), None
    size = images.shape[1:3]
    for op, u in zip(aug.ops, draw(aug.ops, images.shape[0], seed)):
        if op.kind in ("geometric", "mixed"):
            m = op.matrix(u, *size)
            matrix = m if matrix is None else affine.compose(matrix, m)
            if op.kind == "geometric":
                continue
        if matrix is not None:
            x, matrix = affine.warp(x, matrix, fill_mode=aug.fill_mode, kernel="projective"), None
        x = op.apply(x, u, 0.0, 255.0)
    if matrix is not None:
        x = affine.warp(x, matrix, fill_mode=aug.fill_mode, kernel="projective")
    return np.round(np.clip(x.numpy(), 0, 255)).astype(int)


@pytest.mark.parametrize("policy", ["light", "standard", "strong",
                                    [Brightness(0.3), Contrast(0.3), Flip(), Contrast(0.2), Brightness(0.1)]],
                         ids=["light", "standard", "strong", "levels-geometric-levels"])
def test_augment_fused_path_equals_the_ops_one_by_one(policy):
    # the XLA path compiles the drawing, the matrices, one resampling pass and the brightness and
    # contrast ops (folded into one x * scale + offset per image) into a single function
    images = _batch("uint8", 3, n=8, size=24)
    seed = tf.constant([4, 2], tf.int64)
    aug = augmentation(policy, seed=0, kernel="xla")
    fused = aug.augment(images, seed=seed).numpy().astype(int)
    expected = _one_by_one(aug, images, seed)
    assert np.abs(fused - expected).max() <= 1 and np.mean(fused == expected) > 0.99
