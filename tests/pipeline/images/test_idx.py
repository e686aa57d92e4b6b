from __future__ import annotations

import gzip

import numpy as np
import pytest

from pipeline.images.idx import FASHION_MNIST_CLASSES, labels_path_for, read_idx


def _idx(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.mark.parametrize("gz", [False, True])
def test_idx_reads_plain_and_gzip(tmp_path, gz):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    data = _idx(array)
    path = tmp_path / ("x-images-idx3-ubyte" + (".gz" if gz else ""))
    path.write_bytes(gzip.compress(data) if gz else data)
    np.testing.assert_array_equal(read_idx(path), array)


def test_idx_truncated_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "bad-images-idx3-ubyte"
    path.write_bytes(_idx(np.zeros((2, 3, 4), np.uint8))[:-5])
    with pytest.raises(ValueError, match=r"bad-images-idx3-ubyte: IDX size mismatch.*truncated"):
        read_idx(path)


def test_idx_not_idx_is_an_error(tmp_path):
    path = tmp_path / "notes.gz"
    path.write_bytes(gzip.compress(b"hello world"))
    with pytest.raises(ValueError, match=r"notes.gz: not an IDX file"):
        read_idx(path)


def test_idx_labels_path_for_and_bad_name():
    assert labels_path_for("/d/train-images-idx3-ubyte.gz").name == "train-labels-idx1-ubyte.gz"
    with pytest.raises(ValueError, match="pass labels=PATH"):
        labels_path_for("/d/pictures.gz")


@pytest.mark.slow
def test_idx_reads_fashion_mnist(fashion_dir):
    images = read_idx(fashion_dir / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(fashion_dir / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and set(np.unique(labels)) == set(range(len(FASHION_MNIST_CLASSES)))
    assert 50 < images.mean() < 100  # mostly dark background, bright garments
