"""Shared fixtures for training tests: tiny model kinds and small real-data runs, built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.model_kinds import register_model_kind


def tiny_cnn(input_shape, num_classes, filters: int = 4):
    """One 3x3 convolution, global average pooling, softmax: an image model that trains in seconds."""
    import keras

    images = keras.Input(shape=input_shape, name="pixels")
    x = keras.layers.Conv2D(filters, 3, activation="relu", name="conv")(images)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", dtype="float32", name="probabilities")(x)
    return keras.Model(images, outputs, name="tiny_cnn")


def tiny_lm(vocab_size, context_size, embedding_dim: int = 8):
    """Concatenated context embeddings -> softmax over the vocabulary (a minimal NNLM)."""
    import keras

    context = keras.Input(shape=(context_size,), dtype="int64", name="context_ids")
    x = keras.layers.Flatten()(keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")(context))
    outputs = keras.layers.Dense(vocab_size, activation="softmax", dtype="float32", name="probabilities")(x)
    return keras.Model(context, outputs, name="tiny_lm")


register_model_kind("tiny_cnn", tiny_cnn, "image")
register_model_kind("tiny_lm", tiny_lm, "text", "language_model")

QUIET = ["training.tensorboard=false"]


def text_overrides(fortunes_dir: Path, *extra: str) -> list[str]:
    return [
        f'data.path="{fortunes_dir}"', "data.max_per_class=6", "text.max_length=16",
        "model.embedding_dim=4", "training.epochs=1", "training.batch_size=32", *extra,
    ]


@pytest.fixture(scope="session")
def text_run(tmp_path_factory, fortunes_dir):
    """A finished 2-epoch text-classification run with reports (TensorBoard on)."""
    from training.config import load_config
    from training.train import train

    run_dir = tmp_path_factory.mktemp("text_run")
    config = load_config(None, text_overrides(fortunes_dir, "training.epochs=2", "training.class_weight='balanced'",
                                              "model.pooling='tfidf'", "training.lr_schedule='cosine'",
                                              "vocabulary.bigram_buckets=64"))
    metrics = train(config, run_dir, verbose=0)
    return run_dir, config, metrics


@pytest.fixture()
def text_run_copy(text_run, tmp_path):
    run_dir, config, _ = text_run
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    return copy, config
