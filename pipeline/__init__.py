"""Text and image preprocessing, in the TensorFlow graph and in plain Python.

The pure-Python text path (``TextConfig``, ``tokenize``, ``build_vocabulary``)
imports no TensorFlow; the graph-side names (``TextPreprocessor``,
``image_dataset``, ...) load TensorFlow on first use.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "TextConfig": "pipeline.text.config",
    "tokenize": "pipeline.text.tokenize",
    "lemmatize": "pipeline.text.lemmas",
    "TextPreprocessor": "pipeline.text.preprocessor",
    "build_vocabulary": "pipeline.corpus.vocabulary",
    "preprocess_corpus": "pipeline.corpus.preprocess",
    "image_dataset": "pipeline.images.dataset",
    "augmentation": "pipeline.images.augment",
    "LocalContrastNormalization": "pipeline.images.lcn",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__():
    return __all__
