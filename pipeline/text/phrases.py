"""Multiword expressions: merge known phrases into single tokens.

Matching is greedy, left to right, longest phrase first; the Python merger
and the graph op implement the same rule.

>>> PhraseMerger([("san", "francisco"), ("new", "york", "city")]).merge("i love san francisco".split())
['i', 'love', 'san francisco']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class PhraseMerger:
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
