"""Keras Functional model builders.

Each builder returns a ``keras.Model`` with named inputs and outputs. Text
builders take int ids (``[batch, length]``, 0 = padding) or, with
``preprocessor=``, raw strings through a ``pipeline.TextPreprocessor``.

A builder shadows its module of the same name (``training.models.rnn`` is
the function); reach module contents with ``from training.models.rnn import CELLS``.
"""

from __future__ import annotations

import importlib
import sys
import types

_LAZY = {
    "average_embedding": "training.models.average_embedding",
    "cnn": "training.models.cnn",
    "resnet": "training.models.resnet",
    "rnn": "training.models.rnn",
    "lstm": "training.models.rnn",
    "nnlm": "training.models.nnlm",
    "context_pairs": "training.models.nnlm",
    "Perplexity": "training.models.perplexity",
    "next_words": "training.models.generate",
    "sample": "training.models.generate",
    "idf_weights": "training.models.idf",
    "load_word_vectors": "training.models.word_vectors",
}

__all__ = sorted([*_LAZY, "load_model"])


class _Package(types.ModuleType):
    """Keeps a builder bound when its same-named submodule is imported later.

    Python (and pytest's importlib mode) set ``package.rnn = <module rnn>``
    after importing ``training.models.rnn``; that would replace the builder.
    """

    def __setattr__(self, name, value):
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == value.__name__ and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
    "training.models.perplexity",
    "pipeline.text.preprocessor",
)


def load_model(path):
    """``keras.models.load_model`` with lexivision's custom layers registered."""
    import keras

    for module in CUSTOM_OBJECT_MODULES:
        importlib.import_module(module)
    return keras.models.load_model(path)
