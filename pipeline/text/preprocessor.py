"""``TextPreprocessor``: a Keras layer from raw strings to padded token ids."""

from __future__ import annotations

import os
from pathlib import Path

import keras
import tensorflow as tf

from pipeline.text import graph
from pipeline.text.config import TextConfig
from pipeline.text.tokenize import END_TOKEN, START_TOKEN
from vocab import Vocabulary, load_stop_words

_VOCAB_ASSET = "vocabulary.txt"


@keras.saving.register_keras_serializable(package="lexivision")
class TextPreprocessor(keras.layers.Layer):
    """tf.string ``[batch]`` -> int64 ids ``[batch, max_length]``, 0-padded.

    The same ``TextConfig`` run through :func:`pipeline.tokenize` gives the
    same tokens; ids follow :class:`vocab.Vocabulary`. Works inside
    ``tf.data.Dataset.map`` and as the first layer of a Functional model.
    The vocabulary is saved as an asset of the ``.keras`` file, not in the
    config.

    >>> from vocab import Vocabulary
    >>> vocab = Vocabulary.build([["he", "'s", "here", "."]])
    >>> layer = TextPreprocessor(TextConfig(max_length=5), vocab)
    >>> import tensorflow as tf
    >>> layer(tf.constant(["He's there."])).numpy().tolist()
    [[4, 2, 1, 3, 0]]
    """

    def __init__(self, config: TextConfig | dict | None = None, vocabulary: Vocabulary | str | os.PathLike | None = None, **kwargs):
        kwargs.setdefault("dtype", "string")
        kwargs.setdefault("trainable", False)
        super().__init__(**kwargs)
        if isinstance(config, dict):
            config = TextConfig.from_dict(config)
        self.config = config or TextConfig()
        self._table = None
        self.vocabulary = None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary)
        self._stop_words = sorted(load_stop_words(self.config.stop_words))
        self._stop_table = None
        if self._stop_words:
            self._stop_table = tf.lookup.StaticHashTable(
                tf.lookup.KeyValueTensorInitializer(self._stop_words, tf.ones(len(self._stop_words), tf.int64)),
                default_value=0,
            )
        self.built = True

    # Vocabulary ------------------------------------------------------------------------

    def set_vocabulary(self, vocabulary: Vocabulary | str | os.PathLike) -> None:
        if not isinstance(vocabulary, Vocabulary):
            vocabulary = Vocabulary.load(vocabulary)
        self.vocabulary = vocabulary
        keys = vocabulary.tokens(include_specials=True)[1 + vocabulary.num_oov_indices :]
        first = 1 + vocabulary.num_oov_indices
        self._table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(
                tf.constant(keys, tf.string), tf.range(first, first + len(keys), dtype=tf.int64)
            ),
            default_value=-1,
        )

    def save_assets(self, dir_path):
        if self.vocabulary is not None:
            self.vocabulary.save(Path(dir_path) / _VOCAB_ASSET)

    def load_assets(self, dir_path):
        path = Path(dir_path) / _VOCAB_ASSET
        if path.is_file():
            self.set_vocabulary(path)

    # Graph -----------------------------------------------------------------------------

    def tokens(self, inputs) -> tf.RaggedTensor:
        """[batch] strings -> [batch, (tokens)] after every token-level step."""
        inputs = tf.convert_to_tensor(inputs, dtype=tf.string)
        if inputs.shape.rank == 2:
            inputs = tf.squeeze(inputs, axis=-1)
        config = self.config
        tokens = graph.split_tokens(graph.normalize(inputs, config), config)
        if self._stop_table is not None:
            tokens = tf.ragged.boolean_mask(tokens, tf.equal(self._stop_table.lookup(tokens), 0))
        return tokens

    def call(self, inputs):
        if self._table is None:
            raise ValueError("TextPreprocessor has no vocabulary; pass one or call set_vocabulary() first")
        config = self.config
        tokens = self.tokens(inputs)
        vocab = self.vocabulary
        ids = self._table.lookup(tokens)
        oov = tf.ragged.map_flat_values(
            lambda t: tf.strings.to_hash_bucket_fast(t, vocab.num_oov_indices) + 1, tokens
        )
        ids = tf.where(ids < 0, oov, ids) if isinstance(ids, tf.Tensor) else ids.with_flat_values(
            tf.where(ids.flat_values < 0, oov.flat_values, ids.flat_values)
        )
        room = config.max_length - config.start_token - config.end_token
        ids = ids[:, :room]
        batch = tf.shape(ids.row_lengths())[0]
        if config.start_token:
            start = tf.fill([batch, 1], tf.constant(vocab.token_id(START_TOKEN), tf.int64))
            ids = tf.concat([start, ids], axis=1)
        if config.end_token:
            end = tf.fill([batch, 1], tf.constant(vocab.token_id(END_TOKEN), tf.int64))
            ids = tf.concat([ids, end], axis=1)
        return ids.to_tensor(default_value=0, shape=[None, config.max_length])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.config.max_length)

    def compute_output_spec(self, inputs):
        return keras.KerasTensor((inputs.shape[0], self.config.max_length), dtype="int64")

    def get_config(self):
        base = super().get_config()
        base["config"] = self.config.to_dict()
        return base

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(TextConfig.from_dict(config.pop("config")), **config)
