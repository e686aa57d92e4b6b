"""Frequency-filtered vocabularies with a padding id and OOV ids.

Id layout (the Keras ``StringLookup`` / ``TextVectorization`` convention)::

    0                              padding / mask ("")
    1 .. num_oov_indices           out-of-vocabulary buckets ("[UNK]")
    next len(specials) ids         reserved tokens such as "<s>", "</s>", in the given order
    then                           tokens by count descending, ties by token ascending
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from vocab._atomic import write_text_atomic
from vocab._farmhash import hash_bucket
from vocab.counts import TokenCounts
from vocab.stop_words import load_stop_words

__all__ = ["MASK_TOKEN", "OOV_TOKEN", "Vocabulary", "VocabularyError", "sidecar_path"]

MASK_TOKEN = ""
OOV_TOKEN = "[UNK]"
SIDECAR_SUFFIX = ".json"


class VocabularyError(ValueError):
    """A vocabulary setting or file is invalid; the message names it."""


def _check_count_or_fraction(name: str, value: int | float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise VocabularyError(f"`{name}` must be an int count or a float fraction. Received: {name}={value!r}")
    if isinstance(value, float) and not 0.0 <= value <= 1.0:
        raise VocabularyError(f"`{name}` as a float is a fraction of documents in [0.0, 1.0]. Received: {name}={value}")
    if value < 0:
        raise VocabularyError(f"`{name}` must be >= 0. Received: {name}={value}")


def _doc_threshold(value: int | float, num_docs: int) -> int | float:
    """scikit-learn semantics: a float is a fraction of documents, an int a count."""
    return value * num_docs if isinstance(value, float) else value


def _argsort(strings: list[str]) -> np.ndarray:
    """Positions of ``strings`` in ascending order (Python's C-level string sort)."""
    return np.fromiter(sorted(range(len(strings)), key=strings.__getitem__), np.int64, len(strings))


def _check_token(token: str, where: str) -> None:
    if not isinstance(token, str):
        raise VocabularyError(f"{where}: tokens must be strings. Received: {token!r}")
    if token == "":
        raise VocabularyError(f"{where}: empty token; the empty string is reserved for padding (id 0)")
    if "\n" in token or "\r" in token:
        raise VocabularyError(f"{where}: token {token!r} contains a newline; a vocabulary file holds one token per line")
    if token == OOV_TOKEN:
        raise VocabularyError(f"{where}: token {OOV_TOKEN!r} is reserved for out-of-vocabulary ids")


@functools.lru_cache(maxsize=1 << 16)
def _hash_bucket(token: str, num_buckets: int) -> int:
    """Cached: the pure-Python FarmHash costs microseconds, and OOV words repeat."""
    return hash_bucket(token, num_buckets)


def _check_num_oov_indices(num_oov_indices: int) -> None:
    if isinstance(num_oov_indices, bool) or not isinstance(num_oov_indices, int) or num_oov_indices < 1:
        raise VocabularyError(
            f"`num_oov_indices` must be an int >= 1. Received: num_oov_indices={num_oov_indices!r}"
        )


def _all_plain_tokens(entries: list) -> bool:
    """Fast path: all strings, none empty, no newline, not the OOV token."""
    if not set(map(type, entries)) <= {str}:
        return False
    text = "".join(entries)
    return "\n" not in text and "\r" not in text and all(entries) and OOV_TOKEN not in entries


def _check_entries(entries: list) -> None:
    """Slow path: find the first bad entry and say which one it is."""
    seen: dict[str, int] = {}
    for i, token in enumerate(entries, start=1):
        _check_token(token, f"vocabulary entry {i}")
        if token in seen:
            raise VocabularyError(f"vocabulary entry {i}: duplicate token {token!r} (first at entry {seen[token]})")
        seen[token] = i


class Vocabulary:
    """An immutable token <-> id mapping with padding and OOV ids.

    Build it from token lists or from :class:`TokenCounts`:

    >>> docs = [["the", "cat", "and", "the", "dog", "play", "."]]
    >>> v = Vocabulary.build(docs)
    >>> v.tokens()
    ['the', '.', 'and', 'cat', 'dog', 'play']
    >>> v.tokens(include_specials=True)[:3]
    ['', '[UNK]', 'the']
    >>> v.encode(["the", "bird"]), v.decode([2, 1, 0])
    ([2, 1], ['the', '[UNK]', ''])
    """

    def __init__(
        self,
        tokens: Sequence[str],
        *,
        specials: Sequence[str] = (),
        num_oov_indices: int = 1,
        term_freq: dict[str, int] | None = None,
        doc_freq: dict[str, int] | None = None,
        num_docs: int = 0,
        settings: dict | None = None,
    ) -> None:
        _check_num_oov_indices(num_oov_indices)
        self._specials = list(specials)
        self._terms = list(tokens)
        self.num_oov_indices = num_oov_indices
        self._term_freq = dict(term_freq or {})
        self._doc_freq = dict(doc_freq or {})
        self._freq_arrays: tuple[np.ndarray, np.ndarray] | None = None  # set by build: dicts made on first use
        self.num_docs = num_docs
        self.settings = dict(settings or {})
        self._table: list[str] | None = None  # id -> token, built on first decode
        entries = self._specials + self._terms
        first = 1 + num_oov_indices
        self._index: dict[str, int] = dict(zip(entries, range(first, first + len(entries))))
        if len(self._index) != len(entries) or not _all_plain_tokens(entries):
            _check_entries(entries)

    # Construction ---------------------------------------------------------

    @classmethod
    def build(
        cls,
        token_docs_or_counts: Iterable[Iterable[str]] | TokenCounts,
        *,
        min_freq: int = 1,
        max_size: int | None = None,
        min_df: int | float | None = None,
        max_df: int | float | None = None,
        stop_words: str | os.PathLike | Iterable[str] | None = None,
        specials: Sequence[str] = (),
        num_oov_indices: int = 1,
    ) -> Vocabulary:
        """Count (if needed), filter, sort and cap.

        ``max_size`` caps the number of regular tokens (padding, OOV and specials
        not counted), like scikit-learn's ``max_features``. ``min_df``/``max_df``
        are document counts (int) or fractions of documents (float).
        """
        if isinstance(min_freq, bool) or not isinstance(min_freq, int) or min_freq < 1:
            raise VocabularyError(f"`min_freq` must be an int >= 1. Received: min_freq={min_freq!r}")
        if max_size is not None and (isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1):
            raise VocabularyError(f"`max_size` must be None or an int >= 1. Received: max_size={max_size!r}")
        _check_count_or_fraction("min_df", min_df)
        _check_count_or_fraction("max_df", max_df)
        _check_num_oov_indices(num_oov_indices)
        counts = token_docs_or_counts
        if not isinstance(counts, TokenCounts):
            counts = TokenCounts().update(counts)
        lo = _doc_threshold(min_df, counts.num_docs) if min_df is not None else 0
        hi = _doc_threshold(max_df, counts.num_docs) if max_df is not None else counts.num_docs
        if lo > hi:
            raise VocabularyError(
                f"min_df={min_df} keeps fewer documents than max_df={max_df} allows "
                f"({lo:g} > {hi:g} of {counts.num_docs} documents); lower min_df or raise max_df"
            )
        stop = load_stop_words(stop_words)
        tokens, tf, df = counts._arrays()
        keep = np.ones(len(tokens), bool)
        index = counts._index
        for token in {*specials, MASK_TOKEN, OOV_TOKEN, *(stop or ())}:
            if token in index:
                keep[index[token]] = False
        if min_freq > 1:
            keep &= tf >= min_freq
        if lo > 0 or hi < counts.num_docs:
            keep &= (df >= lo) & (df <= hi)
        kept = np.flatnonzero(keep)
        # Count descending, ties by token ascending: sort the kept tokens as strings
        # (C-level), then a stable NumPy sort by count.
        kept = kept[_argsort(list(map(tokens.__getitem__, kept.tolist())))]
        kept = kept[np.argsort(-tf[kept], kind="stable")][:max_size]
        tokens = list(map(tokens.__getitem__, kept.tolist()))
        if not tokens:
            raise VocabularyError(
                f"After filtering, no tokens remain (min_freq={min_freq}, min_df={min_df}, "
                f"max_df={max_df}, {len(counts)} distinct tokens in {counts.num_docs} documents). "
                "Try a lower min_freq or min_df, or a higher max_df."
            )
        settings = {
            "min_freq": min_freq,
            "max_size": max_size,
            "min_df": min_df,
            "max_df": max_df,
            "stop_words": stop_words if isinstance(stop_words, (str, type(None))) else sorted(stop),
            "specials": list(specials),
            "num_oov_indices": num_oov_indices,
        }
        vocabulary = cls(
            tokens, specials=specials, num_oov_indices=num_oov_indices, num_docs=counts.num_docs, settings=settings
        )
        vocabulary._freq_arrays = (tf[kept], df[kept])
        return vocabulary

    @property
    def term_freq(self) -> dict[str, int]:
        """Token -> number of occurrences in the counted corpus (empty if unknown)."""
        self._make_freq_dicts()
        return self._term_freq

    @property
    def doc_freq(self) -> dict[str, int]:
        """Token -> number of counted documents that contain it (empty if unknown)."""
        self._make_freq_dicts()
        return self._doc_freq

    def _make_freq_dicts(self) -> None:
        if self._freq_arrays is not None:
            tf, df = self._freq_arrays
            self._term_freq = dict(zip(self._terms, tf.tolist()))
            self._doc_freq = dict(zip(self._terms, df.tolist()))
            self._freq_arrays = None

    # Mapping ----------------------------------------------------------------

    def __len__(self) -> int:
        """Number of ids: padding + OOV + specials + tokens."""
        return 1 + self.num_oov_indices + len(self._specials) + len(self._terms)

    def __contains__(self, token: str) -> bool:
        return token in self._index

    def tokens(self, include_specials: bool = False) -> list[str]:
        """Tokens in id order; with ``include_specials`` the list is indexable by id."""
        if include_specials:
            return [MASK_TOKEN] + [OOV_TOKEN] * self.num_oov_indices + self._specials + self._terms
        return list(self._terms)

    @property
    def specials(self) -> list[str]:
        return list(self._specials)

    def oov_id(self, token: str) -> int:
        """The OOV id of a token not in the vocabulary (Keras' hashing when several buckets)."""
        if self.num_oov_indices == 1:
            return 1
        return 1 + _hash_bucket(token, self.num_oov_indices)

    def token_id(self, token: str) -> int:
        if token == MASK_TOKEN:
            return 0
        idx = self._index.get(token)
        return idx if idx is not None else self.oov_id(token)

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """Token list -> id list; unknown tokens get OOV ids, "" gets 0."""
        index = self._index
        if self.num_oov_indices == 1:
            get = index.get
            return [get(t, 1) if t else 0 for t in tokens]
        return [self.token_id(t) for t in tokens]

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Id list -> token list; OOV ids decode to "[UNK]", 0 to ""."""
        table = self._table
        if table is None:
            table = self._table = self.tokens(include_specials=True)
        out = []
        for i in ids:
            i = int(i)
            if not 0 <= i < len(table):
                raise VocabularyError(f"id {i} is out of range for a vocabulary of {len(table)} ids")
            out.append(table[i])
        return out

    def one_hot(self, tokens: Iterable[str]):
        """Dense one-hot rows (NumPy, float32), shape ``[len(tokens), len(self)]``.

        >>> v = Vocabulary(["the", "and", "dog", "."])
        >>> v.one_hot(["the", "cat"]).argmax(axis=1).tolist()
        [2, 1]
        """
        ids = self.encode(tokens)
        out = np.zeros((len(ids), len(self)), dtype=np.float32)
        out[np.arange(len(ids)), ids] = 1.0
        return out

    # Keras / TensorFlow ---------------------------------------------------------

    def lookup_layer(self, **kwargs):
        """A Keras ``StringLookup`` that maps tokens to exactly the ids of :meth:`encode`."""
        import keras

        return keras.layers.StringLookup(
            vocabulary=self._specials + self._terms,
            mask_token=MASK_TOKEN,
            oov_token=OOV_TOKEN,
            num_oov_indices=self.num_oov_indices,
            **kwargs,
        )

    # Files -------------------------------------------------------------------------

    def save(self, path: str | os.PathLike) -> Path:
        """Write ``path`` (one token per line, specials first) and ``path + '.json'``.

        ``keras.layers.StringLookup(vocabulary=path, mask_token="")`` accepts the
        text file as is and maps tokens to the same ids as :meth:`encode`.
        """
        path = Path(path)
        entries = self._specials + self._terms
        if not _all_plain_tokens(entries):
            _check_entries(entries)  # raises before anything is written
        write_text_atomic(path, "".join(t + "\n" for t in entries))
        sidecar = {
            "format": "lexivision.vocabulary/1",
            "num_oov_indices": self.num_oov_indices,
            "specials": self._specials,
            "num_docs": self.num_docs,
            "settings": self.settings,
            "counts": {t: [self.term_freq.get(t, 0), self.doc_freq.get(t, 0)] for t in self._terms},
        }
        write_text_atomic(sidecar_path(path), json.dumps(sidecar, ensure_ascii=False, indent=1))
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> Vocabulary:
        """Read a vocabulary text file (and its JSON sidecar, when present)."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such vocabulary file")
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise VocabularyError(f"{path}: not UTF-8 ({err})") from None
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if not lines:
            raise VocabularyError(f"{path}: empty vocabulary file; it needs one token per line")
        seen: dict[str, int] = {}
        for n, line in enumerate(lines, start=1):
            token = line.rstrip("\r")
            if token == "":
                raise VocabularyError(f"{path}:{n}: blank line; a vocabulary file holds one non-empty token per line")
            _check_token(token, f"{path}:{n}")
            if token in seen:
                raise VocabularyError(f"{path}:{n}: duplicate token {token!r} (first on line {seen[token]})")
            seen[token] = n
        tokens = [line.rstrip("\r") for line in lines]
        meta = {}
        side = sidecar_path(path)
        if side.is_file():
            try:
                meta = json.loads(side.read_text(encoding="utf-8"))
            except ValueError as err:
                raise VocabularyError(f"{side}: invalid JSON sidecar ({err})") from None
        try:
            specials = list(meta.get("specials", []))
            counts = meta.get("counts", {})
            term_freq = {t: int(c[0]) for t, c in counts.items()}
            doc_freq = {t: int(c[1]) for t, c in counts.items()}
            num_oov_indices = int(meta.get("num_oov_indices", 1))
            num_docs = int(meta.get("num_docs", 0))
            settings = dict(meta.get("settings", {}))
        except (AttributeError, TypeError, ValueError, IndexError) as err:
            raise VocabularyError(f"{side}: malformed sidecar ({err}); delete it or save the vocabulary again") from None
        if tokens[: len(specials)] != specials:
            raise VocabularyError(f"{path}: the first lines do not match the specials {specials} in {side}")
        return cls(
            tokens[len(specials):],
            specials=specials,
            num_oov_indices=num_oov_indices,
            term_freq=term_freq,
            doc_freq=doc_freq,
            num_docs=num_docs,
            settings=settings,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocabulary):
            return NotImplemented
        return self.tokens(include_specials=True) == other.tokens(include_specials=True)

    def __repr__(self) -> str:
        return f"Vocabulary(size={len(self)}, tokens={len(self._terms)}, specials={self._specials}, num_oov_indices={self.num_oov_indices})"


def sidecar_path(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path.with_name(path.name + SIDECAR_SUFFIX)
