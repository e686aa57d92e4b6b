"""A document with its label and where it came from."""

from __future__ import annotations

from typing import NamedTuple


class Record(NamedTuple):
    """One document: ``text``, optional ``label``, and its ``source`` file and 1-based ``line``."""

    text: str
    label: str | None
    source: str
    line: int
