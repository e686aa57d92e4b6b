"""Pretrained word vectors (word2vec or GloVe text format) as an embedding matrix."""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vocab import Vocabulary

__all__ = ["WordVectorReport", "load_word_vectors"]


@dataclass
class WordVectorReport:
    """How many vocabulary words a vectors file covered."""

    path: str
    found: int
    total: int
    lowercase_matches: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def fraction(self) -> float:
        return self.found / self.total if self.total else 0.0

    def __str__(self) -> str:
        text = f"{self.path}: {self.found} of {self.total} vocabulary words found ({self.fraction:.1%})"
        if self.lowercase_matches:
            text += f", {self.lowercase_matches} of them by lowercase"
        if self.missing:
            text += "; missing e.g. " + ", ".join(self.missing)
        return text


def _open(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    return opener(path, "rt", encoding="utf-8", errors="replace")


def load_word_vectors(
    path: str | os.PathLike, vocabulary: Vocabulary, *, seed: int = 0
) -> tuple[np.ndarray, WordVectorReport]:
    """An embedding matrix ``[len(vocabulary), dim]`` for ``vocabulary`` and a coverage report.

    The file is text, one ``word v1 ... vdim`` per line, optionally gzipped;
    a first line ``count dim`` (word2vec) is skipped, GloVe has none. A word
    is matched exactly, else by the first file word whose lowercase equals it.
    Padding (row 0) is zeros; rows of words not found are drawn from a normal
    with the found vectors' standard deviation (``seed`` fixes them).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "vectors.txt"
    >>> _ = f.write_text("2 3\\nThe 1 2 3\\ncat 4 5 6\\n")
    >>> matrix, report = load_word_vectors(f, Vocabulary(["the", "cat", "dog"]))
    >>> matrix.shape, matrix[3].tolist(), report.found, report.missing
    ((5, 3), [4.0, 5.0, 6.0], 2, ['dog'])
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such word vectors file (word2vec or GloVe text format)")
    table = vocabulary.tokens(include_specials=True)
    wanted = {token: i for i, token in enumerate(table) if i > vocabulary.num_oov_indices}
    exact: dict[int, np.ndarray] = {}
    by_lower: dict[int, np.ndarray] = {}
    dim = None
    with _open(path) as f:
        for number, line in enumerate(f, start=1):
            parts = line.rstrip("\n").rstrip(" ").split(" ")
            if number == 1 and len(parts) == 2 and all(p.isdigit() for p in parts):
                dim = int(parts[1])
                continue
            if not line.strip():
                continue
            if dim is None:
                dim = len(parts) - 1
                if dim < 1:
                    raise ValueError(f"{path}:{number}: expected 'word v1 v2 ...', found {line.strip()!r:.60}")
            if len(parts) < dim + 1:
                raise ValueError(
                    f"{path}:{number}: expected a word and {dim} numbers, found {len(parts) - 1} fields; "
                    f"is this a word2vec/GloVe text file?"
                )
            word = " ".join(parts[: len(parts) - dim])
            i = wanted.get(word)
            j = None if i is not None else wanted.get(word.lower())
            if i is None and (j is None or j in by_lower):
                continue
            try:
                vector = np.asarray(parts[len(parts) - dim :], dtype=np.float32)
            except ValueError:
                raise ValueError(f"{path}:{number}: a vector value of {word!r} is not a number") from None
            if i is not None:
                exact.setdefault(i, vector)
            else:
                by_lower[j] = vector
    if dim is None:
        raise ValueError(f"{path}: no word vectors in the file")
    found = {**by_lower, **exact}
    rng = np.random.default_rng(seed)
    scale = float(np.std(np.stack(list(found.values())))) if found else 0.05
    matrix = rng.normal(0.0, scale or 0.05, size=(len(table), dim)).astype(np.float32)
    matrix[0] = 0.0
    for i, vector in found.items():
        matrix[i] = vector
    lowered = sum(1 for i in by_lower if i not in exact)
    missing = [table[i] for i in sorted(wanted.values()) if i not in found]
    report = WordVectorReport(str(path), len(found), len(wanted), lowered, missing[:10])
    return matrix, report
