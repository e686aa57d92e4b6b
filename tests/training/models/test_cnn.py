import keras
import numpy as np
import pytest

from training.models import cnn


@pytest.mark.parametrize(
    "padding,pool,expected",
    [("same", "max", (7, 7)), ("valid", "max", (5, 5)), ("same", "stride", (7, 7)), ("valid", "stride", (6, 6))],
)
def test_cnn_padding_and_downsampling_set_feature_map_size(padding, pool, expected):
    model = cnn((28, 28, 1), 10, filters=(2, 3), padding=padding, pool=pool, dense_units=())
    flat = model.get_layer("flatten").input.shape
    assert tuple(flat[1:3]) == expected and flat[3] == 3
    assert model.output_shape == (None, 10)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds.count("MaxPooling2D") == (2 if pool == "max" else 0)
    assert [layer.strides for layer in model.layers if type(layer).__name__ == "Conv2D"] == [(2, 2) if pool == "stride" else (1, 1)] * 2


def test_cnn_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"`padding` must be one of \('same', 'valid'\). Received: padding='full'"):
        cnn((28, 28, 1), 10, padding="full")
    with pytest.raises(ValueError, match=r"`pool` must be one of .*Received: pool='avg'"):
        cnn((28, 28, 1), 10, pool="avg")
    with pytest.raises(ValueError, match=r"input_shape=\(8, 8, 1\) is too small for 3 blocks"):
        cnn((8, 8, 1), 10, filters=(2, 2, 2), padding="valid")
    with pytest.raises(ValueError, match=r"`input_shape` must be \(height, width, channels\)"):
        cnn((28, 28), 10)


def test_cnn_preprocessing_is_part_of_the_graph_and_round_trips(fashion_slice, round_trip):
    images, _ = fashion_slice
    model = cnn((28, 28, 1), 10, filters=(2,), dense_units=(4,), dropout=0.1,
                preprocessing=keras.layers.Rescaling(1 / 255, name="rescale"))
    plain = cnn((28, 28, 1), 10, filters=(2,), dense_units=(4,), dropout=0.1)
    plain.set_weights(model.get_weights())
    np.testing.assert_allclose(np.asarray(model(images[:4])), np.asarray(plain(images[:4] / 255)), atol=1e-6)
    loaded = round_trip(model, images[:4])
    assert loaded.get_layer("rescale").scale == pytest.approx(1 / 255)


@pytest.mark.slow
def test_cnn_trains_on_fashion_mnist(fashion_slice, loss_drops):
    images, labels = fashion_slice
    model = cnn((28, 28, 1), 10, filters=(4, 8), dense_units=(16,),
                preprocessing=keras.layers.Rescaling(1 / 255))
    loss_drops(model, images, labels, epochs=6, factor=0.7)
