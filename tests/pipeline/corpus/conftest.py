"""Tiny corpora with every kind of bad input, built once per session."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

SMALL_FORTUNES = ("art", "love", "people")  # ~1,900 quotations


@pytest.fixture(scope="session")
def messy_corpus(tmp_path_factory) -> Path:
    """A folder of txt/tsv/csv/jsonl/gz files with empty lines, invalid UTF-8 and bad rows."""
    root = tmp_path_factory.mktemp("messy")
    (root / "a.txt").write_bytes(b"The cat and the dog play.\n\nA caf\xe9 in Paris.\n  \nLast line without newline")
    (root / "b.tsv").write_bytes(b"label\ttext\npos\tA good film.\nneg\tA bad, bad film.\nneg\n")
    (root / "c.csv").write_bytes(b"pos,\"Quoted, with a comma\"\nneg,Plain text\n")
    (root / "d.jsonl").write_bytes(b'{"text": "json one", "label": "pos"}\nnot json\n{"label": "neg"}\n\n{"text": "json two"}\n')
    with gzip.open(root / "e.txt.gz", "wb") as f:
        f.write(b"gzipped one\ngzipped two\n")
    (root / "f.bin").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    return root


@pytest.fixture(scope="session")
def small_fortunes(fortunes_dir, tmp_path_factory) -> list[Path]:
    return [fortunes_dir / name for name in SMALL_FORTUNES]


@pytest.fixture(scope="session")
def class_folders(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("classes")
    for label, docs in {"neg": ["Awful.", "Dull and long."], "pos": ["Great fun!", "", "Loved it."]}.items():
        (root / label).mkdir()
        for i, doc in enumerate(docs):
            (root / label / f"{i}.txt").write_text(doc)
    (root / "pos" / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0\0\x10JFIF\0" + bytes(64))
    return root
