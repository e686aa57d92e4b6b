"""The Debian ``fortunes`` corpus: one file per category, quotations separated by ``%`` lines."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.corpus.records import Record

DEFAULT_DIR = Path("/usr/share/games/fortunes")


def fortune_files(directory: str | os.PathLike = DEFAULT_DIR) -> list[Path]:
    """The category files of a fortunes folder (no ``.dat`` indexes, no ``.u8`` links)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(
            f"{directory}: no fortunes folder; install it with `apt-get install fortunes` (or `make data`)"
        )
    files = sorted(
        p for p in directory.iterdir() if p.is_file() and not p.is_symlink() and "." not in p.name
    )
    if not files:
        raise FileNotFoundError(f"{directory}: no fortune files found")
    return files


def read_fortune_file(path: str | os.PathLike, label: str | None = None) -> Iterator[Record]:
    """Yield the quotations of one file; the label defaults to the file name."""
    path = Path(path)
    label = path.name if label is None else label
    lines: list[str] = []
    start = 1
    with path.open("r", encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            if line.rstrip("\r\n") == "%":
                text = "".join(lines).strip()
                if text:
                    yield Record(text, label, str(path), start)
                lines, start = [], number + 1
            else:
                lines.append(line)
    text = "".join(lines).strip()
    if text:
        yield Record(text, label, str(path), start)


def read_fortunes(directory: str | os.PathLike = DEFAULT_DIR) -> list[Record]:
    """Every quotation of every category file, labelled by category.

    On Debian's fortunes package this is 15,217 records in 43 categories.
    """
    return [r for path in fortune_files(directory) for r in read_fortune_file(path)]
