"""Streaming term and document frequencies."""

from __future__ import annotations

import json
import os
from array import array
from collections import Counter
from collections.abc import Iterable
from itertools import chain, islice
from pathlib import Path

from vocab._atomic import write_text_atomic

__all__ = ["TokenCounts"]

# Documents are counted in chunks of this many: each chunk costs two C-level
# Counter updates, so the per-document Python overhead is a few list operations.
_CHUNK_DOCS = 4096
_SEQUENCES = frozenset({list, tuple})


class TokenCounts:
    """Term frequencies, document frequencies and the number of documents.

    Memory grows with the number of distinct tokens, never with the corpus:
    ``update`` consumes documents one at a time. Partial counts built in other
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
        self.term_freq.update(other.term_freq)
        self.doc_freq.update(other.doc_freq)
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

    # Pickling (process pools, Beam): each token once, counts as packed int64s,
    # about half the bytes of pickling the two Counters.
    def __getstate__(self) -> tuple:
        tokens = list(self.term_freq)
        tf = array("q", self.term_freq.values()).tobytes()
        df = array("q", map(self.doc_freq.__getitem__, tokens)).tobytes()
        return (self.num_docs, tokens, tf, df)

    def __setstate__(self, state: tuple) -> None:
        num_docs, tokens, tf, df = state
        self.num_docs = num_docs
        self.term_freq = Counter()
        self.doc_freq = Counter()
        dict.update(self.term_freq, zip(tokens, array("q", tf)))
        dict.update(self.doc_freq, zip(tokens, array("q", df)))

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
