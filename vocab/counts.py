"""Streaming term and document frequencies."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from itertools import chain, islice, repeat
from operator import add
from pathlib import Path

from vocab._atomic import write_text_atomic

__all__ = ["TokenCounts"]

# Documents are counted in chunks of this many: each chunk costs two C-level
# Counter updates, so the per-document Python overhead is a few list operations.
_CHUNK_DOCS = 4096
_SEQUENCES = frozenset({list, tuple})


def _add_into(total: Counter, part: Counter) -> None:
    """``total += part`` for positive counts, without a Python-level loop."""
    if not total:
        dict.update(total, part)
        return
    tokens = list(part)
    dict.update(total, zip(tokens, map(add, map(total.get, tokens, repeat(0)), part.values())))


class TokenCounts:
    """Term frequencies, document frequencies and the number of documents.

    Memory grows with the number of distinct tokens, never with the corpus:
    ``update`` consumes documents a chunk at a time. Partial counts built in other
    processes combine with ``merge`` (or ``+``).

    >>> a = TokenCounts().update([["a", "b", "a"]])
    >>> b = TokenCounts().update([["b"]])
    >>> merged = a + b
    >>> merged.term_freq["a"], merged.doc_freq["b"], merged.num_docs
    (2, 2, 2)
    """

    __slots__ = ("term_freq", "doc_freq", "num_docs")

    def __init__(self) -> None:
        self.term_freq: Counter[str] = Counter()
        self.doc_freq: Counter[str] = Counter()
        self.num_docs = 0

    def update(self, token_docs: Iterable[Iterable[str]]) -> TokenCounts:
        """Count every document of ``token_docs`` (an iterable of token lists).

        Streams: only one chunk of documents is held at a time. A document may
        be any iterable of tokens (list, tuple, generator); a bare string is
        refused, since counting its characters is never what was meant.

        >>> TokenCounts().update(iter([("a", "b"), (t for t in "ab")])).doc_freq["a"]
        2
        >>> TokenCounts().update(["a b"])
        Traceback (most recent call last):
        ...
        TypeError: TokenCounts.update: document 1 is a string ('a b'), not a list of tokens; tokenize it first (pipeline.tokenize).
        """
        docs = iter(token_docs)
        count_terms, count_docs = self.term_freq.update, self.doc_freq.update
        while chunk := list(islice(docs, _CHUNK_DOCS)):
            kinds = set(map(type, chunk))
            if not kinds <= _SEQUENCES:
                self._check_documents(chunk)
                chunk = list(map(list, chunk))
            count_terms(chain.from_iterable(chunk))
            count_docs(chain.from_iterable(map(set, chunk)))
            self.num_docs += len(chunk)
        return self

    def _check_documents(self, chunk: list) -> None:
        for i, doc in enumerate(chunk):
            if isinstance(doc, (str, bytes)):
                raise TypeError(
                    f"TokenCounts.update: document {self.num_docs + i + 1} is a string ({doc[:40]!r}), "
                    "not a list of tokens; tokenize it first (pipeline.tokenize)."
                )

    def merge(self, other: TokenCounts) -> TokenCounts:
        """Add ``other``'s counts into this one and return it."""
        if other is self:
            other = TokenCounts().merge(self)
        _add_into(self.term_freq, other.term_freq)
        _add_into(self.doc_freq, other.doc_freq)
        self.num_docs += other.num_docs
        return self

    def __add__(self, other: TokenCounts) -> TokenCounts:
        if not isinstance(other, TokenCounts):
            return NotImplemented
        return TokenCounts().merge(self).merge(other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenCounts):
            return NotImplemented
        return (
            self.num_docs == other.num_docs
            and self.term_freq == other.term_freq
            and self.doc_freq == other.doc_freq
        )

    def __len__(self) -> int:
        return len(self.term_freq)

    # Pickling (process pools, Beam): each token once, then two lists of counts
    # in the same order (pickle stores small ints in 2-3 bytes).
    def __getstate__(self) -> tuple:
        tokens = list(self.term_freq)
        doc_freq = list(map(self.doc_freq.__getitem__, tokens))
        return (self.num_docs, tokens, list(self.term_freq.values()), doc_freq)

    def __setstate__(self, state: tuple) -> None:
        num_docs, tokens, term_freq, doc_freq = state
        self.num_docs = num_docs
        self.term_freq = Counter()
        self.doc_freq = Counter()
        dict.update(self.term_freq, zip(tokens, term_freq))
        dict.update(self.doc_freq, zip(tokens, doc_freq))

    def __repr__(self) -> str:
        return f"TokenCounts(distinct={len(self)}, docs={self.num_docs})"

    @property
    def num_tokens(self) -> int:
        return sum(self.term_freq.values())

    def to_dict(self) -> dict:
        return {
            "num_docs": self.num_docs,
            "terms": [[t, c, self.doc_freq[t]] for t, c in sorted(self.term_freq.items())],
        }

    @classmethod
    def from_dict(cls, data: dict) -> TokenCounts:
        counts = cls()
        counts.num_docs = int(data["num_docs"])
        for token, tf, df in data["terms"]:
            counts.term_freq[token] = int(tf)
            counts.doc_freq[token] = int(df)
        return counts

    def save(self, path: str | os.PathLike) -> None:
        """Write the counts as JSON (atomically)."""
        write_text_atomic(path, json.dumps(self.to_dict(), ensure_ascii=False))

    @classmethod
    def load(cls, path: str | os.PathLike) -> TokenCounts:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_dict(data)
        except FileNotFoundError:
            raise FileNotFoundError(f"{path}: no such token-counts file") from None
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{path}: not a token-counts file written by TokenCounts.save ({err})") from None
