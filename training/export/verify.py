"""Prove an export servable: reference outputs at export time, then ``serve_check.py`` in a fresh process.

The check runs as ``python -I training/serve_check.py --verify EXPORT_DIR``
from an empty working directory, so it sees only what TF Serving sees: the
SavedModel, tensorflow and tensorflow_text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training.errors import UserError
from training.export.run_kind import RunKind
from training.export.warmup import Request

__all__ = ["ATOL", "ExportVerificationError", "REFERENCE_FILE", "REPORT_FILE", "write_reference", "verify_export"]

ATOL = 1e-5
REFERENCE_FILE = Path("assets.extra") / "lexivision_reference.json"
REPORT_FILE = Path("assets.extra") / "lexivision_verification.json"
SERVE_CHECK = Path(__file__).resolve().parent.parent / "serve_check.py"


class ExportVerificationError(UserError):
    """The export failed a servability check; ``report`` holds every finding."""

    def __init__(self, message: str, report: dict[str, Any] | None = None):
        super().__init__(message)
        self.report = report or {}


def _jsonable(array: np.ndarray) -> Any:
    array = np.asarray(array)
    if array.dtype.kind in "OSU":
        return np.vectorize(lambda b: b.decode("utf-8") if isinstance(b, bytes) else str(b), otypes=[object])(array).tolist()
    return array.tolist()


def write_reference(export_dir: str | os.PathLike, kind: RunKind, requests: Sequence[Request]) -> Path:
    """Write the expected signatures and the in-memory model's outputs for every warmup request."""
    outputs = [{k: _jsonable(v) for k, v in kind.reference(sig, inputs).items()} for sig, inputs in requests]
    path = Path(export_dir) / REFERENCE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    reference = {"kind": kind.kind, "atol": ATOL, "signatures": kind.signatures(), "warmup_outputs": outputs}
    path.write_text(json.dumps(reference), encoding="utf-8")
    return path


def resolve_export_dir(path: str | os.PathLike) -> Path:
    """A version folder, or the highest version inside a model folder ``EXPORT_BASE/NAME``."""
    path = Path(path)
    if (path / "saved_model.pb").is_file():
        return path
    versions = sorted((int(p.name), p) for p in path.glob("*") if p.name.isdigit() and (p / "saved_model.pb").is_file())
    if not versions:
        raise UserError(f"{path}: no saved_model.pb here nor in a numeric version folder; pass EXPORT_BASE/NAME/VERSION")
    return versions[-1][1]


def verify_export(export_dir: str | os.PathLike, *, timeout: float = 600) -> dict[str, Any]:
    """Run every servability check on ``export_dir`` in a fresh process; return the report or raise.

    Raises :class:`ExportVerificationError` naming the first failed check.
    """
    export_dir = resolve_export_dir(export_dir).resolve()
    if not (export_dir / REFERENCE_FILE).is_file():
        raise UserError(f"{export_dir / REFERENCE_FILE}: missing; only exports written by `lexivision export` can be verified")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with tempfile.TemporaryDirectory(prefix="lexivision-verify-") as empty:
        proc = subprocess.run(
            [sys.executable, "-I", str(SERVE_CHECK), "--verify", str(export_dir)],
            cwd=empty, env=env, capture_output=True, text=True, timeout=timeout,
        )
    lines = proc.stdout.strip().splitlines()
    try:
        report = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise ExportVerificationError(f"{export_dir}: the fresh-process check crashed (exit {proc.returncode}): {tail}") from None
    if not report.get("ok"):
        raise ExportVerificationError(f"{export_dir}: not servable: {report['errors'][0]}", report)
    return report
