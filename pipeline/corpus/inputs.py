"""Input paths -> the files to read, each with its format and (folder) label.

Formats: ``txt`` (a document per line), ``tsv``/``csv`` (label and text
columns), ``jsonl``, ``fortunes`` (records separated by ``%`` lines), any of
them gzipped (``.gz``), and ``doc`` (a whole file is one document: the files
of a class-per-folder directory, whose sub-folder names are the labels).

>>> detect_format("train.tsv.gz"), detect_format("notes.txt"), detect_format("x.jsonl")
('tsv', 'txt', 'jsonl')
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CorpusError", "InputFile", "describe_inputs", "detect_format", "expand_inputs"]

_EXTENSIONS = {".txt": "txt", ".text": "txt", ".tsv": "tsv", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_IGNORED_SUFFIXES = {".dat"}  # fortune(6) index files sit beside the fortunes


class CorpusError(ValueError):
    """An input or output path of a corpus job is unusable; the message names it and the fix."""


@dataclass(frozen=True)
class InputFile:
    """A file to read: ``path``, ``format`` (see module doc), ``label`` for class folders."""

    path: str
    format: str
    label: str | None = None


def detect_format(path: str | os.PathLike) -> str:
    """The format from the file name (``.gz`` looked through); no known extension -> ``txt``."""
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return _EXTENSIONS.get(Path(name).suffix, "txt")


def _sniff_fortunes(path: Path) -> bool:
    """A file without extension whose first 64 KiB hold a ``%`` line is a fortunes file."""
    try:
        with path.open("rb") as f:
            head = f.read(65536)
    except OSError:
        return False
    return b"\n%\n" in head or head.startswith(b"%\n")


def _file_entry(path: Path, label: str | None = None, whole_file: bool = False) -> InputFile:
    if whole_file:
        return InputFile(str(path), "doc", label)
    if path.suffix == "" and _sniff_fortunes(path):
        return InputFile(str(path), "fortunes", path.name if label is None else label)
    return InputFile(str(path), detect_format(path), label)


def _listing(folder: Path) -> list[Path]:
    """Visible entries, sorted by name, without index files or links to files already listed."""
    entries, seen = [], set()
    for p in sorted(folder.iterdir()):
        if p.name.startswith(".") or p.suffix in _IGNORED_SUFFIXES:
            continue
        real = p.resolve()
        if real in seen or (p.is_symlink() and real.exists() and real.parent == folder.resolve()):
            continue  # e.g. fortunes' ``art.u8 -> art``: the same file twice
        seen.add(real)
        entries.append(p)
    return entries


def _files_below(folder: Path, seen: set[Path]) -> list[Path]:
    """Every file below ``folder`` not in ``seen`` (resolved paths), listed as ``_listing`` lists a
    folder. Debian's fortunes-cs, say, gives a class folder ``cs/`` of quotation files, without
    their ``.dat`` indexes and ``.u8`` links, and its ``cz/`` of links to them adds nothing."""
    files = []
    for entry in _listing(folder):
        if entry.is_dir():
            files += _files_below(entry, seen)
        elif entry.is_file() and (real := entry.resolve()) not in seen:
            seen.add(real)
            files.append(entry)
    return files


def expand_inputs(paths: list[str | os.PathLike] | str | os.PathLike) -> list[InputFile]:
    """Files of the given paths, in a fixed order (the order of ``paths``, then by name).

    A folder with sub-folders is class-per-folder: every file below
    ``folder/LABEL/`` is one document labelled ``LABEL``. A folder of files
    (e.g. the fortunes folder) is read file by file.

    >>> expand_inputs(["/no/such/corpus.txt"])
    Traceback (most recent call last):
    ...
    pipeline.corpus.inputs.CorpusError: /no/such/corpus.txt: no such file or folder; check the input path
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if not paths:
        raise CorpusError("no input paths given; pass at least one file or folder")
    files: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder; check the input path")
        if path.is_file():
            files.append(_file_entry(path))
            continue
        entries = _listing(path)
        subdirs = [p for p in entries if p.is_dir()]
        for entry in entries:
            if not entry.is_dir():  # a broken link is listed too: its reader counts it unreadable
                files.append(_file_entry(entry))
        seen = {entry.resolve() for entry in entries if not entry.is_dir()}
        for sub in subdirs:
            for file in _files_below(sub, seen):
                files.append(_file_entry(file, label=sub.name, whole_file=True))
    if not files:
        raise CorpusError(f"no files found in {', '.join(map(str, paths))}; check the input paths")
    return files


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:
        return f"unreadable: {err.strerror or err}"
    return digest.hexdigest()


def describe_inputs(files: list[InputFile]) -> list[dict]:
    """Path, format, label, size and SHA-256 of every input file (for manifests and resuming)."""
    out = []
    for f in files:
        try:
            size = os.path.getsize(f.path)
        except OSError:
            size = -1
        out.append({"path": f.path, "format": f.format, "label": f.label, "size": size, "sha256": _sha256(f.path)})
    return out
