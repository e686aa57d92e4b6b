"""``TextPreprocessor``: a Keras layer from raw strings to padded token ids."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import keras
import tensorflow as tf

from pipeline.text import graph
from pipeline.text.config import ConfigError, TextConfig
from pipeline.text.tokenize import END_TOKEN, START_TOKEN
from vocab import Vocabulary, load_stop_words

__all__ = ["TextPreprocessor"]

_VOCAB_ASSET = "vocabulary.txt"
_LEMMA_ASSET = "lemmas.tsv"
_HASHED_OOV = -1  # the vocabulary table's answer for a token it lacks, when several OOV ids hash such tokens


@keras.saving.register_keras_serializable(package="lexivision")
class TextPreprocessor(keras.layers.Layer):
    """tf.string ``[batch]`` -> int64 ids ``[batch, max_length]``, 0-padded.

    The same ``TextConfig`` run through :func:`pipeline.tokenize` gives the
    same tokens (:meth:`tokens`); ids follow :class:`vocab.Vocabulary`. Works
    inside ``tf.data.Dataset.map`` and as the first layer of a Functional
    model. The vocabulary and the lemma table are saved as assets of the
    ``.keras`` file, not in the config. ``lemma_table`` replaces spaCy's lookup
    table when ``config.lemmatize`` (for example one baked from a POS-aware
    pipeline with :func:`pipeline.text.lemmas.bake_pos_lemmas`).

    >>> from vocab import Vocabulary
    >>> vocab = Vocabulary.build([["he", "'s", "here", "."]])
    >>> layer = TextPreprocessor(TextConfig(max_length=5), vocab)
    >>> import tensorflow as tf
    >>> layer(tf.constant(["He's there."])).numpy().tolist()
    [[4, 2, 1, 3, 0]]
    """

    def __init__(
        self,
        config: TextConfig | dict | None = None,
        vocabulary: Vocabulary | str | os.PathLike | None = None,
        lemma_table: Mapping[str, str] | None = None,
        **kwargs,
    ):
        kwargs.setdefault("dtype", "string")
        kwargs.setdefault("trainable", False)
        super().__init__(**kwargs)
        if isinstance(config, dict):
            config = TextConfig.from_dict(config)
        self.config = config or TextConfig()
        graph.check_exportable(self.config)
        self._table = None
        self.vocabulary = None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary)
        self._phrases = self._phrase_list()
        self._phrase_table = None
        if self._phrases:
            self._phrase_table = graph.string_table({" ".join(p): len(p) for p in self._phrases}, default=0)
        self._lemmas = None
        self._lemma_table = None
        from pipeline.text.lemmas import lookup_table

        table = lookup_table(self.config, lemma_table)
        if table is not None:
            self.set_lemma_table(table)
        try:
            stop_words = sorted(load_stop_words(self.config.stop_words))
        except FileNotFoundError as err:
            raise ConfigError(f"text.{err}") from None
        self._stop_table = graph.string_table(dict.fromkeys(stop_words, 1), default=0) if stop_words else None
        self.built = True

    def _phrase_list(self) -> list[tuple[str, ...]]:
        from pipeline.text.phrases import PhraseMerger

        return PhraseMerger.from_config(self.config).phrases

    # Vocabulary and lemmas -------------------------------------------------------------

    def set_vocabulary(self, vocabulary: Vocabulary | str | os.PathLike) -> None:
        if not isinstance(vocabulary, Vocabulary):
            vocabulary = Vocabulary.load(vocabulary)
        self.vocabulary = vocabulary
        first = 1 + vocabulary.num_oov_indices
        # the row marks of graph.joined_tokens get the padding id; no token can be one (graph.ROW_MARK
        # is not UTF-8, graph.FULL_ROW_MARK becomes U+FFFD), so a vocabulary that holds it loses nothing
        marks = (graph.ROW_MARK, graph.FULL_ROW_MARK)
        ids = {token.encode("utf-8"): i for i, token in enumerate(vocabulary.tokens(include_specials=True)[first:], first)}
        ids.update(dict.fromkeys(marks, 0))
        # one OOV id: the table answers it directly; several: _HASHED_OOV marks the tokens to hash
        self._table = graph.string_table(ids, default=1 if vocabulary.num_oov_indices == 1 else _HASHED_OOV)

    def set_lemma_table(self, table: Mapping[str, str]) -> None:
        """Use ``table`` (surface -> lemma) for lemmatisation."""
        self._lemmas = {k: v for k, v in table.items() if k != v}
        self._lemma_table = graph.string_table(self._lemmas, default="") if self._lemmas else None

    def save_assets(self, dir_path):
        if self.vocabulary is not None:
            self.vocabulary.save(Path(dir_path) / _VOCAB_ASSET)
        if self._lemmas is not None:
            from pipeline.text.lemmas import save_lemma_file

            save_lemma_file(self._lemmas, Path(dir_path) / _LEMMA_ASSET)

    def load_assets(self, dir_path):
        path = Path(dir_path) / _VOCAB_ASSET
        if path.is_file():
            self.set_vocabulary(path)
        lemmas = Path(dir_path) / _LEMMA_ASSET
        if self.config.lemmatize and lemmas.is_file():
            from pipeline.text.lemmas import load_lemma_file

            self.set_lemma_table(load_lemma_file(lemmas))

    # Graph -----------------------------------------------------------------------------

    @staticmethod
    def _rows(inputs) -> tf.Tensor:
        """A scalar, ``[batch]`` or ``[batch, 1]`` of strings -> ``[batch]``."""
        inputs = tf.convert_to_tensor(inputs, dtype=tf.string)
        if inputs.shape.rank == 0:
            inputs = tf.expand_dims(inputs, 0)
        if inputs.shape.rank == 2:
            inputs = tf.squeeze(inputs, axis=-1)
        return inputs

    def tokens(self, inputs, max_tokens: int | None = None) -> tf.RaggedTensor:
        """[batch] strings -> [batch, (tokens)] after every token-level step (as ``pipeline.tokenize``).

        ``max_tokens``: only the first ``max_tokens`` tokens of a row are needed (``call`` keeps no
        more); long rows may then lose later tokens, which saves work. Ignored when stop words or
        phrases change the number of tokens.
        """
        inputs = self._rows(inputs)
        config = self.config
        if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1):
            raise ValueError(f"max_tokens must be None or an int >= 1. Received: max_tokens={max_tokens!r}")
        if self._phrase_table is not None or self._stop_table is not None:
            max_tokens = None
        tokens = graph.text_to_tokens(inputs, config, max_tokens)
        if self._phrase_table is not None:
            tokens = graph.merge_phrases(tokens, self._phrase_table, sorted({len(p) for p in self._phrases}))
        if self._lemma_table is not None:
            tokens = graph.lookup_or_keep(tokens, self._lemma_table)
        if self._stop_table is not None:
            tokens = tf.ragged.boolean_mask(tokens, tf.equal(self._stop_table.lookup(tokens), 0))
        return tokens

    def _lookup(self, tokens: tf.Tensor) -> tf.Tensor:
        """Flat tokens -> ids (the row marks of ``graph.joined_tokens`` -> 0, the padding id)."""
        ids = self._table.lookup(tokens)
        if self.vocabulary.num_oov_indices > 1:
            oov = tf.strings.to_hash_bucket_fast(tokens, self.vocabulary.num_oov_indices) + 1
            ids = tf.where(tf.equal(ids, _HASHED_OOV), oov, ids)
        return ids

    def _joined_ids(self, inputs: tf.Tensor) -> tf.Tensor:
        """``call`` without phrases, stop words or sequence tokens: the whole batch as one list of tokens
        (``graph.joined_tokens``)."""
        tokens, redo = graph.joined_tokens(inputs, self.config, self.config.room)
        if self._lemma_table is not None:
            tokens = graph.lookup_or_keep(tokens, self._lemma_table)
        return self._padded(self._lookup(tokens), redo, tf.size(inputs))

    def _padded(self, ids: tf.Tensor, redo: tf.Tensor, batch: tf.Tensor) -> tf.Tensor:
        """The ids of ``graph.joined_tokens`` -> ``[batch, max_length]``.

        Each row's tokens end with a mark, whose id is the padding id 0: it is the row's first
        padding, or is cut off with the ids past ``max_length``; the marks' positions are the row
        splits. The ``batch`` rows come first, then the redone rows, whose ids replace those of
        their rows (``redo``).
        """
        splits = tf.concat([[0], tf.reshape(tf.where(tf.equal(ids, 0)), [-1]) + 1], axis=0)
        padded = tf.RaggedTensor.from_row_splits(ids, splits, validate=False).to_tensor(0, shape=[None, self.config.max_length])
        rows, redone = tf.split(padded, tf.stack([batch, -1]))
        return tf.tensor_scatter_nd_update(rows, redo, redone)

    def call(self, inputs):
        if self._table is None:
            raise ValueError("TextPreprocessor has no vocabulary; pass one or call set_vocabulary() first")
        config = self.config
        inputs = self._rows(inputs)
        if self._phrase_table is None and self._stop_table is None and not (config.start_token or config.end_token):
            return self._joined_ids(inputs)
        tokens = self.tokens(inputs, max_tokens=config.room)
        vocab = self.vocabulary
        if config.end_token:  # the end token comes after the truncated tokens; otherwise to_tensor truncates
            tokens = tokens[:, : config.room]
        ids = tokens.with_flat_values(self._lookup(tokens.flat_values))
        batch = tokens.nrows()
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
        # phrases are stored resolved and the lemma table is an asset, so a reloaded model needs neither file
        base["config"] = self.config.replace(
            phrases=tuple(" ".join(p) for p in self._phrases) if self._phrases else self.config.phrases,
            phrases_file=None,
            lemma_file=None,
        ).to_dict()
        return base

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(TextConfig.from_dict(config.pop("config")), **config)
