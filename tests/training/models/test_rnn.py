import keras
import numpy as np
import pytest

from training.models import lstm, rnn
from training.models.recurrent import CELLS, CUDNN_SETTINGS, REPRESENTATIONS


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _numpy_lstm(x, kernel, recurrent, bias):
    """The slides' LSTM: gates i, f, o, candidate c~, c_t = f c_{t-1} + i c~, h_t = o tanh(c_t)."""
    units = recurrent.shape[0]
    h, c, hs = np.zeros(units), np.zeros(units), []
    for x_t in x:
        z = x_t @ kernel + h @ recurrent + bias
        i, f = _sigmoid(z[:units]), _sigmoid(z[units : 2 * units])
        c_tilde, o = np.tanh(z[2 * units : 3 * units]), _sigmoid(z[3 * units :])
        c = f * c + i * c_tilde
        h = o * np.tanh(c)
        hs.append(h)
    return np.array(hs)


def _numpy_simple_rnn(x, kernel, recurrent, bias):
    """h_t = tanh(b + U h_{t-1} + W x_t)."""
    h, hs = np.zeros(recurrent.shape[0]), []
    for x_t in x:
        h = np.tanh(bias + h @ recurrent + x_t @ kernel)
        hs.append(h)
    return np.array(hs)


def _randomize(layer, rng):
    layer.set_weights([rng.normal(0, 0.7, w.shape).astype("float32") for w in layer.get_weights()])


def _layer_output(model, layer_name, ids):
    return np.asarray(keras.Model(model.inputs, model.get_layer(layer_name).output)(ids))


IDS = np.array([[3, 7, 2, 9, 4]])


def test_rnn_lstm_matches_numpy_equations_and_forget_bias_starts_at_one():
    model = lstm(vocab_size=10, num_classes=2, units=2, embedding_dim=3, representation="mean")
    layer = model.get_layer("lstm_0")
    kernel, recurrent, bias = layer.get_weights()
    np.testing.assert_array_equal(bias[2:4], [1.0, 1.0])  # forget gate (order i, f, c, o)
    np.testing.assert_array_equal(bias[:2], 0.0)
    _randomize(layer, np.random.default_rng(0))
    kernel, recurrent, bias = layer.get_weights()
    x = model.get_layer("embedding").get_weights()[0][IDS[0]]
    np.testing.assert_allclose(_layer_output(model, "lstm_0", IDS)[0], _numpy_lstm(x, kernel, recurrent, bias), atol=1e-5)


def test_rnn_simple_rnn_matches_recurrence():
    model = rnn(vocab_size=10, num_classes=2, cell="simple", units=2, embedding_dim=3)
    layer = model.get_layer("simple_0")
    _randomize(layer, np.random.default_rng(1))
    x = model.get_layer("embedding").get_weights()[0][IDS[0]]
    expected = _numpy_simple_rnn(x, *layer.get_weights())[-1]
    np.testing.assert_allclose(_layer_output(model, "simple_0", IDS)[0], expected, atol=1e-5)


@pytest.mark.parametrize("representation", ["last", "mean"])
def test_rnn_bidirectional_is_concat_of_forward_and_reversed_backward(representation):
    model = rnn(vocab_size=10, num_classes=2, cell="simple", units=2, embedding_dim=3, bidirectional=True,
                representation=representation)
    layer = model.get_layer("bidirectional_0")
    _randomize(layer, np.random.default_rng(2))
    forward_w = layer.forward_layer.get_weights()
    backward_w = layer.backward_layer.get_weights()
    x = model.get_layer("embedding").get_weights()[0][IDS[0]]
    forward = _numpy_simple_rnn(x, *forward_w)
    backward = _numpy_simple_rnn(x[::-1], *backward_w)[::-1]  # position t sees tokens t..T
    out = _layer_output(model, "bidirectional_0", IDS)[0]
    if representation == "last":
        np.testing.assert_allclose(out, np.concatenate([forward[-1], backward[0]]), atol=1e-5)
    else:
        np.testing.assert_allclose(out, np.concatenate([forward, backward], axis=1), atol=1e-5)
    assert not np.allclose(forward_w[0], backward_w[0])  # two directions, two sets of weights


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_rnn_layers_stay_cudnn_eligible(cell):
    from keras.src.backend.tensorflow.rnn import (
        _do_gru_arguments_support_cudnn,
        _do_lstm_arguments_support_cudnn,
    )

    model = rnn(vocab_size=10, num_classes=2, cell=cell, units=2, layers=2, embedding_dim=2, bidirectional=True,
                dropout=0.2)
    found = 0
    for wrapper in (model.get_layer("bidirectional_0"), model.get_layer("bidirectional_1")):
        for layer in (wrapper.forward_layer, wrapper.backward_layer):
            config = layer.get_config()
            assert {k: config[k] for k in CUDNN_SETTINGS} == CUDNN_SETTINGS
            assert layer.use_cudnn in ("auto", True)
            cell_ = layer.cell
            args = dict(activation=cell_.activation, recurrent_activation=cell_.recurrent_activation,
                        unroll=layer.unroll, use_bias=cell_.use_bias)
            if cell == "lstm":
                assert config["unit_forget_bias"] is True
                assert _do_lstm_arguments_support_cudnn(**args)
            else:
                assert _do_gru_arguments_support_cudnn(**args, reset_after=cell_.reset_after)
            found += 1
    assert found == 4


