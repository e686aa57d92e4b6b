"""Streaming term and document frequencies."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from itertools import chain, islice, repeat
from pathlib import Path

import numpy as np

from vocab._atomic import write_text_atomic

__all__ = ["TokenCounts"]

# Documents are counted in chunks of this many. Per chunk, each token costs one
# C-level dict lookup (token -> id); the counting itself is NumPy on int arrays.
_CHUNK_DOCS = 4096
_SEQUENCES = frozenset({list, tuple})
# (document, id) keys are int32 below this bound: they sort about twice as fast as int64.
_INT32_KEYS_BELOW = 2**31


class TokenCounts:
    """Term frequencies, document frequencies and the number of documents.

    Memory grows with the number of distinct tokens, never with the corpus:
    ``update`` consumes documents a chunk at a time. Partial counts built in
    other processes combine with ``merge`` (or ``+``).

    >>> a = TokenCounts().update([["a", "b", "a"]])
    >>> b = TokenCounts().update([["b"]])
    >>> merged = a + b
    >>> merged.term_freq["a"], merged.doc_freq["b"], merged.num_docs
    (2, 2, 2)

    Internally each distinct token has a dense id (``dict`` insertion order) and
    the counts live in two int64 arrays; ``term_freq`` and ``doc_freq`` are
    ``Counter`` snapshots, rebuilt after each change.
    """

    __slots__ = ("_index", "_tf", "_df", "num_docs", "_snapshot")

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._tf = np.zeros(0, np.int64)  # capacity >= len(self._index)
        self._df = np.zeros(0, np.int64)
        self.num_docs = 0
        self._snapshot: tuple[Counter, Counter] | None = None

    # Counting -----------------------------------------------------------------

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
        while chunk := list(islice(docs, _CHUNK_DOCS)):
            if not set(map(type, chunk)) <= _SEQUENCES:
                self._check_documents(chunk)
                chunk = list(map(list, chunk))
            self._count_chunk(chunk)
        return self

    def _count_chunk(self, chunk: list) -> None:
        flat = list(chain.from_iterable(chunk))
        ids = self._ids(flat)
        size = len(self._index)
        # Document frequency: distinct (document, id) pairs, counted per id.
        lengths = np.fromiter(map(len, chunk), np.int64, len(chunk))
        key_type = np.int32 if len(chunk) * size < _INT32_KEYS_BELOW else np.int64
        keys = np.repeat(np.arange(len(chunk), dtype=key_type) * key_type(size), lengths)
        keys += ids.astype(key_type, copy=False)
        keys.sort()
        if len(keys):
            first = np.empty(len(keys), bool)
            first[0] = True
            np.not_equal(keys[1:], keys[:-1], out=first[1:])
            doc_ids = keys[first] % size
            if 16 * len(ids) >= size:  # a big chunk: dense counting
                self._tf[:size] += np.bincount(ids, minlength=size)
                self._df[:size] += np.bincount(doc_ids, minlength=size)
            else:  # a few documents (e.g. one per call from a Beam CombineFn): no O(vocabulary) work
                np.add.at(self._tf, ids, 1)
                np.add.at(self._df, doc_ids, 1)
        self.num_docs += len(chunk)
        self._snapshot = None

    def _ids(self, tokens: list) -> np.ndarray:
        """Dense ids of ``tokens``, adding the new ones to the index (in first-seen order)."""
        index = self._index
        old_size = len(index)
        try:
            if not old_size:  # fresh counts: number the distinct tokens in first-seen order
                index.update(zip(dict.fromkeys(tokens), range(len(tokens))))
                self._reserve(len(index))
                return np.fromiter(map(index.__getitem__, tokens), np.int64, len(tokens))
            # One C-level dict operation per token; new tokens get the placeholder -1.
            ids = np.fromiter(map(index.setdefault, tokens, repeat(-1)), np.int64, len(tokens))
        except TypeError as err:
            for token in [t for t, i in index.items() if i < 0]:  # undo the partial chunk
                del index[token]
            raise TypeError(f"TokenCounts: tokens must be strings ({err}); documents are lists of str") from None
        if len(index) > old_size:
            where = np.flatnonzero(ids < 0)
            new_at = list(map(tokens.__getitem__, where.tolist()))
            new = dict.fromkeys(new_at)
            index.update(zip(new, range(old_size, old_size + len(new))))
            ids[where] = np.fromiter(map(index.__getitem__, new_at), np.int64, len(new_at))
            self._reserve(len(index))
        return ids

    def _reserve(self, size: int) -> None:
        if size > len(self._tf):
            capacity = max(size, 2 * len(self._tf), 1024)
            self._tf = np.concatenate([self._tf, np.zeros(capacity - len(self._tf), np.int64)])
            self._df = np.concatenate([self._df, np.zeros(capacity - len(self._df), np.int64)])

    def _check_documents(self, chunk: list) -> None:
        for i, doc in enumerate(chunk):
            if isinstance(doc, (str, bytes)):
                raise TypeError(
                    f"TokenCounts.update: document {self.num_docs + i + 1} is a string ({doc[:40]!r}), "
                    "not a list of tokens; tokenize it first (pipeline.tokenize)."
                )

    def merge(self, other: TokenCounts) -> TokenCounts:
        """Add ``other``'s counts into this one and return it."""
        tokens, tf, df = other._arrays()
        tf, df = tf.copy(), df.copy()  # ``other`` may be ``self``
        ids = self._ids(tokens)
        self._tf[ids] += tf  # ids are distinct: plain fancy-index addition is exact
        self._df[ids] += df
        self.num_docs += other.num_docs
        self._snapshot = None
        return self

    def __add__(self, other: TokenCounts) -> TokenCounts:
        if not isinstance(other, TokenCounts):
            return NotImplemented
        return TokenCounts().merge(self).merge(other)

    # Reading ------------------------------------------------------------------

    def _arrays(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        size = len(self._index)
        return list(self._index), self._tf[:size], self._df[:size]

    def _counters(self) -> tuple[Counter, Counter]:
        if self._snapshot is None:
            tokens, tf, df = self._arrays()
            term_freq, doc_freq = Counter(), Counter()
            dict.update(term_freq, zip(tokens, tf.tolist()))
            dict.update(doc_freq, zip(tokens, df.tolist()))
            self._snapshot = (term_freq, doc_freq)
        return self._snapshot

    @property
    def term_freq(self) -> Counter:
        """Token -> number of occurrences (a snapshot: editing it changes nothing)."""
        return self._counters()[0]

    @property
    def doc_freq(self) -> Counter:
        """Token -> number of documents that contain it (a snapshot)."""
        return self._counters()[1]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenCounts):
            return NotImplemented
        return (
            self.num_docs == other.num_docs
            and self.term_freq == other.term_freq
            and self.doc_freq == other.doc_freq
        )

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"TokenCounts(distinct={len(self)}, docs={self.num_docs})"

    @property
    def num_tokens(self) -> int:
        return int(self._tf[: len(self._index)].sum())

    # Pickling (process pools, Beam): each token once, then two lists of counts
    # in the same order (pickle stores small ints in 2-3 bytes).
    def __getstate__(self) -> tuple:
        tokens, tf, df = self._arrays()
        return (self.num_docs, tokens, tf.tolist(), df.tolist())

    def __setstate__(self, state: tuple) -> None:
        num_docs, tokens, tf, df = state
        self._index = dict(zip(tokens, range(len(tokens))))
        self._tf = np.array(tf, np.int64).reshape(-1)
        self._df = np.array(df, np.int64).reshape(-1)
        self.num_docs = num_docs
        self._snapshot = None

    # Files ----------------------------------------------------------------------

    def to_dict(self) -> dict:
        tokens, tf, df = self._arrays()
        return {
            "num_docs": self.num_docs,
            "terms": sorted(map(list, zip(tokens, tf.tolist(), df.tolist()))),
        }

    @classmethod
    def from_dict(cls, data: dict) -> TokenCounts:
        counts = cls()
        terms = data["terms"]
        counts.__setstate__(
            (int(data["num_docs"]), [str(t[0]) for t in terms], [int(t[1]) for t in terms], [int(t[2]) for t in terms])
        )
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
        except (ValueError, KeyError, TypeError, IndexError) as err:
            raise ValueError(f"{path}: not a token-counts file written by TokenCounts.save ({err})") from None
