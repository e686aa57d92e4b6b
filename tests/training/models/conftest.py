"""Tiny real-data slices and shared checks for the model builder tests."""

from __future__ import annotations

import gzip
import json
import struct
from pathlib import Path

import numpy as np
import pytest

_CATEGORIES = ("computers", "love")


@pytest.fixture(scope="session")
def fortunes_slice(fortunes_dir):
    """64 short quotations from each of two categories, as padded ids.

    Returns a dict: ``texts``, ``tokens``, ``ids`` ``[128, 24]``, ``labels``
    ``[128]``, ``vocabulary`` (at most 200 words) and its ``config``.
    """
    from pipeline.corpus.fortunes import read_fortunes
    from pipeline.text.config import TextConfig
    from pipeline.text.tokenize import tokenize
    from vocab import Vocabulary

    config = TextConfig(max_length=24)
    records = read_fortunes(fortunes_dir)
    texts, labels = [], []
    for label, category in enumerate(_CATEGORIES):
        chosen = [r.text for r in records if r.label == category and len(r.text) < 200][:64]
        assert len(chosen) == 64, f"fortunes category {category} has too few short quotations"
        texts += chosen
        labels += [label] * len(chosen)
    tokens = tokenize(texts, config)
    vocabulary = Vocabulary.build(tokens, max_size=200)
    ids = np.zeros((len(texts), config.max_length), dtype=np.int64)
    for row, doc in enumerate(tokens):
        encoded = vocabulary.encode(doc)[: config.max_length]
        ids[row, : len(encoded)] = encoded
    return {
        "texts": texts, "tokens": tokens, "ids": ids, "labels": np.array(labels, dtype=np.int64),
        "vocabulary": vocabulary, "config": config,
    }


def _read_idx(path: Path, count: int) -> np.ndarray:
    """The first ``count`` items of a gzipped IDX file (big-endian dims, uint8 data)."""
    with gzip.open(path, "rb") as f:
        zero, dtype_code, ndim = struct.unpack(">HBB", f.read(4))
        assert zero == 0 and dtype_code == 0x08, f"{path}: not an unsigned-byte IDX file"
        dims = struct.unpack(f">{ndim}I", f.read(4 * ndim))
        shape = (count, *dims[1:])
        return np.frombuffer(f.read(int(np.prod(shape))), dtype=np.uint8).reshape(shape)


@pytest.fixture(scope="session")
def fashion_slice(fashion_dir):
    """The first 128 Fashion-MNIST training images ``[128, 28, 28, 1]`` (uint8 as float32) and labels."""
    images = _read_idx(fashion_dir / "train-images-idx3-ubyte.gz", 128)
    labels = _read_idx(fashion_dir / "train-labels-idx1-ubyte.gz", 128)
    return images[..., None].astype(np.float32), labels.astype(np.int64)


def _plain(config):
    """A config as JSON would give it back (tuples become lists)."""
    return json.loads(json.dumps(config, default=str))


@pytest.fixture
def round_trip(tmp_path):
    """Save ``model`` as .keras, reload with training.models.load_model, compare outputs and config."""

    def check(model, x):
        from training.models import load_model

        path = tmp_path / f"{model.name}.keras"
        model.save(path)
        loaded = load_model(path)
        np.testing.assert_allclose(
            np.asarray(loaded(x, training=False)), np.asarray(model(x, training=False)), rtol=1e-5, atol=1e-6
        )
        assert _plain(loaded.get_config()) == _plain(model.get_config())
        return loaded

    return check


def _loss(model, x, y) -> float:
    p = np.asarray(model(x, training=False), dtype=np.float64)
    return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0)).mean())


@pytest.fixture
def loss_drops():
    """Fit ``model`` on ``(x, y)`` and assert the cross-entropy fell below ``factor`` times its start."""

    def check(model, x, y, *, epochs=8, batch_size=32, factor=0.9, optimizer=None, metrics=None):
        import keras

        model.compile(optimizer=optimizer or keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                      metrics=metrics, jit_compile=False)
        before = _loss(model, x, y)
        history = model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=False)
        after = _loss(model, x, y)
        assert np.isfinite(after)
        assert after < factor * before, f"loss {before:.4f} -> {after:.4f}"
        return before, after, history

    return check


@pytest.fixture(autouse=True)
def _seed():
    import keras

    keras.utils.set_random_seed(0)
