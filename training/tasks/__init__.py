"""The three kinds of experiment: text classification, image classification, language modelling.

Each task module has ``prepare(config, run_dir, resume_assets)`` returning a
:class:`training.tasks.base.Prepared` (datasets, builder arguments, assets
written to the run directory) and ``evaluate(model, prepared)`` and
``report(model, prepared, run_dir, evaluation)``.
"""

from __future__ import annotations

import importlib

__all__ = ["task_module"]

_MODULES = {
    ("text", "classification"): "training.tasks.text_classification",
    ("image", "classification"): "training.tasks.image_classification",
    ("text", "language_model"): "training.tasks.language_model",
}


def task_module(modality: str, task: str):
    """The module that prepares, evaluates and reports a ``(modality, task)`` experiment."""
    return importlib.import_module(_MODULES[(modality, task)])
