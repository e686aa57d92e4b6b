"""The TensorFlow execution of a ``TextConfig``: the same steps as ``tokenize.py``, as graph ops."""

from __future__ import annotations

import tensorflow as tf
import tensorflow_text as tf_text

from pipeline.text.config import TextConfig
from pipeline.text.rules import patterns, replacement

_P = patterns("re2")


def _sub(text: tf.Tensor, step: str) -> tf.Tensor:
    return tf.strings.regex_replace(text, _P[step], replacement(step, "re2"))


def coerce_utf8(text: tf.Tensor) -> tf.Tensor:
    """Replace invalid UTF-8 with U+FFFD, as ``bytes.decode(errors="replace")`` does."""
    return tf.strings.unicode_transcode(
        text, "UTF-8", "UTF-8", errors="replace", replacement_char=0xFFFD, replace_control_characters=False
    )


def normalize(text: tf.Tensor, config: TextConfig) -> tf.Tensor:
    text = coerce_utf8(text)
    if config.normalization == "nfkc":
        text = tf_text.normalize_utf8(text, "NFKC")
    text = _sub(_sub(text, "space"), "control")
    if config.lowercase:
        text = tf.strings.lower(text, encoding="utf-8")
    if config.strip_accents:
        text = tf_text.normalize_utf8(_sub(tf_text.normalize_utf8(text, "NFD"), "mark"), "NFC")
    return text


def split_tokens(text: tf.Tensor, config: TextConfig) -> tf.RaggedTensor:
    """[batch] normalised strings -> [batch, (tokens)] ragged strings."""
    if config.tokenizer == "spacy":
        raise ValueError(
            "text.tokenizer='spacy' runs in Python only and cannot be exported in a graph; "
            "use tokenizer='default' for models that take raw text"
        )
    if config.tokenizer == "default":
        text = _sub(" " + text + " ", "apostrophe")
        text = _sub(_sub(text, "clitic"), "token")
    return tf.strings.split(text)
