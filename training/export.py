"""Export a trained run as a SavedModel in TF Serving's layout.

``EXPORT_BASE/NAME/VERSION/{saved_model.pb, variables/, assets/}``, written to
a temporary folder beside the version and renamed into place, so a reader
(TF Serving polls the folder) never sees a half-written version.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from training.errors import UserError


def next_version(model_base: Path) -> int:
    """One more than the highest numeric version folder (1 for a new model)."""
    versions = [int(p.name) for p in model_base.iterdir() if p.is_dir() and p.name.isdigit()] if model_base.is_dir() else []
    return max(versions, default=0) + 1


def load_run(run_dir: str | os.PathLike):
    """The model, preprocessor and label names of a run directory."""
    from pipeline.text.config import TextConfig
    from pipeline.text.preprocessor import TextPreprocessor
    from vocab import Vocabulary

    run_dir = Path(run_dir)
    for name in ("model.keras", "vocabulary.txt", "labels.txt", "text_config.json"):
        if not (run_dir / name).is_file():
            raise UserError(f"{run_dir / name}: missing; is {run_dir} a finished run of `lexivision train`?")
    from training.models import load_model

    model = load_model(run_dir / "model.keras")
    config = TextConfig.from_dict(json.loads((run_dir / "text_config.json").read_text(encoding="utf-8")))
    preprocessor = TextPreprocessor(config, Vocabulary.load(run_dir / "vocabulary.txt"))
    labels = (run_dir / "labels.txt").read_text(encoding="utf-8").splitlines()
    return model, preprocessor, labels


def build_archive(model, preprocessor, labels):
    """A Keras ``ExportArchive`` whose ``serving_default`` takes raw ``text``."""
    import keras
    import tensorflow as tf

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.track(preprocessor)
    label_names = tf.constant(labels)

    def serve(text):
        probabilities = model(preprocessor(text), training=False)
        label_id = tf.argmax(probabilities, axis=-1, output_type=tf.int64)
        return {"probabilities": probabilities, "label": tf.gather(label_names, label_id), "label_id": label_id}

    archive.add_endpoint("serving_default", serve, input_signature=[tf.TensorSpec([None], tf.string, name="text")])
    return archive


def export_saved_model(run_dir: str | os.PathLike, model_base: str | os.PathLike, version: int | None = None) -> Path:
    """Export the run in ``run_dir`` to ``model_base/VERSION`` and return that path.

    ``model_base`` is ``EXPORT_BASE/NAME``; ``version`` defaults to the next free number.
    """
    model, preprocessor, labels = load_run(run_dir)
    model_base = Path(model_base)
    model_base.mkdir(parents=True, exist_ok=True)
    version = next_version(model_base) if version is None else int(version)
    target = model_base / str(version)
    if target.exists():
        raise UserError(f"{target}: version {version} exists already; omit --version to use the next one")
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=model_base))
    try:
        build_archive(model, preprocessor, labels).write_out(str(tmp), verbose=False)
        tmp.chmod(0o755)  # mkdtemp makes it 0700; TF Serving may run as another user
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
