"""``training.train``: run an experiment config end to end and fill a run directory.

A run directory holds ``config.toml`` (resolved), the task's assets
(``vocabulary.txt`` + ``.json``, ``labels.txt``, ``text_config.json`` /
``image_config.json`` / ``lm_config.json``), ``model.keras``,
``checkpoints/epoch_NNN.keras``, ``history.csv``, ``metrics.json``,
``logs/`` (TensorBoard) and PNG reports (``learning_curves.png``,
``confusion_matrix.png``, ``misclassified.png``, ``conv_filters.png``,
``embedding_map.png``) with ``neighbours.txt``.

A run whose folder already has checkpoints resumes from the newest one.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from training.callbacks import CHECKPOINT_DIR, checkpoint_epoch, list_checkpoints, make_callbacks, make_optimizer
from training.config import dump_config, load_config, modality_of_source
from training.errors import UserError
from vocab._atomic import write_text_atomic

__all__ = ["train"]


def _log(message: str) -> None:
    print(f"[lexivision] {message}", flush=True)


def _resume_from(run_dir: Path, resume: bool | None) -> list[Path]:
    checkpoints = list_checkpoints(run_dir)
    if resume is True and not checkpoints:
        raise UserError(f"--resume: {run_dir / CHECKPOINT_DIR} has no checkpoints; train without --resume first")
    if resume is False:
        for path in (run_dir / CHECKPOINT_DIR, run_dir / "logs"):
            shutil.rmtree(path, ignore_errors=True)
        (run_dir / "history.csv").unlink(missing_ok=True)
        return []
    return checkpoints


def _load_checkpoint(checkpoints: list[Path]):
    """The newest checkpoint that loads (an interrupted save leaves a broken file) and its epoch."""
    import training.ngrams  # noqa: F401 - registers HashedBigrams for loading
    from training.models import load_model

    for path in reversed(checkpoints):
        try:
            return load_model(path), checkpoint_epoch(path)
        except Exception as err:  # noqa: BLE001 - a half-written zip raises many kinds of errors
            _log(f"skipping unreadable checkpoint {path.name} ({type(err).__name__}: {err})")
    raise UserError(f"no checkpoint in {checkpoints[0].parent} can be loaded; rerun with --fresh")


def _float32_output(model):
    """Under mixed precision the output must be float32 for a stable softmax/loss."""
    import keras

    if model.outputs[0].dtype == "float32":
        return model
    outputs = keras.layers.Activation("linear", dtype="float32", name="float32_output")(model.outputs[0])
    return keras.Model(model.inputs, outputs, name=model.name)


def _compile(model, training: dict[str, Any], steps_per_epoch: int) -> None:
    model.compile(
        optimizer=make_optimizer(training, steps_per_epoch),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=training["jit_compile"],
    )


def train(
    config: dict[str, Any] | str | os.PathLike,
    run_dir: str | os.PathLike,
    *,
    verbose: int | None = None,
    resume: bool | None = None,
) -> dict[str, Any]:
    """Train the experiment ``config`` (a dict from :func:`load_config` or a TOML path) into ``run_dir``.

    ``resume``: None resumes when ``run_dir`` has checkpoints, True requires
    them, False starts over. Returns the test metrics (also in ``metrics.json``).
    """
    import keras

    from training.model_kinds import MODEL_KINDS, build_model
    from training.strategy import is_chief, precision_policy, read_tf_config, select_strategy
    from training.tasks import task_module

    if not isinstance(config, dict):
        config = load_config(config)
    training = config["training"]
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    checkpoints = _resume_from(run_dir, resume)
    write_text_atomic(run_dir / "config.toml", dump_config(config))
    kind = MODEL_KINDS[config["model"]["kind"]]
    task = task_module(modality_of_source(config["data"]["source"]), kind.task)
    chief = is_chief(read_tf_config(required=False))

    strategy = select_strategy(training["strategy"])  # first: multi-worker needs a fresh TF context
    keras.utils.set_random_seed(training["seed"])
    start = time.time()
    prepared = task.prepare(config, run_dir, resuming=bool(checkpoints))
    with precision_policy(training["mixed_precision"]):
        with strategy.scope():
            if checkpoints:
                model, initial_epoch = _load_checkpoint(checkpoints)
                _log(f"resuming from {CHECKPOINT_DIR}/epoch_{initial_epoch:03d}.keras")
            else:
                model = build_model(config["model"], **prepared.data_args)
                if prepared.wrap_model is not None:
                    model = prepared.wrap_model(model)
                model = _float32_output(model)
                _compile(model, training, prepared.steps_per_epoch)
                initial_epoch = 0
        if verbose is None:
            verbose = 1 if sys.stdout.isatty() else 2
        if initial_epoch < training["epochs"]:
            _log(f"training {model.name} ({model.count_params():,} parameters) for epochs {initial_epoch + 1}.."
                 f"{training['epochs']} with {type(strategy).__name__}, policy {keras.mixed_precision.global_policy().name}")
        else:
            _log(f"the checkpoint holds {initial_epoch} epochs >= training.epochs = {training['epochs']}: evaluating only")
        fit_start = time.time()
        if initial_epoch < training["epochs"]:
            model.fit(
                prepared.train, validation_data=prepared.validation, epochs=training["epochs"],
                initial_epoch=initial_epoch, verbose=verbose, class_weight=prepared.class_weight, shuffle=False,
                callbacks=make_callbacks(training, run_dir, resuming=bool(checkpoints), write=chief),
            )
        fit_seconds = time.time() - fit_start
        evaluation = task.evaluate(model, prepared)
    metrics = {k: v for k, v in evaluation.items() if not k.startswith("_")}
    metrics.update(fit_seconds=round(fit_seconds, 1), total_seconds=round(time.time() - start, 1))
    if not chief:
        return metrics
    tmp = run_dir / ".model.keras.tmp.keras"
    model.save(tmp)
    os.replace(tmp, run_dir / "model.keras")
    if training["reports"]:
        from training.reports import plot_learning_curves

        files = {}
        if (run_dir / "history.csv").is_file() and (run_dir / "history.csv").stat().st_size:
            files["learning_curves"] = str(plot_learning_curves(run_dir / "history.csv", run_dir / "learning_curves.png"))
        files.update(task.report(model, prepared, run_dir, evaluation))
        metrics["reports"] = sorted(Path(f).name for f in files.values())
    write_text_atomic(run_dir / "metrics.json", json.dumps(metrics, indent=1))
    summary = ", ".join(f"{k} {v:.4f}" for k, v in metrics.items() if k.startswith("test_") and isinstance(v, float))
    _log(f"{summary} ({metrics['fit_seconds']:.0f} s fitting)")
    return metrics
