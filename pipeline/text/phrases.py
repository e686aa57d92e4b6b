"""Multiword expressions: merge known phrases into single tokens.

Matching is greedy, left to right, longest phrase first; the Python merger
and the graph op implement the same rule.

>>> PhraseMerger([("san", "francisco"), ("new", "york", "city")]).merge("i love san francisco".split())
['i', 'love', 'san francisco']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["PhraseMerger", "learn_phrases", "save_phrases"]


class PhraseMerger:
    """Merge known phrases (token tuples) into single tokens joined by a space."""

    def __init__(self, phrases: Iterable[Sequence[str]]) -> None:
        self.phrases = sorted({tuple(p) for p in phrases if len(p) > 1}, key=lambda p: (-len(p), p))
        self._set = set(self.phrases)
        self.lengths = sorted({len(p) for p in self.phrases}, reverse=True)

    @classmethod
    def from_config(cls, config) -> PhraseMerger:
        """Tokenise each phrase of ``config`` with the config's own rules."""
        from pipeline.text.tokenize import normalize, split_tokens, to_text

        phrases = [split_tokens(normalize(to_text(p), config), config) for p in config.all_phrases()]
        return cls(phrases)

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def merge(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        i, n = 0, len(tokens)
        known, lengths = self._set, self.lengths
        while i < n:
            for length in lengths:
                if i + length <= n and tuple(tokens[i : i + length]) in known:
                    out.append(" ".join(tokens[i : i + length]))
                    i += length
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out


def learn_phrases(
    token_docs: Iterable[Sequence[str]],
    *,
    min_count: int = 5,
    threshold: float = 0.5,
    max_phrases: int | None = None,
    exclude: Iterable[str] = (),
) -> list[str]:
    """Bigram collocations by normalised PMI, as phrases (tokens joined by a space).

    ``npmi(a, b) = ln(p(a b) / (p(a) p(b))) / -ln p(a b)`` in [-1, 1]; bigrams
    seen at least ``min_count`` times with ``npmi >= threshold`` are kept, best
    first (ties by text). Bigrams with a token in ``exclude`` (stop words) or
    a token without a letter or digit (punctuation) are skipped. The result can go into ``TextConfig.phrases`` or
    a ``phrases_file`` (see :func:`save_phrases`) and merges identically in
    both executions.

    >>> docs = [["new", "york", "is", "big"], ["i", "love", "new", "york"], ["york", "is", "old"]] * 3
    >>> learn_phrases(docs, min_count=3, threshold=0.4)[:2]
    ['i love', 'new york']
    """
    import math
    from collections import Counter

    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"`min_count` must be an int >= 1. Received: min_count={min_count!r}")
    if not -1.0 <= threshold <= 1.0:
        raise ValueError(f"`threshold` is an NPMI in [-1, 1]. Received: threshold={threshold!r}")
    skip = set(exclude)
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()
    for tokens in token_docs:
        unigrams.update(tokens)
        bigrams.update(zip(tokens, tokens[1:]))
    total = sum(unigrams.values())
    scored = []
    for (a, b), n in bigrams.items():
        if n < min_count or a in skip or b in skip or " " in a + b:
            continue
        if not (any(c.isalnum() for c in a) and any(c.isalnum() for c in b)):
            continue
        p_ab = n / total
        if p_ab >= 1.0:
            continue
        npmi = math.log(p_ab / ((unigrams[a] / total) * (unigrams[b] / total))) / -math.log(p_ab)
        if npmi >= threshold:
            scored.append((-npmi, f"{a} {b}"))
    scored.sort()
    phrases = [p for _, p in scored]
    return phrases[:max_phrases] if max_phrases is not None else phrases


def save_phrases(phrases: Iterable[str], path) -> None:
    """Write a ``phrases_file``: one phrase per line, atomically."""
    from pathlib import Path

    from vocab._atomic import write_text_atomic

    write_text_atomic(Path(path), "".join(p.strip() + "\n" for p in phrases if p.strip()))
