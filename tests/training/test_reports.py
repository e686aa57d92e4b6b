from __future__ import annotations

import numpy as np

from tests.training.test_train import _assert_png
from training import reports


def test_reports_nearest_neighbours_by_cosine():
    vectors = np.array([[1.0, 0.0], [10.0, 1.0], [0.0, 1.0], [-1.0, 0.0]])
    near = reports.nearest_neighbours(vectors, ["a", "b", "c", "d"], [0, 2], k=2)
    assert [w for w, _ in near["a"]] == ["b", "c"]  # scale does not matter, the opposite vector comes last
    assert [w for w, _ in near["c"]] == ["b", "a"]


def test_reports_plots_are_valid_pngs(tmp_path):
    history = tmp_path / "history.csv"
    history.write_text("epoch,accuracy,loss,val_accuracy,val_loss\n0,0.5,1.0,0.4,1.1\n1,0.6,0.8,0.5,0.9\n")
    _assert_png(reports.plot_learning_curves(history, tmp_path / "curves.png"))
    y = np.array([0, 1, 2, 2])
    _assert_png(reports.plot_confusion_matrix(y, np.array([0, 2, 2, 1]), ["x", "y", "z"], tmp_path / "cm.png"))
    images = np.random.default_rng(0).integers(0, 255, (4, 8, 8, 1), dtype=np.uint8)
    _assert_png(reports.plot_misclassified(images, y, np.array([0, 2, 2, 1]), ["x", "y", "z"], tmp_path / "wrong.png"))
    words = [f"w{i}" for i in range(20)]
    _assert_png(reports.plot_embedding_map(np.random.default_rng(0).normal(size=(20, 5)), words, tmp_path / "map.png"))


def test_reports_conv_filters_of_first_conv_layer(tmp_path):
    import keras

    model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(6, 3), keras.layers.Conv2D(4, 3)])
    _assert_png(reports.plot_conv_filters(model, tmp_path / "filters.png"))
    dense = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    assert reports.plot_conv_filters(dense, tmp_path / "none.png") is None
