"""Read IDX files (the MNIST / Fashion-MNIST format), gzipped or not.

>>> import gzip, tempfile, pathlib, numpy as np
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny-images-idx3-ubyte.gz"
>>> _ = path.write_bytes(gzip.compress(bytes([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4])))
>>> read_idx(path).tolist()
[[[1, 2], [3, 4]]]
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

__all__ = ["FASHION_MNIST_CLASSES", "read_idx", "labels_path_for"]

FASHION_MNIST_CLASSES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]

# IDX type code -> big-endian numpy dtype
_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:
            raise ValueError(f"{path}: corrupt gzip data ({err}); re-download the file") from None
    return data


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """The array stored in an IDX file (``.gz`` or plain), in native byte order."""
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _DTYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic number {data[:4].hex() or 'empty'}); "
                         "expected e.g. train-images-idx3-ubyte[.gz]")
    dtype = np.dtype(_DTYPES[data[2]])
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{path}: truncated IDX header ({len(data)} bytes for {ndim} dimensions)")
    shape = tuple(int(d) for d in np.frombuffer(data, ">u4", count=ndim, offset=4))
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        raise ValueError(f"{path}: IDX size mismatch: header says {shape} ({expected} bytes), "
                         f"file has {len(data)} bytes; the file is truncated or corrupt")
    array = np.frombuffer(data, dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def labels_path_for(images_path: str | os.PathLike) -> Path:
    """``train-images-idx3-ubyte.gz`` -> ``train-labels-idx1-ubyte.gz`` beside it."""
    path = Path(images_path)
    if "images-idx3" not in path.name:
        raise ValueError(f"{path}: cannot derive the labels file from this name; "
                         "pass labels=PATH (e.g. train-labels-idx1-ubyte.gz)")
    return path.with_name(path.name.replace("images-idx3", "labels-idx1"))
