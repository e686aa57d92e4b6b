"""Fixtures for the vocab tests: a small real corpus, split once per session."""

from __future__ import annotations

from pathlib import Path

import pytest


def read_fortunes(path: Path) -> list[list[str]]:
    """Records of one fortune file (separated by `%` lines), split on whitespace."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return [record.split() for record in text.split("\n%\n") if record.split()]


@pytest.fixture(scope="session")
def fortune_docs(fortunes_dir: Path) -> list[list[str]]:
    """About 400 short real documents (the `fortunes` and `goedel` files), lower-cased."""
    docs = read_fortunes(fortunes_dir / "fortunes") + read_fortunes(fortunes_dir / "goedel")
    return [[t.lower() for t in doc] for doc in docs]
