"""TF Serving's folder layout: ``EXPORT_BASE/NAME/VERSION/`` and ``EXPORT_BASE/models.config``.

A version is built in a non-numeric temporary folder beside it (TF Serving
ignores folders whose name is not a number) and renamed into place, so a
server polling the folder never sees a half-written version.

>>> import tempfile, pathlib
>>> base = pathlib.Path(tempfile.mkdtemp())
>>> next_version(base / "fortunes")
1
>>> (base / "fortunes" / "1" ).mkdir(parents=True); (base / "fortunes" / "7").mkdir()
>>> next_version(base / "fortunes")
8
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from training.errors import UserError
from vocab._atomic import write_text_atomic

__all__ = ["MODELS_CONFIG", "next_version", "version_folder", "served_models", "write_models_config"]

MODELS_CONFIG = "models.config"
TEMP_PREFIX = ".export-"


def next_version(model_base: str | os.PathLike) -> int:
    """One more than the highest numeric version folder (1 for a new model)."""
    model_base = Path(model_base)
    if not model_base.is_dir():
        return 1
    versions = [int(p.name) for p in model_base.iterdir() if p.is_dir() and p.name.isdigit()]
    return max(versions, default=0) + 1


@contextmanager
def version_folder(model_base: str | os.PathLike, version: int | None = None) -> Iterator[tuple[Path, Path]]:
    """Yield ``(temporary_folder, final_folder)``; on success rename one to the other.

    Any exception inside the block removes the temporary folder, so nothing
    numeric appears in ``model_base``.
    """
    model_base = Path(model_base)
    model_base.mkdir(parents=True, exist_ok=True)
    version = next_version(model_base) if version is None else int(version)
    if version < 1:
        raise UserError(f"--version must be a positive integer. Received: {version}")
    target = model_base / str(version)
    if target.exists():
        raise UserError(f"{target}: version {version} exists already; omit --version to use the next one")
    tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=model_base))
    try:
        yield tmp, target
        tmp.chmod(0o755)  # mkdtemp makes it 0700; TF Serving may run as another user
        if target.exists():
            raise UserError(f"{target}: appeared while exporting (another export?); run the export again")
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def served_models(export_base: str | os.PathLike) -> list[str]:
    """Names under ``export_base`` that hold at least one numeric version with a ``saved_model.pb``."""
    export_base = Path(export_base)
    if not export_base.is_dir():
        return []
    return sorted(
        d.name for d in export_base.iterdir()
        if d.is_dir() and any(v.name.isdigit() and (v / "saved_model.pb").is_file() for v in d.iterdir())
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_models_config(export_base: str | os.PathLike, serving_root: str | None = None) -> Path:
    """(Re)write ``export_base/models.config``: a ``model_config_list`` listing every served model.

    ``base_path`` is ``serving_root/NAME`` when ``serving_root`` is given (the folder
    where a TF Serving container sees ``export_base``, e.g. ``/models``), else the
    absolute path of ``export_base/NAME`` on this machine. The file is rebuilt from
    the folders on disk and replaced atomically.
    """
    export_base = Path(export_base).resolve()
    root = serving_root.rstrip("/") if serving_root else str(export_base)
    entries = "".join(
        "  config {\n"
        f"    name: {_quote(name)}\n"
        f"    base_path: {_quote(root + '/' + name)}\n"
        '    model_platform: "tensorflow"\n'
        "  }\n"
        for name in served_models(export_base)
    )
    path = export_base / MODELS_CONFIG
    write_text_atomic(path, "model_config_list {\n" + entries + "}\n")
    return path
