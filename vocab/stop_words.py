"""Stop-word lists: spaCy's English list, a list of words, or a file."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["english_stop_words", "load_stop_words"]


def english_stop_words() -> frozenset[str]:
    """spaCy's English stop words (326 words, lowercase)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def load_stop_words(spec: str | os.PathLike | Iterable[str] | None) -> frozenset[str]:
    """Resolve a stop-word setting to a set of words.

    ``spec`` is ``None`` (no stop words), ``"english"`` (spaCy's list), a path to
    a UTF-8 file with one word per line (``#`` starts a comment), or an
    iterable of words.

    >>> sorted(load_stop_words(["a", "the"]))
    ['a', 'the']
    >>> "the" in load_stop_words("english")
    True
    """
    if spec is None:
        return frozenset()
    if isinstance(spec, str) and spec == "english":
        return english_stop_words()
    if isinstance(spec, (str, os.PathLike)):
        path = Path(spec)
        if not path.is_file():
            raise FileNotFoundError(
                f"stop_words={str(spec)!r}: no such file; use 'english', a list of words, "
                "or a path to a file with one word per line"
            )
        words = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                words.append(word)
        return frozenset(words)
    return frozenset(str(w) for w in spec)