def test_rnn_mask_is_right_padded_and_never_empty():
    from keras.src.backend.tensorflow.rnn import _has_fully_masked_sequence, _is_sequence_right_padded

    from training.models.sequence import RightPaddedMask

    mask = RightPaddedMask()(np.array([[4, 5, 0, 0], [0, 0, 0, 0], [3, 3, 3, 3]]))
    assert bool(_is_sequence_right_padded(mask))
    assert not bool(_has_fully_masked_sequence(mask))


@pytest.mark.parametrize(
    "cell,bidirectional,representation,layers",
    [("lstm", False, "last", 1), ("gru", True, "mean", 2), ("simple", True, "max", 1), ("lstm", True, "last", 2)],
)
def test_rnn_padding_never_changes_output(cell, bidirectional, representation, layers):
    model = rnn(vocab_size=10, num_classes=3, cell=cell, units=2, layers=layers, embedding_dim=2,
                bidirectional=bidirectional, representation=representation)
    short = model(np.array([[3, 7, 2]]))
    padded = model(np.array([[3, 7, 2, 0, 0, 0]]))
    np.testing.assert_allclose(np.asarray(padded), np.asarray(short), atol=1e-6)
    empty = np.asarray(model(np.zeros((2, 6), dtype="int64")))
    assert np.isfinite(empty).all()
    np.testing.assert_allclose(empty.sum(axis=1), 1.0, atol=1e-5)


def test_rnn_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"`cell` must be one of .*Received: cell='transformer'"):
        rnn(10, 2, cell="transformer")
    with pytest.raises(ValueError, match="`representation` must be one of"):
        rnn(10, 2, representation="first")
    with pytest.raises(ValueError, match=r"`layers` must be an int >= 1. Received: layers=0"):
        rnn(10, 2, layers=0)
    with pytest.raises(TypeError, match="lstm\\(\\) sets cell='lstm'"):
        lstm(10, 2, cell="gru")
    assert set(CELLS) == {"lstm", "gru", "simple"} and set(REPRESENTATIONS) == {"last", "mean", "max"}


@pytest.mark.slow
def test_rnn_lstm_trains_on_fortunes(fortunes_slice, loss_drops):
    data = fortunes_slice
    model = lstm(len(data["vocabulary"]), 2, units=4, embedding_dim=4, sequence_length=24)
    loss_drops(model, data["ids"], data["labels"], epochs=8, optimizer=keras.optimizers.Adam(0.03))


def test_rnn_with_preprocessor_takes_raw_text_and_round_trips(fortunes_slice, round_trip):
    from pipeline.text.preprocessor import TextPreprocessor

    data = fortunes_slice
    preprocessor = TextPreprocessor(data["config"], data["vocabulary"])
    model = rnn(len(data["vocabulary"]), 2, cell="lstm", units=2, embedding_dim=2, bidirectional=True,
                preprocessor=preprocessor)
    assert model.inputs[0].name == "text"
    texts = np.array(data["texts"][:3] + [""], dtype=object)
    via_text = np.asarray(model(texts))
    ids_model = keras.Model(model.get_layer("mask").input, model.output)
    np.testing.assert_allclose(via_text[:3], np.asarray(ids_model(data["ids"][:3])), atol=1e-6)
    assert np.isfinite(via_text).all()
    round_trip(model, texts)
