"""Options shared by `lexivision preprocess` and `lexivision vocab build`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from training.errors import UserError


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value!r}")
    return number


def count_or_fraction(value: str) -> int | float:
    """``--min-df 5`` is a document count, ``--min-df 0.01`` a fraction of documents."""
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a document count or a fraction, got {value!r}") from None


def column(value: str) -> str | int:
    """A column name, or a 0-based position for files without a header."""
    return int(value) if value.isdigit() else value


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files (.txt .tsv .csv .jsonl, gzipped too) or folders")
    parser.add_argument("--config", metavar="C.toml", help="text settings ([text] table of an experiment config)")
    parser.add_argument("--workers", type=positive_int, default=None, help="processes (default: number of cores)")
    parser.add_argument("--text-column", type=column, default="text", help="text column name or position (default: text)")
    parser.add_argument("--label-column", type=column, default="label", help="label column name or position (default: label)")


def text_config(path: str | None):
    from pipeline.text.config import ConfigError, TextConfig

    if path is None:
        return TextConfig()
    file = Path(path)
    if not file.is_file():
        raise UserError(f"--config {path}: no such file")
    try:
        return TextConfig.from_toml(file.read_text(encoding="utf-8"))
    except (ConfigError, ValueError, TypeError) as err:
        raise UserError(f"--config {path}: {err}") from None


def check_inputs(paths: list[str]) -> None:
    for path in paths:
        if not os.path.exists(path):
            raise UserError(f"{path}: no such file or folder; check the input path")
