import keras
import pytest

from training.models.inputs import image_inputs, text_inputs


def test_inputs_names_and_dtypes():
    ids, same = text_inputs(sequence_length=7)
    assert ids is same and ids.dtype == "int64" and tuple(ids.shape) == (None, 7)
    image, x = image_inputs((32, 32, 3))
    assert image is x and image.name == "image"


def test_inputs_reject_bad_front_layers_and_shapes():
    with pytest.raises(TypeError, match="`preprocessor` must be a Keras layer .*Received: dict"):
        text_inputs({"max_length": 4})
    with pytest.raises(TypeError, match="`preprocessing` must be a Keras layer .*Received: function"):
        image_inputs((28, 28, 1), lambda x: x)
    with pytest.raises(ValueError, match=r"`input_shape` must be \(height, width, channels\) .*Received: input_shape=\(28, 0, 1\)"):
        image_inputs((28, 0, 1), keras.layers.Rescaling(1.0))
