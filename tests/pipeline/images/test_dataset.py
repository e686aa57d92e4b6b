from __future__ import annotations

import logging

import numpy as np
import pytest

from pipeline import augmentation, image_dataset

from .conftest import BROKEN


def _all(ds):
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in ds])
    return np.concatenate(xs), np.concatenate(ys)


def test_dataset_folder_reports_and_skips_broken_files(image_folder, caplog):
    with caplog.at_level(logging.WARNING, logger="pipeline.images.dataset"):
        data = image_dataset(image_folder, image_size=(8, 8), batch_size=3, channels=1, seed=0)
    assert data.class_names == ["cats", "dogs"]
    assert data.num_skipped == len(BROKEN) == 4
    assert {s.path.rsplit("/", 1)[1] for s in data.skipped} == set(BROKEN)
    for name in BROKEN:
        assert name in caplog.text
    images, labels = _all(data.train)
    assert images.shape == (7, 8, 8, 1) and images.dtype == np.uint8
    assert sorted(labels.tolist()) == [0, 0, 0, 0, 1, 1, 1]
    assert "4 file(s) skipped, 7 used" in data.report()


def test_dataset_split_is_deterministic_and_disjoint(image_folder):
    a = image_dataset(image_folder, (8, 8), batch_size=16, validation_split=0.3, seed=4, shuffle=False)
    b = image_dataset(image_folder, (8, 8), batch_size=16, validation_split=0.3, seed=4, shuffle=False)
    (ta, _), (va, _) = _all(a.train), _all(a.validation)
    (tb, _), (vb, _) = _all(b.train), _all(b.validation)
    np.testing.assert_array_equal(ta, tb)
    np.testing.assert_array_equal(va, vb)
    assert a.num_train + a.num_validation == 7 and a.num_validation >= 1
    train_rows = {r.tobytes() for r in ta}
    assert not any(r.tobytes() in train_rows for r in va)


def test_dataset_augments_training_batches_only(image_folder):
    aug = augmentation("standard", seed=0, kernel="projective")  # no XLA compile: this tests the wiring
    data = image_dataset(image_folder, (8, 8), batch_size=8, validation_split=0.3, seed=1, shuffle=False,
                         augment=aug)
    plain = image_dataset(image_folder, (8, 8), batch_size=8, validation_split=0.3, seed=1, shuffle=False)
    assert not np.array_equal(_all(data.train)[0], _all(plain.train)[0])
    np.testing.assert_array_equal(_all(data.validation)[0], _all(plain.validation)[0])


def test_dataset_missing_source_and_empty_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope: no such file or folder"):
        image_dataset(tmp_path / "nope")
    with pytest.raises(ValueError, match="no class sub-folders"):
        image_dataset(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.png").write_bytes(b"")
    with pytest.raises(ValueError, match=r"no usable images \(1 skipped\)"):
        image_dataset(tmp_path)


@pytest.mark.slow
def test_dataset_reads_fashion_mnist_idx(fashion_dir):
    data = image_dataset(fashion_dir / "t10k-images-idx3-ubyte.gz", image_size=(28, 28), batch_size=500,
                         channels=1, validation_split=0.1, seed=0)
    assert data.num_train == 9000 and data.num_validation == 1000 and data.num_skipped == 0
    images, labels = next(iter(data.train))
    assert images.shape == (500, 28, 28, 1) and images.dtype.name == "uint8"
    assert set(np.unique(labels.numpy())) <= set(range(10)) and len(np.unique(labels.numpy())) == 10
    rgb = image_dataset(fashion_dir / "t10k-images-idx3-ubyte.gz", image_size=(32, 32), batch_size=4, channels=3,
                        shuffle=False, cache=False)
    first = next(iter(rgb.train))[0].numpy()
    assert first.shape == (4, 32, 32, 3) and np.array_equal(first[..., 0], first[..., 2])
