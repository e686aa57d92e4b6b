"""Streaming term and document frequencies."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from vocab._atomic import write_text_atomic


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
        """Count every document of ``token_docs`` (an iterable of token lists)."""
        term_freq, doc_freq = self.term_freq, self.doc_freq
        num_docs = 0
        for doc in token_docs:
            if isinstance(doc, str):
                raise TypeError(
                    "TokenCounts.update expects an iterable of token lists, got a string "
                    f"document {doc[:40]!r}; tokenize it first (pipeline.tokenize)."
                )
            doc = list(doc)
            term_freq.update(doc)
            doc_freq.update(set(doc))
            num_docs += 1
        self.num_docs += num_docs
        return self

    def merge(self, other: TokenCounts) -> TokenCounts:
        """Add ``other``'s counts into this one and return it."""
        self.term_freq.update(other.term_freq)
        self.doc_freq.update(other.doc_freq)
        self.num_docs += other.num_docs
        return self

    def __add__(self, other: TokenCounts) -> TokenCounts:
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
