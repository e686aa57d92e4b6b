"""Interpolated Kneser-Ney with NLTK's formulas (``nltk.lm.KneserNeyInterpolated``), from precomputed counts.

NLTK scores one n-gram at a time by scanning every higher-order n-gram (about
20 n-grams/s on the fortunes corpus); here every count that a score needs is
counted once, so a whole test set and a grid of discounts take seconds. The
formulas are NLTK 3.9's, including its choices:

- highest order: ``alpha = max(c(ctx, w) - d, 0) / c(ctx)``,
  ``gamma = d * N1+(ctx .) / c(ctx)``;
- lower orders: ``alpha = max(N1+(. ctx w) - d, 0) / N1+(. ctx .)``,
  ``gamma = d * N1+(ctx .) / N1+(. ctx .)`` (``N1+(ctx .)`` from raw counts);
- unigrams: ``N1+(. w) / N1+(. .)``, no further interpolation;
- a context never seen at its order: ``alpha = 0, gamma = 1``.

Sentences are padded like ``nltk.lm.preprocessing.padded_everygram_pipeline``
on the left (``order - 1`` pad ids) and end with the end-of-text id; every
k-gram (k = 1..order) of the padded sequence is counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

__all__ = ["KneserNeyCounts"]


def _padded(ids: Sequence[int], order: int, pad_id: int, end_id: int) -> list[int]:
    return [pad_id] * (order - 1) + [int(i) for i in ids] + [end_id]


class KneserNeyCounts:
    """All the counts an interpolated Kneser-Ney model of ``order`` needs, from training id sequences."""

    def __init__(self, docs: Sequence[Sequence[int]], order: int, pad_id: int, end_id: int) -> None:
        self.order, self.pad_id, self.end_id = order, pad_id, end_id
        grams: list[Counter] = [Counter() for _ in range(order + 1)]  # grams[k]: k-gram -> count
        for doc in docs:
            seq = _padded(doc, order, pad_id, end_id)
            for k in range(1, order + 1):
                grams[k].update(zip(*(seq[i:] for i in range(k))))
        self.grams = grams
        # raw: per context (k-1 words) -> total count and number of distinct next words
        self.context_total: list[Counter] = [Counter() for _ in range(order + 1)]
        self.context_types: list[Counter] = [Counter() for _ in range(order + 1)]
        for k in range(1, order + 1):
            total, types = self.context_total[k], self.context_types[k]
            for gram, count in grams[k].items():
                total[gram[:-1]] += count
                types[gram[:-1]] += 1
        # continuation: for a k-gram (ctx, w), the number of distinct x with (x, ctx, w) a (k+1)-gram type;
        # and per ctx the number of (k+1)-gram types (x, ctx, w')
        self.continuation: list[Counter] = [Counter() for _ in range(order + 1)]
        self.continuation_total: list[Counter] = [Counter() for _ in range(order + 1)]
        for k in range(1, order):
            cont, cont_total = self.continuation[k], self.continuation_total[k]
            for gram in grams[k + 1]:
                cont[gram[1:]] += 1
                cont_total[gram[1:-1]] += 1

    def components(self, docs: Sequence[Sequence[int]]):
        """Per target position of ``docs`` and per context length m = 1..order-1: the counts of the
        interpolation, so that :meth:`probabilities` costs only NumPy work per discount."""
        order = self.order
        unigram = []
        levels = {m: ([], [], [], []) for m in range(1, order)}  # count, total, types, present
        all_bigram_types = len(self.grams[2]) if order >= 2 else 0
        for doc in docs:
            seq = _padded(doc, order, self.pad_id, self.end_id)
            for t in range(order - 1, len(seq)):
                w = seq[t]
                if order >= 2:
                    unigram.append(self.continuation[1][(w,)] / all_bigram_types)
                else:
                    unigram.append(self.grams[1][(w,)] / sum(self.grams[1].values()))
                for m in range(1, order):
                    ctx = tuple(seq[t - m:t])
                    k = m + 1
                    count, total, types, present = levels[m]
                    seen = self.context_types[k][ctx]
                    if m == order - 1:
                        c, tot = self.grams[k][ctx + (w,)], self.context_total[k][ctx]
                    else:
                        c, tot = self.continuation[k][ctx + (w,)], self.continuation_total[k][ctx]
                    ok = seen > 0 and tot > 0
                    count.append(c)
                    total.append(tot if ok else 1)
                    types.append(seen)
                    present.append(ok)
        arrays = {m: tuple(np.asarray(a, np.float64) for a in levels[m][:3]) + (np.asarray(levels[m][3], bool),) for m in levels}
        return np.asarray(unigram, np.float64), arrays

    def probabilities(self, components, discount: float) -> np.ndarray:
        """P(target | context) for every position of :meth:`components`."""
        unigram, levels = components
        p = unigram.copy()
        for m in range(1, self.order):
            count, total, types, present = levels[m]
            alpha = np.maximum(count - discount, 0.0) / total
            gamma = discount * types / total
            p = np.where(present, alpha + gamma * p, p)
        return p

    def score(self, word: int, context: Sequence[int], discount: float) -> float:
        """One probability the slow way (for checks against NLTK)."""
        context = tuple(context)[-(self.order - 1):] if self.order > 1 else ()
        return self._score(word, context, discount)

    def _score(self, word: int, context: tuple, discount: float) -> float:
        if not context:
            if self.order >= 2:
                return self.continuation[1][(word,)] / len(self.grams[2])
            return self.grams[1][(word,)] / sum(self.grams[1].values())
        k = len(context) + 1
        seen = self.context_types[k][context]
        if k == self.order:
            c, tot = self.grams[k][context + (word,)], self.context_total[k][context]
        else:
            c, tot = self.continuation[k][context + (word,)], self.continuation_total[k][context]
        if not seen or not tot:
            return self._score(word, context[1:], discount)
        return max(c - discount, 0.0) / tot + discount * seen / tot * self._score(word, context[1:], discount)


def nltk_model(docs: Sequence[Sequence[int]], order: int, pad_id: int, end_id: int, discount: float):
    """NLTK's ``KneserNeyInterpolated`` fitted on the same padded k-grams (ids as strings)."""
    from nltk.lm import KneserNeyInterpolated

    model = KneserNeyInterpolated(order, discount=discount)
    texts = [[str(i) for i in _padded(doc, order, pad_id, end_id)] for doc in docs]
    everygrams = [[tuple(seq[i:i + k]) for k in range(1, order + 1) for i in range(len(seq) - k + 1)] for seq in texts]
    vocabulary = sorted({w for seq in texts for w in seq})
    model.fit(everygrams, vocabulary)
    return model

