"""Streaming readers: every record keeps its source file and line; every skip is counted.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.tsv").write_bytes(b"label\\ttext\\npos\\tgood \\xff film\\nneg\\t\\n")
>>> problems = Problems()
>>> [(r.text, r.label, r.line) for r in read_records(expand_inputs([folder]), problems)]
[('good \\ufffd film', 'pos', 2)]
>>> problems.summary()
'1 empty, 1 invalid_utf8'
"""

from __future__ import annotations

import csv
import gzip
import json
import zlib
from collections.abc import Iterable, Iterator

from pipeline.corpus.inputs import InputFile, expand_inputs  # noqa: F401 (doctest)
from pipeline.corpus.problems import Problems
from pipeline.corpus.records import Record

__all__ = ["read_file", "read_records"]

_SNIFF_BYTES = 8192
_READ_ERRORS = (OSError, EOFError, zlib.error)
csv.field_size_limit(1 << 30)


def _open(path: str):
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def _is_binary(path: str) -> bool:
    with _open(path) as f:
        return b"\0" in f.read(_SNIFF_BYTES)


def _decode(raw: bytes, source: str, line: int, problems: Problems) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.add("invalid_utf8", source, line)
        return raw.decode("utf-8", errors="replace")


def _lines(path: str, problems: Problems) -> Iterator[tuple[int, str]]:
    """``(line number, decoded line with its newline)``; an I/O error ends the file, counted."""
    number = 0
    try:
        with _open(path) as f:
            for number, raw in enumerate(f, start=1):
                yield number, _decode(raw, path, number, problems)
    except _READ_ERRORS:
        problems.add("unreadable", path, number + 1)


def _text_record(text: str, label: str | None, source: str, line: int, problems: Problems) -> Record | None:
    if not text.strip():
        problems.add("empty", source, line)
        return None
    return Record(text, label, source, line)


def _read_txt(file: InputFile, problems: Problems, **_) -> Iterator[Record]:
    for number, line in _lines(file.path, problems):
        record = _text_record(line.rstrip("\r\n"), file.label, file.path, number, problems)
        if record is not None:
            yield record


def _read_doc(file: InputFile, problems: Problems, **_) -> Iterator[Record]:
    try:
        with _open(file.path) as f:
            raw = f.read()
    except _READ_ERRORS:
        problems.add("unreadable", file.path)
        return
    record = _text_record(_decode(raw, file.path, 1, problems).strip(), file.label, file.path, 1, problems)
    if record is not None:
        yield record


def _read_fortunes(file: InputFile, problems: Problems, **_) -> Iterator[Record]:
    lines: list[str] = []
    start = 1
    for number, line in _lines(file.path, problems):
        if line.rstrip("\r\n") == "%":
            if lines:
                record = _text_record("".join(lines).strip(), file.label, file.path, start, problems)
                if record is not None:
                    yield record
            lines, start = [], number + 1
        else:
            lines.append(line)
    if lines and "".join(lines).strip():
        yield Record("".join(lines).strip(), file.label, file.path, start)


def _column_index(header: list[str], column: str | int | None) -> int | None:
    if column is None or isinstance(column, int):
        return column
    return header.index(column) if column in header else None


def _read_table(file: InputFile, problems: Problems, *, text_column, label_column) -> Iterator[Record]:
    """CSV/TSV: a first row naming the text or label column is a header; else label, text."""
    delimiter = "\t" if file.format == "tsv" else ","
    numbers: list[int] = []

    def source() -> Iterator[str]:
        for number, line in _lines(file.path, problems):
            numbers.append(number)
            yield line

    reader = csv.reader(source(), delimiter=delimiter)
    text_idx = label_idx = None
    first = True
    for row in reader:
        line = numbers[0] if numbers else reader.line_num
        numbers.clear()
        if first:
            first = False
            names = [c.strip() for c in row]
            if text_column in names or (label_column is not None and label_column in names):
                text_idx = _column_index(names, text_column)
                label_idx = _column_index(names, label_column)
                if text_idx is None or (label_column is not None and label_idx is None):
                    problems.add("missing_column", file.path, line)
                    return  # the header lacks a column: no row of this file can be read
                continue
            if isinstance(text_column, int):
                text_idx, label_idx = text_column, label_column if isinstance(label_column, int) else None
            elif len(row) >= 2 and label_column is not None:
                label_idx, text_idx = 0, 1
            else:
                text_idx, label_idx = 0, None
        if not row or (len(row) == 1 and not row[0].strip()):
            problems.add("empty", file.path, line)
            continue
        if text_idx >= len(row) or (label_idx is not None and label_idx >= len(row)):
            problems.add("missing_column", file.path, line)
            continue
        label = row[label_idx] if label_idx is not None else file.label
        record = _text_record(row[text_idx], label, file.path, line, problems)
        if record is not None:
            yield record


def _read_jsonl(file: InputFile, problems: Problems, *, text_column, label_column) -> Iterator[Record]:
    for number, line in _lines(file.path, problems):
        if not line.strip():
            problems.add("empty", file.path, number)
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            problems.add("bad_json", file.path, number)
            continue
        text = obj.get(text_column)
        if not isinstance(text, str):
            problems.add("missing_column", file.path, number)
            continue
        label = obj.get(label_column) if label_column is not None else None
        label = file.label if label is None else str(label)
        record = _text_record(text, label, file.path, number, problems)
        if record is not None:
            yield record


_READERS = {
    "txt": _read_txt,
    "doc": _read_doc,
    "fortunes": _read_fortunes,
    "tsv": _read_table,
    "csv": _read_table,
    "jsonl": _read_jsonl,
}


def read_file(
    file: InputFile, problems: Problems, *, text_column: str | int = "text", label_column: str | int | None = "label"
) -> Iterator[Record]:
    """Records of one file; unreadable and binary files are counted in ``problems``."""
    try:
        if _is_binary(file.path):
            problems.add("binary", file.path)
            return
    except _READ_ERRORS:
        problems.add("unreadable", file.path)
        return
    yield from _READERS[file.format](file, problems, text_column=text_column, label_column=label_column)


def read_records(
    files: Iterable[InputFile], problems: Problems, *, text_column: str | int = "text", label_column: str | int | None = "label"
) -> Iterator[Record]:
    """Records of every file in order, streaming (one line in memory at a time)."""
    for file in files:
        yield from read_file(file, problems, text_column=text_column, label_column=label_column)
