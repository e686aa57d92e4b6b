"""Counted, located problems of a batch job: nothing is dropped silently.

>>> p = Problems()
>>> p.add("empty", "a.txt", 3)
>>> p.add("unreadable", "b.txt.gz")
>>> p.counts["empty"], p.where["empty"]
(1, ['a.txt:3'])
>>> p.to_dict()["counts"]["unreadable"]
1
"""

from __future__ import annotations

from collections import Counter

__all__ = ["KINDS", "MAX_LISTED", "Problems"]

# kind -> what happened to the record or file
KINDS = {
    "empty": "blank document, skipped",
    "invalid_utf8": "invalid UTF-8 replaced with U+FFFD, record kept",
    "too_long": "more tokens than text.max_length, truncated",
    "unreadable": "file could not be read (I/O error, corrupt gzip), rest of file skipped",
    "binary": "binary file among text files, skipped",
    "missing_column": "CSV/TSV/JSONL row or file without the text or label column, skipped",
    "bad_json": "JSONL line that is not a JSON object, skipped",
}
MAX_LISTED = 1000  # locations listed per kind; the counts stay exact


class Problems:
    """Counts and ``file:line`` locations per problem kind (first ``MAX_LISTED`` kept)."""

    __slots__ = ("counts", "where")

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.where: dict[str, list[str]] = {}

    def add(self, kind: str, source: str, line: int = 0) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown problem kind {kind!r}; known: {', '.join(KINDS)}")
        self.counts[kind] += 1
        listed = self.where.setdefault(kind, [])
        if len(listed) < MAX_LISTED:
            listed.append(f"{source}:{line}" if line else str(source))

    def merge(self, other: Problems) -> Problems:
        for kind, n in other.counts.items():
            self.counts[kind] += n
            listed = self.where.setdefault(kind, [])
            listed.extend(other.where.get(kind, [])[: MAX_LISTED - len(listed)])
        return self

    def __len__(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict:
        """``{"counts": {kind: n}, "where": {kind: ["file:line", ...]}}`` with every kind present."""
        return {
            "counts": {kind: self.counts.get(kind, 0) for kind in KINDS},
            "where": {kind: list(self.where.get(kind, [])) for kind in KINDS},
        }

    @classmethod
    def from_dict(cls, data: dict) -> Problems:
        """The inverse of :meth:`to_dict`."""
        problems = cls()
        for kind, n in data["counts"].items():
            if n:
                problems.counts[kind] = n
                problems.where[kind] = list(data["where"].get(kind, []))
        return problems

    def summary(self) -> str:
        """One line, e.g. ``"2 empty, 1 invalid_utf8"`` (or ``"no problems"``)."""
        parts = [f"{self.counts[k]} {k}" for k in KINDS if self.counts.get(k)]
        return ", ".join(parts) or "no problems"
