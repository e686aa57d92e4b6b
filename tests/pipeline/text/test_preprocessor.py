from __future__ import annotations

import numpy as np
import pytest

from pipeline.text.config import ConfigError, TextConfig
from pipeline.text.tokenize import encode, tokenize
from vocab import Vocabulary

from .conftest import FULL_CONFIG

TEXTS = ["He's spending 7 days in San Francisco.", "The mice were running, weren't they?", "", "Übermäßig ΣΑΣ 我爱"]


@pytest.fixture(scope="module")
def vocab():
    docs = tokenize(TEXTS, FULL_CONFIG) + tokenize(TEXTS)
    return Vocabulary.build(docs, specials=["<s>", "</s>"], num_oov_indices=1)


def _layer(config, vocab, **kwargs):
    from pipeline.text.preprocessor import TextPreprocessor

    return TextPreprocessor(config, vocab, **kwargs)


@pytest.mark.parametrize(
    "config",
    [TextConfig(max_length=4, start_token=True, end_token=True), FULL_CONFIG.replace(max_length=6, end_token=True),
     TextConfig(max_length=12)],
    ids=["start-end-truncate", "full-end", "pad"],
)
def test_preprocessor_ids_equal_python_encode(config, vocab):
    import tensorflow as tf

    ids = _layer(config, vocab)(tf.constant(TEXTS)).numpy()
    assert ids.shape == (len(TEXTS), config.max_length)
    assert ids.tolist() == encode(TEXTS, config, vocab)


def test_preprocessor_keras_file_round_trip(tmp_path, vocab):
    import keras
    import tensorflow as tf

    config = FULL_CONFIG.replace(max_length=8, start_token=True)
    layer = _layer(config, vocab, lemma_table={"mice": "mouse", "running": "run", "were": "be"})
    inputs = keras.Input(shape=(), dtype="string", name="text")
    ids = layer(inputs)
    outputs = keras.layers.Embedding(len(vocab), 2)(ids)
    model = keras.Model(inputs, outputs)
    before = model(tf.constant(TEXTS)).numpy()
    model.save(tmp_path / "m.keras")
    again = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(again(tf.constant(TEXTS)).numpy(), before)
    reloaded = again.layers[1]
    assert reloaded.vocabulary == vocab and reloaded._lemmas == {"mice": "mouse", "running": "run", "were": "be"}
    assert reloaded.get_config()["config"]["phrases"] == [" ".join(p.lower().split()) for p in FULL_CONFIG.phrases
                                                          ] or reloaded.get_config()["config"]["phrases"]


def test_preprocessor_in_dataset_map(vocab):
    import tensorflow as tf

    config = TextConfig(max_length=6)
    layer = _layer(config, vocab)
    ds = tf.data.Dataset.from_tensor_slices(TEXTS).batch(3).map(layer)
    rows = np.concatenate([b.numpy() for b in ds]).tolist()
    assert rows == encode(TEXTS, config, vocab)


def test_preprocessor_refuses_spacy_tokenizer_with_reason(vocab):
    with pytest.raises(ConfigError, match="tokenizer='spacy'.*cannot run inside a TensorFlow graph"):
        _layer(TextConfig(tokenizer="spacy"), vocab)


def test_preprocessor_without_vocabulary_says_what_to_do():
    import tensorflow as tf

    with pytest.raises(ValueError, match="no vocabulary"):
        _layer(TextConfig(), None)(tf.constant(["a"]))


def test_preprocessor_many_oov_buckets_hash_like_string_lookup():
    import tensorflow as tf

    vocab = Vocabulary(["a", "b"], num_oov_indices=3)
    ids = _layer(TextConfig(max_length=4), vocab)(tf.constant(["a b zebra quux"])).numpy()
    expected = vocab.lookup_layer()(tf.constant(["a", "b", "zebra", "quux"])).numpy()
    assert ids[0].tolist() == expected.tolist()


@pytest.mark.parametrize("max_length", [5, 1200], ids=["head", "whole-rows"])
def test_preprocessor_rows_holding_the_row_mark_byte_stay_in_place(max_length, vocab):
    """The layer joins a batch with b"\\xff" between the fast path's rows and U+FFFF between the full
    path's, and finds the rows back from those marks; raw rows may hold either (alone or glued to
    text), and must not shift any row. The full path's rows are normalised together, so rows whose
    normalisation depends on context (a leading combining mark, a final sigma, Hangul jamo that NFKC
    composes, a clitic at the end) sit next to each other."""
    import tensorflow as tf

    from pipeline.text.graph import FULL_ROW_MARK, ROW_MARK

    texts = [b"a " + ROW_MARK + b" b", ROW_MARK, b" " + ROW_MARK + b" " + ROW_MARK + b" ", b"He's here.", b"",
             b"x" + ROW_MARK + b"y days", "\u00dcberm\u00e4\u00dfig \u6211".encode(), b"The mice were running.",
             FULL_ROW_MARK, b"a " + FULL_ROW_MARK + b" b\x07", "x\uffffy \u00e9".encode(), "\u0301e caf\u00e9".encode(),
             "\u039f\u0394\u039f\u03a3".encode(), "\u03a3\u0391 \u1100".encode(), "\u1161 it's".encode(), "don't\x07".encode()]
    config = TextConfig(max_length=max_length)
    ids = _layer(config, vocab)(tf.constant(texts)).numpy().tolist()
    assert ids == encode(texts, config, vocab)
    assert any(row[:2] == [vocab.token_id("he"), vocab.token_id("'s")] for row in ids)


def test_preprocessor_empty_batch_and_lemmas_without_phrases(vocab):
    import tensorflow as tf

    layer = _layer(TextConfig(max_length=6), vocab)
    assert layer(tf.constant([], tf.string)).numpy().shape == (0, 6)
    assert layer(tf.constant([""])).numpy().tolist() == [[0] * 6]
    config = TextConfig(max_length=6, lemmatize=True)  # lemmas, no phrases or stop words: the joined path
    ids = _layer(config, vocab, lemma_table={"mice": "mouse", "running": "run", "were": "be"})(tf.constant(TEXTS))
    expected = encode(TEXTS, config, vocab, lemma_table={"mice": "mouse", "running": "run", "were": "be"})
    assert ids.numpy().tolist() == expected
    assert vocab.token_id("mouse") in expected[1]


def test_preprocessor_vocabulary_holding_a_row_mark_keeps_its_other_ids():
    """U+FFFF can never be a token (it becomes U+FFFD), so a vocabulary that lists it still works."""
    import tensorflow as tf

    vocab = Vocabulary(["a", "\uffff", "b"])
    ids = _layer(TextConfig(max_length=4), vocab)(tf.constant(["a b \uffff c"])).numpy().tolist()
    assert ids == encode(["a b \uffff c"], TextConfig(max_length=4), vocab)
    assert ids[0][:2] == [vocab.token_id("a"), vocab.token_id("b")]
