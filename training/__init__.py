"""Keras model builders, config-driven training, export for TF Serving, and the ``lexivision`` command.

Names load lazily, so ``import training`` stays cheap until a model is built.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "models": "training.models",
    "train": "training.train",
    "export_saved_model": "training.export",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        value = module if name == "models" else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'training' has no attribute {name!r}")


def __dir__():
    return __all__
