"""Export a trained run as a SavedModel that TF Serving loads and feeds with raw inputs.

``EXPORT_BASE/NAME/VERSION/{saved_model.pb, variables/, assets/, assets.extra/}``:
built in a hidden temporary folder beside the version, proven servable by a
fresh process (see :mod:`training.export.verify`), then renamed into place;
``EXPORT_BASE/models.config`` lists every model for ``--model_config_file``.
What a run directory must hold for each model family is in
:mod:`training.export.run_kind`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from training.errors import UserError
from training.export.layout import next_version, version_folder, write_models_config
from training.export.run_kind import detect_run_kind
from training.export.verify import REPORT_FILE, ExportVerificationError, verify_export, write_reference
from training.export.warmup import write_warmup_requests

__all__ = ["ExportVerificationError", "export_saved_model", "next_version", "verify_export"]


def export_saved_model(
    run_dir: str | os.PathLike,
    model_base: str | os.PathLike,
    version: int | None = None,
    *,
    samples: Sequence[str | bytes] = (),
    serving_root: str | None = None,
) -> Path:
    """Export the run in ``run_dir`` to ``model_base/VERSION``, verify it, and return that path.

    ``model_base`` is ``EXPORT_BASE/NAME``; ``version`` defaults to the next free
    number. ``samples`` (texts, or encoded image bytes) join the built-in warmup
    requests. ``serving_root`` is where TF Serving sees ``EXPORT_BASE`` (for
    ``models.config``; default: its absolute path here). If anything fails,
    verification included, no version folder is left behind.
    """
    from pipeline.text.config import ConfigError

    model_base = Path(model_base)
    try:  # a text config the graph cannot run (tokenizer='spacy') is refused when its layer is built
        kind = detect_run_kind(run_dir)
    except ConfigError as err:
        raise UserError(f"{run_dir}: cannot export this run: {err}") from None
    requests = kind.warmup_requests(samples)  # bad samples are refused before any folder appears
    with version_folder(model_base, version) as (tmp, target):
        kind.build_archive().write_out(str(tmp), verbose=False)
        write_warmup_requests(tmp, model_base.name, requests)
        write_reference(tmp, kind, requests)
        report = verify_export(tmp)
        report["export_dir"] = str(target.resolve())
        (tmp / REPORT_FILE).write_text(json.dumps(report, indent=1), encoding="utf-8")
    write_models_config(model_base.resolve().parent, serving_root)
    return target
