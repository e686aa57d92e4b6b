"""Deterministic train/validation/test splits that do not depend on record order."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")
SPLITS = ("train", "validation", "test")


def split_name(key: str, fractions: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 0) -> str:
    """The split of a record, from a hash of its text: identical texts share a split.

    >>> split_name("hello world"), split_name("hello world")
    ('train', 'train')
    """
    if len(fractions) != 3 or abs(sum(fractions) - 1.0) > 1e-9 or min(fractions) < 0:
        raise ValueError(f"split fractions must be 3 non-negative numbers summing to 1. Received: {list(fractions)}")
    bucket = zlib.crc32(f"{seed}:{key}".encode("utf-8", "replace")) / 2**32
    if bucket < fractions[0]:
        return "train"
    if bucket < fractions[0] + fractions[1]:
        return "validation"
    return "test"


def split_records(records: Iterable[T], key=lambda r: r.text, fractions=(0.8, 0.1, 0.1), seed: int = 0) -> dict[str, list[T]]:
    """Group records into train/validation/test lists."""
    out: dict[str, list[T]] = {name: [] for name in SPLITS}
    for record in records:
        out[split_name(key(record), fractions, seed)].append(record)
    return out
