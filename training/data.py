"""Loading an experiment's data as labelled train/validation/test splits."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pipeline.corpus.records import Record
from pipeline.corpus.split import split_records
from training.errors import UserError


def load_text_splits(data: dict[str, Any]) -> dict[str, list[Record]]:
    """Records of the ``[data]`` section, split deterministically."""
    if data["source"] == "fortunes":
        from pipeline.corpus.fortunes import read_fortunes

        try:
            records = read_fortunes(data["path"])
        except FileNotFoundError as err:
            raise UserError(f"data.path: {err}") from None
    else:  # pragma: no cover - validated in training.config
        raise UserError(f"data.source {data['source']!r} is not supported")
    if data.get("max_per_class"):
        records = _cap_per_class(records, data["max_per_class"])
    return split_records(records, fractions=data["split"], seed=data["seed"])


def _cap_per_class(records: list[Record], cap: int) -> list[Record]:
    seen: dict[str | None, int] = defaultdict(int)
    out = []
    for record in records:
        if seen[record.label] < cap:
            seen[record.label] += 1
            out.append(record)
    return out


def label_names(records: list[Record]) -> list[str]:
    """Sorted class names (the label vocabulary: id = position)."""
    return sorted({r.label for r in records if r.label is not None})
