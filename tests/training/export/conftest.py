"""Tiny run directories of every exportable kind, written the way `lexivision train` writes them, and their exports."""

from __future__ import annotations

import json
from pathlib import Path

TEXTS = ["the cat sat on the mat", "a dog ran in the park", "the stock market fell", "a bank raised rates"]
LABELS = ["pets", "money"]


def _vocabulary(path: Path, config):
    from pipeline.text.tokenize import tokenize
    from vocab import TokenCounts, Vocabulary

    specials = [t for t, on in (("<s>", config.start_token), ("</s>", config.end_token)) if on]
    vocabulary = Vocabulary.build(TokenCounts().update(tokenize(TEXTS, config)), specials=specials)
    vocabulary.save(path / "vocabulary.txt")
    return vocabulary


def write_text_run(path: Path, *, stop_words=("the", "a"), seed: int = 0) -> Path:
    import keras

    from pipeline.text.config import TextConfig
    from training.models import average_embedding

    keras.utils.set_random_seed(seed)
    path.mkdir(parents=True, exist_ok=True)
    config = TextConfig(max_length=8, stop_words=tuple(stop_words) if stop_words else None)
    vocabulary = _vocabulary(path, config)
    (path / "text_config.json").write_text(json.dumps(config.to_dict()))
    (path / "labels.txt").write_text("".join(f"{label}\n" for label in LABELS))
    model = average_embedding(len(vocabulary), len(LABELS), sequence_length=8, embedding_dim=4, hidden_units=[3])
    model.save(path / "model.keras")
    return path


def write_image_run(path: Path, *, shape=(8, 6, 1), seed: int = 0) -> Path:
    import keras

    keras.utils.set_random_seed(seed)
    path.mkdir(parents=True, exist_ok=True)
    inputs = keras.Input(shape=shape, name="pixels")
    x = keras.layers.Conv2D(2, 3, activation="relu")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(3, activation="softmax", name="probabilities")(x)
    keras.Model(inputs, outputs).save(path / "model.keras")
    (path / "labels.txt").write_text("shirt\nshoe\nbag\n")
    (path / "image_config.json").write_text(json.dumps({"height": shape[0], "width": shape[1], "channels": shape[2]}))
    return path


def write_lm_run(path: Path, *, context_size: int = 3, top_k: int = 4, seed: int = 0, build=None) -> Path:
    """A language-model run; ``build(vocab_size)`` gives the model (default: embedding -> softmax)."""
    import keras

    from pipeline.text.config import TextConfig

    keras.utils.set_random_seed(seed)
    path.mkdir(parents=True, exist_ok=True)
    config = TextConfig(max_length=16, start_token=True, end_token=True)
    vocabulary = _vocabulary(path, config)
    (path / "text_config.json").write_text(json.dumps(config.to_dict()))
    (path / "lm_config.json").write_text(json.dumps({"context_size": context_size, "top_k": top_k}))
    if build is not None:
        build(len(vocabulary)).save(path / "model.keras")
        return path
    ids = keras.Input(shape=(context_size,), dtype="int64", name="context_ids")
    x = keras.layers.Embedding(len(vocabulary), 4)(ids)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(len(vocabulary), activation="softmax", name="next_word")(x)
    keras.Model(ids, outputs).save(path / "model.keras")
    return path


# Fixtures: one run and one verified export per kind, built once per session --------------

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def text_run(tmp_path_factory) -> Path:
    return write_text_run(tmp_path_factory.mktemp("runs") / "text")


@pytest.fixture(scope="session")
def image_run(tmp_path_factory) -> Path:
    return write_image_run(tmp_path_factory.mktemp("runs") / "image")


@pytest.fixture(scope="session")
def lm_run(tmp_path_factory) -> Path:
    return write_lm_run(tmp_path_factory.mktemp("runs") / "lm")


@pytest.fixture(scope="session")
def export_base(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("exports")


@pytest.fixture(scope="session")
def text_export(text_run, export_base) -> Path:
    from training.export import export_saved_model

    return export_saved_model(text_run, export_base / "text", samples=["the the a", "cat sat"])


@pytest.fixture(scope="session")
def image_export(image_run, export_base) -> Path:
    from training.export import export_saved_model

    return export_saved_model(image_run, export_base / "image")


@pytest.fixture(scope="session")
def lm_export(lm_run, export_base) -> Path:
    from training.export import export_saved_model

    return export_saved_model(lm_run, export_base / "lm")


@pytest.fixture(scope="session")
def load_signature():
    """Load an export's signature once per (export, name)."""
    import tensorflow as tf
    import tensorflow_text  # noqa: F401

    cache = {}

    def load(export_dir: Path, name: str = "serving_default"):
        if export_dir not in cache:
            cache[export_dir] = tf.saved_model.load(str(export_dir))
        return cache[export_dir].signatures[name]

    return load
