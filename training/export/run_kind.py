"""What a run directory holds decides how it is exported: one ``RunKind`` per model family.

The run-directory contracts (``lexivision train`` writes them; :func:`detect_run_kind` reads them):

=================  ==========================================================================
kind               files in the run directory
=================  ==========================================================================
text_classifier    ``model.keras`` (int64 ids ``[None, max_length]`` -> probabilities
                   ``[None, classes]``; or raw ``tf.string`` ``[None]`` -> probabilities),
                   ``vocabulary.txt`` (+ ``.json``), ``text_config.json``, ``labels.txt``
image_classifier   ``model.keras`` (float32 pixels ``[None, H, W, C]`` in ``[0, 1]`` ->
                   probabilities ``[None, classes]``), ``labels.txt``, ``image_config.json``
                   ``{"height": H, "width": W, "channels": 1 or 3}`` (optional
                   ``"resize_method"``: a ``tf.image.resize`` method, default ``"bilinear"``)
language_model     ``model.keras`` (int64 ids ``[None, context_size]`` of the previous words,
                   left-padded with 0 -> next-word probabilities ``[None, vocabulary size]``),
                   ``vocabulary.txt`` (+ ``.json``), ``text_config.json``, ``lm_config.json``
                   ``{"context_size": N}`` (optional ``"top_k"``, default 5)
=================  ==========================================================================

``labels.txt`` holds one class name per line, in output order. Each kind
declares the signatures it exports (dtype and shape of every input and
output), builds the Keras ``ExportArchive``, proposes warmup inputs, and
computes reference outputs with the in-memory Keras model for verification.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from training.errors import UserError
from training.export.warmup import Request

__all__ = ["RunKind", "SignatureSpec", "detect_run_kind", "KINDS"]

# {"inputs": {name: [dtype, shape]}, "outputs": {name: [dtype, shape]}}, shape entries int or None
SignatureSpec = dict[str, dict[str, list[Any]]]


class RunKind:
    """Base of the exportable model families; subclasses fill in the five methods."""

    kind: ClassVar[str] = ""
    marker: ClassVar[str] = ""  # the file that identifies this kind
    required: ClassVar[tuple[str, ...]] = ()

    def __init__(self, run_dir: str | os.PathLike):
        self.run_dir = Path(run_dir)
        for name in self.required:
            if not (self.run_dir / name).is_file():
                raise UserError(
                    f"{self.run_dir / name}: missing; a {self.kind} run directory holds {', '.join(self.required)}"
                )

    # Helpers for subclasses ------------------------------------------------------------

    def read_json(self, name: str) -> dict[str, Any]:
        path = self.run_dir / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise UserError(f"{path}: not valid JSON ({err}); rewrite it or train the run again") from None
        if not isinstance(data, dict):
            raise UserError(f"{path}: expected a JSON object, got {type(data).__name__}")
        return data

    def read_labels(self) -> list[str]:
        path = self.run_dir / "labels.txt"
        labels = path.read_text(encoding="utf-8").splitlines()
        if not labels or any(not label for label in labels):
            raise UserError(f"{path}: needs one non-empty class name per line")
        return labels

    def load_model(self):
        from training.models import load_model

        return load_model(self.run_dir / "model.keras")

    # Interface ---------------------------------------------------------------------------

    def signatures(self) -> dict[str, SignatureSpec]:
        """Signature name -> expected input and output dtypes and shapes."""
        raise NotImplementedError

    def build_archive(self):
        """A ``keras.export.ExportArchive`` with every signature of :meth:`signatures`."""
        raise NotImplementedError

    def warmup_requests(self, samples: Sequence[Any] = ()) -> list[Request]:
        """Requests that must succeed: built-in real inputs plus ``samples``."""
        raise NotImplementedError

    def reference(self, signature: str, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The outputs of ``signature`` for ``inputs``, computed with the in-memory Keras model."""
        raise NotImplementedError

    def sample_request(self, inputs: Sequence[Any]) -> Request:
        """The ``serving_default`` request for user inputs (texts, image bytes)."""
        raise NotImplementedError


def classification_outputs(probabilities, label_names):
    """``probabilities`` -> the outputs every classifier signature returns (in-graph)."""
    import tensorflow as tf

    probabilities = tf.cast(probabilities, tf.float32)
    label_id = tf.argmax(probabilities, axis=-1, output_type=tf.int64)
    return {"probabilities": probabilities, "label": tf.gather(label_names, label_id), "label_id": label_id}


def classification_reference(probabilities: np.ndarray, labels: Sequence[str]) -> dict[str, np.ndarray]:
    """The same outputs as :func:`classification_outputs`, in NumPy."""
    probabilities = np.asarray(probabilities, np.float32)
    label_id = probabilities.argmax(axis=-1).astype(np.int64)
    return {
        "probabilities": probabilities,
        "label": np.array([labels[i].encode("utf-8") for i in label_id], dtype=object),
        "label_id": label_id,
    }


def classification_spec(inputs: dict[str, list[Any]], num_classes: int) -> SignatureSpec:
    return {
        "inputs": inputs,
        "outputs": {
            "probabilities": ["float32", [None, num_classes]],
            "label": ["string", [None]],
            "label_id": ["int64", [None]],
        },
    }


def check_num_classes(model, labels: Sequence[str], run_dir: Path) -> None:
    width = model.outputs[0].shape[-1]
    if width != len(labels):
        raise UserError(
            f"{run_dir / 'labels.txt'}: {len(labels)} labels but model.keras outputs {width} probabilities; "
            "the run directory is inconsistent, train it again"
        )


def _kinds() -> list[type[RunKind]]:
    from training.export.image_classifier import ImageClassifier
    from training.export.language_model import LanguageModel
    from training.export.text_classifier import TextClassifier

    return [ImageClassifier, LanguageModel, TextClassifier]


KINDS = ("image_classifier", "language_model", "text_classifier")


def detect_run_kind(run_dir: str | os.PathLike) -> RunKind:
    """Load ``run_dir`` as the kind its files identify (see the module docstring)."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise UserError(f"{run_dir}: not a directory; pass a run directory written by `lexivision train`")
    for cls in _kinds():
        if (run_dir / cls.marker).is_file():
            return cls(run_dir)
    raise UserError(
        f"{run_dir}: no image_config.json, lm_config.json or text_config.json; "
        "is it a finished run of `lexivision train`?"
    )
