"""Loading an experiment's data as labelled train/validation/test splits.

Text sources: ``fortunes`` (a folder of category files) and ``table``
(``.tsv``/``.csv``/``.jsonl``, optionally gzipped, with label and text
columns). Image source: ``fashion_mnist`` (the four IDX files, gzipped or not;
the ``t10k`` files are the test split).
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from pipeline.corpus.records import Record
from pipeline.corpus.split import split_records
from training.errors import UserError

__all__ = ["load_text_splits", "load_image_splits", "label_names", "read_table", "read_idx"]


def load_text_splits(data: dict[str, Any]) -> dict[str, list[Record]]:
    """Records of the ``[data]`` section, split deterministically by a hash of the text."""
    if data["source"] == "fortunes":
        from pipeline.corpus.fortunes import read_fortunes

        try:
            records = read_fortunes(data["path"])
        except FileNotFoundError as err:
            raise UserError(f"data.path: {err}") from None
    elif data["source"] == "table":
        records = read_table(Path(data["path"]), data["label_column"], data["text_column"])
    else:
        raise UserError(f"data.source {data['source']!r} holds no text")
    if data.get("max_per_class"):
        records = _cap_per_class(records, data["max_per_class"])
    return split_records(records, fractions=data["split"], seed=data["seed"])


def read_table(path: Path, label_column: str, text_column: str) -> list[Record]:
    """Records of a ``.tsv``/``.csv``/``.jsonl`` file (gzipped or not).

    A row without a text or a label is an error naming the file and line.
    """
    from training.config import _table_format

    fmt = _table_format(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    records = []
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as f:
        if fmt == "jsonl":
            rows = ((n, _json_row(path, n, line)) for n, line in enumerate(f, start=1) if line.strip())
        else:
            reader = csv.DictReader(f, delimiter="\t" if fmt == "tsv" else ",")
            rows = ((reader.line_num, row) for row in reader)
        for line, row in rows:
            text, label = row.get(text_column), row.get(label_column)
            if text is None or label is None or str(label) == "":
                raise UserError(f"{path}, line {line}: missing {text_column!r} or {label_column!r}; fix or remove the row")
            records.append(Record(str(text), str(label), str(path), line))
    if not records:
        raise UserError(f"data.path: {path}: no rows")
    return records


def _json_row(path: Path, line: int, text: str) -> dict:
    try:
        row = json.loads(text)
    except json.JSONDecodeError as err:
        raise UserError(f"{path}, line {line}: invalid JSON ({err})") from None
    if not isinstance(row, dict):
        raise UserError(f"{path}, line {line}: expected a JSON object")
    return row


def _cap_per_class(records: list, cap: int, label=lambda r: r.label) -> list:
    seen: dict[Any, int] = defaultdict(int)
    out = []
    for record in records:
        if seen[label(record)] < cap:
            seen[label(record)] += 1
            out.append(record)
    return out


def label_names(records: list[Record]) -> list[str]:
    """Sorted class names (the label vocabulary: id = position)."""
    return sorted({r.label for r in records if r.label is not None})


# Images ---------------------------------------------------------------------------------

FASHION_MNIST_LABELS = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]


def read_idx(path: Path):
    """A NumPy array from an IDX file (gzipped or not): uint8 images ``[n, rows, cols]`` or labels ``[n]``."""
    import numpy as np

    raw = gzip.open(path, "rb").read() if path.name.endswith(".gz") else path.read_bytes()
    if len(raw) < 8 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise UserError(f"{path}: not an unsigned-byte IDX file (bad magic number)")
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    offset = 4 + 4 * dims
    size = int(np.prod(shape))
    if len(raw) - offset != size:
        raise UserError(f"{path}: truncated IDX file ({len(raw) - offset} bytes of data, header says {size})")
    return np.frombuffer(raw, dtype=np.uint8, offset=offset).reshape(shape)


def _idx_file(folder: Path, stem: str) -> Path:
    plain = folder / stem
    return plain if plain.is_file() else folder / f"{stem}.gz"


def load_image_splits(data: dict[str, Any]):
    """``{"train"|"validation"|"test": (images uint8 [n, H, W, C], labels int64 [n])}`` and the class names.

    Validation is a seeded random ``data.validation_fraction`` of the training file.
    """
    import numpy as np

    if data["source"] != "fashion_mnist":
        raise UserError(f"data.source {data['source']!r} holds no images")
    folder = Path(data["path"])
    arrays = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx(_idx_file(folder, f"{prefix}-images-idx3-ubyte"))
        labels = read_idx(_idx_file(folder, f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
        if len(images) != len(labels):
            raise UserError(f"{folder}: {prefix} has {len(images)} images but {len(labels)} labels")
        if data.get("max_per_class"):
            keep = np.array(_cap_per_class(list(range(len(labels))), data["max_per_class"], label=lambda i: labels[i]))
            images, labels = images[keep], labels[keep]
        arrays[split] = (images[..., None], labels)
    images, labels = arrays["train"]
    order = np.random.default_rng(data["seed"]).permutation(len(labels))
    n_val = max(1, int(round(len(labels) * data["validation_fraction"])))
    val, train = order[:n_val], np.sort(order[n_val:])
    arrays["validation"] = (images[val], labels[val])
    arrays["train"] = (images[train], labels[train])
    return {k: arrays[k] for k in ("train", "validation", "test")}, list(FASHION_MNIST_LABELS)
