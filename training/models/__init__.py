"""Keras Functional model builders.

Each builder returns a ``keras.Model`` with named inputs and outputs. Text
builders take int ids (``[batch, length]``, 0 = padding) or, with
``preprocessor=``, raw strings through a ``pipeline.TextPreprocessor``.

Builder modules are named for what they hold (``recurrent.py`` holds ``rnn``
and ``lstm``), never after a builder, so ``training.models.rnn`` is always the
function.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "average_embedding": "training.models.averaged_embeddings",
    "cnn": "training.models.convolutional",
    "resnet": "training.models.residual",
    "rnn": "training.models.recurrent",
    "lstm": "training.models.recurrent",
    "nnlm": "training.models.neural_lm",
    "context_pairs": "training.models.neural_lm",
    "Perplexity": "training.models.perplexity",
    "next_words": "training.models.generate",
    "sample": "training.models.generate",
    "idf_weights": "training.models.idf",
    "load_word_vectors": "training.models.word_vectors",
}

__all__ = sorted([*_LAZY, "load_model"])


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'training.models' has no attribute {name!r}")


def __dir__():
    return __all__


# Modules that define custom layers registered with Keras; importing them lets
# keras.models.load_model rebuild a saved model.
CUSTOM_OBJECT_MODULES = (
    "training.models.pooling",
    "training.models.sequence",
    "training.models.neural_lm",
    "training.models.perplexity",
    "training.ngrams",
    "pipeline.text.preprocessor",
)


def load_model(path):
    """``keras.models.load_model`` with lexivision's custom layers registered."""
    import keras

    for module in CUSTOM_OBJECT_MODULES:
        importlib.import_module(module)
    return keras.models.load_model(path)
