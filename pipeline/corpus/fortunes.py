"""The Debian ``fortunes`` corpora: one file per category, quotations separated by ``%`` lines.

English (package ``fortunes``) sits in ``/usr/share/games/fortunes``; German, Russian and
Czech (``fortunes-de``, ``fortunes-ru``, ``fortunes-cs``) in a sub-folder each, and Chinese
(``fortunes-zh``) in three files beside the English ones, which the English corpus leaves out.

>>> sorted(LANGUAGES)
['cs', 'de', 'en', 'ru', 'zh']
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.corpus.records import Record

DEFAULT_DIR = Path("/usr/share/games/fortunes")
# fortunes-zh's files, installed in the English folder
CHINESE_FILES = ("chinese", "song100", "tang300")
# language -> Debian package
LANGUAGES = {"en": "fortunes", "de": "fortunes-de", "ru": "fortunes-ru", "cs": "fortunes-cs", "zh": "fortunes-zh"}


def _category_files(folder: Path) -> list[Path]:
    # no ``.dat`` indexes, no ``.u8`` links
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and p.suffix != ".dat")


def fortune_files(directory: str | os.PathLike = DEFAULT_DIR, language: str = "en") -> list[Path]:
    """The category files of one language's fortunes, under a fortunes folder."""
    directory = Path(directory)
    if language not in LANGUAGES:
        raise ValueError(f"fortunes language {language!r} is not one of {', '.join(sorted(LANGUAGES))}")
    package = LANGUAGES[language]
    fix = f"install it with `apt-get install {package}` (or `make data`)"
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: no fortunes folder; {fix}")
    if language == "zh":
        files = [directory / name for name in CHINESE_FILES if (directory / name).is_file()]
    elif language == "en":
        files = [p for p in _category_files(directory) if p.name not in CHINESE_FILES]
    else:
        files = _category_files(directory / language) if (directory / language).is_dir() else []
    if not files:
        raise FileNotFoundError(f"{directory}: no {package} files found; {fix}")
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


def read_fortunes(directory: str | os.PathLike = DEFAULT_DIR, language: str = "en") -> list[Record]:
    """Every quotation of one language's category files, labelled by category.

    English (Debian's ``fortunes``): 15,217 records in 43 categories; ``de``: 18,761 in 49;
    ``ru``: 20,893 in 98; ``cs``: 7,383 in 34; ``zh``: 5,671 in 3.
    """
    return [r for path in fortune_files(directory, language) for r in read_fortune_file(path)]
