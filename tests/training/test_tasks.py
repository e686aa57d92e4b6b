"""Image classification and language modelling end to end on small real slices."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from tests.training.conftest import QUIET
from tests.training.test_train import _assert_png
from training.config import load_config
from training.train import train


@pytest.mark.slow
def test_tasks_image_run_on_fashion_mnist_slice(tmp_path, fashion_dir):
    config = load_config(None, [
        "data.source='fashion_mnist'", f"data.path='{fashion_dir}'", "data.max_per_class=20",
        "model.kind='tiny_cnn'", "training.epochs=2", "training.batch_size=32", "image.augment='flip_shift'",
        "training.learning_rate=0.01", *QUIET,
    ])
    metrics = train(config, tmp_path, verbose=0)
    assert json.loads((tmp_path / "image_config.json").read_text()) == {"height": 28, "width": 28, "channels": 1}
    assert (tmp_path / "labels.txt").read_text().splitlines()[9] == "Ankle boot"
    assert metrics["num_test"] == 200 and metrics["num_classes"] == 10
    for name in ("learning_curves.png", "confusion_matrix.png", "misclassified.png", "conv_filters.png"):
        _assert_png(tmp_path / name)
    from training.models import load_model

    model = load_model(tmp_path / "model.keras")
    assert model.inputs[0].shape[1:] == (28, 28, 1) and model.inputs[0].dtype == "float32"


@pytest.mark.slow
def test_tasks_language_model_on_fortunes_slice(tmp_path, fortunes_dir):
    config = load_config(None, [
        f"data.path='{fortunes_dir}'", "language_model.max_documents=300", "language_model.context_size=3",
        "model.kind='tiny_lm'", "training.epochs=2", "training.batch_size=128", "vocabulary.min_freq=2",
        "training.learning_rate=0.01", *QUIET,
    ])
    metrics = train(config, tmp_path, verbose=0)
    assert json.loads((tmp_path / "lm_config.json").read_text()) == {"context_size": 3}
    vocabulary = (tmp_path / "vocabulary.txt").read_text().splitlines()
    assert vocabulary[0] == "</s>"  # the one special; mask and OOV ids are implicit
    assert metrics["test_perplexity"] == pytest.approx(math.exp(metrics["test_loss"]))
    assert 1 < metrics["test_perplexity"] < len(vocabulary)  # better than uniform
    assert not (tmp_path / "labels.txt").exists()
    _assert_png(tmp_path / "embedding_map.png")


def test_tasks_context_windows_cover_every_token_and_the_end():
    from training.tasks.language_model import context_windows

    x, y = context_windows([np.array([7, 8, 9]), np.array([], np.int64)], context_size=2, start_id=2, end_id=3)
    assert x.tolist() == [[2, 2], [2, 7], [7, 8], [8, 9], [2, 2]]
    assert y.tolist() == [7, 8, 9, 3, 3]


def test_tasks_next_word_probabilities_pick_the_targets():
    import keras

    from training.tasks.language_model import next_word_probabilities

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
    kernel = np.zeros((2, 3), "float32")
    kernel[0, 2] = 1.0  # the score of word 2 grows with the first context id
    model.layers[0].set_weights([kernel, np.zeros(3, "float32")])
    contexts = np.array([[0, 0], [4, 0], [4, 1]], "float32")
    picked, hits = next_word_probabilities(model, [(contexts[:2], np.array([0, 2])), (contexts[2:], np.array([1]))])
    expected_top = np.exp(4) / (np.exp(4) + 2)
    np.testing.assert_allclose(picked, [1 / 3, expected_top, 1 / (np.exp(4) + 2)], rtol=1e-5)
    assert hits.tolist() == [True, True, False]  # a uniform row's top word is id 0
    empty = next_word_probabilities(model, [])
    assert empty[0].shape == (0,) and empty[1].shape == (0,)


def test_tasks_flip_shift_keeps_shape_and_range():
    import tensorflow as tf

    from training.tasks.image_classification import augment_fn

    images = tf.constant(np.arange(2 * 5 * 5, dtype=np.uint8).reshape(2, 5, 5, 1) * 5)
    out, labels = augment_fn("flip_shift", 0)(images, tf.constant([0, 1]))
    assert out.shape == (2, 5, 5, 1) and out.dtype == tf.float32
    assert float(tf.reduce_max(out)) <= 1.0 and float(tf.reduce_min(out)) >= 0.0
    plain, _ = augment_fn("none", 0)(images, labels)
    assert np.allclose(plain.numpy() * 255, images.numpy())


@pytest.mark.slow
def test_tasks_nnlm_context_vectors_come_from_the_training_split(tmp_path, fortunes_dir):
    from training.models import load_model
    from training.models.neural_lm import frequent_contexts
    from training.tasks.language_model import PAD_ID, END, context_windows, lm_sequences

    config = load_config(None, [
        f"data.path='{fortunes_dir}'", "language_model.max_documents=300", "language_model.context_size=3",
        "model.kind='nnlm'", "model.embedding_dim=8", "model.hidden_units=8", "model.tie_embeddings=true",
        "model.context_min_count=2", "model.context_dropout=0.2", "training.epochs=1", "training.batch_size=128",
        "vocabulary.min_freq=2", *QUIET,
    ])
    metrics = train(config, tmp_path, verbose=0)
    vocabulary, sequences, _ = lm_sequences(config)
    contexts, _ = context_windows(sequences["train"], 3, PAD_ID, vocabulary.token_id(END))
    layer = load_model(tmp_path / "model.keras").get_layer("context_vectors")
    np.testing.assert_array_equal(np.asarray(layer.keys), frequent_contexts(contexts, (2, 3), 2))
    assert 1 < metrics["test_perplexity"] < len(vocabulary)
