import numpy as np
import pytest

from training.models import average_embedding, idf_weights, load_word_vectors


def _layer_output(model, layer, x):
    import keras

    return np.asarray(keras.Model(model.inputs, model.get_layer(layer).output)(x))


@pytest.mark.parametrize("pooling", ["mean", "sum", "tfidf", "max"])
def test_average_embedding_padding_never_changes_output(pooling):
    idf = np.linspace(0.0, 2.0, 10).tolist() if pooling == "tfidf" else None
    model = average_embedding(10, 3, embedding_dim=2, pooling=pooling, idf=idf, hidden_units=(2,))
    short = np.asarray(model(np.array([[4, 5, 6]])))
    padded = np.asarray(model(np.array([[4, 5, 6, 0, 0, 0, 0]])))
    np.testing.assert_allclose(padded, short, atol=1e-6)
    empty = np.asarray(model(np.zeros((2, 7), dtype="int64")))  # an empty text, or only stop words
    assert np.isfinite(empty).all()
    np.testing.assert_allclose(empty.sum(axis=1), 1.0, atol=1e-5)


def test_average_embedding_all_padding_has_finite_gradients():
    import keras
    import tensorflow as tf

    model = average_embedding(10, 2, embedding_dim=2, pooling="max")
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(np.array([0, 1]), model(np.array([[0, 0], [3, 0]])))
    for gradient in tape.gradient(loss, model.trainable_variables):
        assert np.isfinite(np.asarray(tf.convert_to_tensor(gradient))).all()


def test_average_embedding_mean_is_the_average_of_word_vectors():
    model = average_embedding(10, 2, embedding_dim=2, pooling="mean")
    vectors = model.get_layer("embedding").get_weights()[0]
    pooled = _layer_output(model, "pooling", np.array([[2, 7, 7, 0]]))
    np.testing.assert_allclose(pooled[0], vectors[[2, 7, 7]].mean(axis=0), atol=1e-6)


def test_average_embedding_tfidf_weights_by_idf(fortunes_slice):
    vocabulary = fortunes_slice["vocabulary"]
    idf = idf_weights(vocabulary)
    model = average_embedding(len(vocabulary), 2, embedding_dim=2, pooling="tfidf", idf=idf)
    vectors = model.get_layer("embedding").get_weights()[0]
    ids = np.array([[2, 2, 40, 0]])
    weights = np.array([idf[2], idf[2], idf[40]])
    expected = (vectors[[2, 2, 40]] * weights[:, None]).sum(axis=0) / weights.sum()
    np.testing.assert_allclose(_layer_output(model, "pooling", ids)[0], expected, atol=1e-6)
    assert idf[40] > idf[2]  # a rarer word weighs more
    with pytest.raises(ValueError, match=r"`idf` must have one weight per id \(10\). Received: 3 weights"):
        average_embedding(10, 2, pooling="tfidf", idf=[1.0, 1.0, 1.0])


def test_average_embedding_starts_from_pretrained_vectors(tmp_path):
    from vocab import Vocabulary

    path = tmp_path / "glove.txt"
    path.write_text("the 1 2\ncat 3 4\n", encoding="utf-8")
    vocabulary = Vocabulary(["the", "cat", "dog"])
    matrix, report = load_word_vectors(path, vocabulary)
    model = average_embedding(len(vocabulary), 2, embedding_dim=2, embedding_weights=matrix, trainable_embeddings=False)
    np.testing.assert_array_equal(model.get_layer("embedding").get_weights()[0], matrix)
    assert model.get_layer("embedding").trainable is False and report.found == 2
    with pytest.raises(ValueError, match=r"`embedding_weights` must have shape \(vocab_size, embedding_dim\) = \(5, 3\)"):
        average_embedding(len(vocabulary), 2, embedding_dim=3, embedding_weights=matrix)


def test_average_embedding_keeps_the_train_py_call_and_rejects_bad_pooling():
    model = average_embedding(12, 3, sequence_length=6, embedding_dim=4, pooling="mean", hidden_units=[4], dropout=0.1)
    assert model.input_shape == (None, 6) and model.output_shape == (None, 3)
    with pytest.raises(ValueError, match=r"`pooling` must be one of .*Received: pooling='median'"):
        average_embedding(10, 2, pooling="median")


@pytest.mark.slow
def test_average_embedding_trains_on_fortunes(fortunes_slice, loss_drops):
    data = fortunes_slice
    model = average_embedding(len(data["vocabulary"]), 2, sequence_length=24, embedding_dim=4, pooling="tfidf",
                              idf=idf_weights(data["vocabulary"]))
    loss_drops(model, data["ids"], data["labels"], epochs=10)


def test_average_embedding_with_preprocessor_takes_raw_text_and_round_trips(fortunes_slice, round_trip):
    from pipeline.text.preprocessor import TextPreprocessor

    data = fortunes_slice
    model = average_embedding(len(data["vocabulary"]), 2, embedding_dim=2,
                              preprocessor=TextPreprocessor(data["config"], data["vocabulary"]))
    assert model.inputs[0].name == "text"
    texts = np.array(data["texts"][:4] + [""], dtype=object)
    ids_model = average_embedding(len(data["vocabulary"]), 2, embedding_dim=2)
    ids_model.set_weights(model.get_weights())
    np.testing.assert_allclose(np.asarray(model(texts[:4])), np.asarray(ids_model(data["ids"][:4])), atol=1e-6)
    round_trip(model, texts)
