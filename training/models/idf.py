"""Inverse document frequencies of a vocabulary, for TF-IDF weighted pooling."""

from __future__ import annotations

import math

from vocab import Vocabulary

__all__ = ["idf_weights"]


def idf_weights(vocabulary: Vocabulary) -> list[float]:
    """One IDF weight per id: scikit-learn's smooth idf, ``ln((1 + n) / (1 + df)) + 1``.

    ``n`` is ``vocabulary.num_docs`` and ``df`` the token's document frequency.
    Padding (id 0) gets 0; OOV ids get the weight of an unseen word (df = 0);
    special tokens such as ``<s>`` count as present in every document.

    >>> v = Vocabulary.build([["a", "b"], ["a"]])
    >>> [round(w, 3) for w in idf_weights(v)]
    [0.0, 2.099, 1.0, 1.405]
    """
    n = vocabulary.num_docs
    if n <= 0:
        raise ValueError(
            "idf_weights needs document frequencies, but the vocabulary has num_docs=0; "
            "build it with Vocabulary.build(documents or TokenCounts)"
        )

    def idf(df: int) -> float:
        return math.log((1 + n) / (1 + df)) + 1.0

    weights = [0.0] + [idf(0)] * vocabulary.num_oov_indices + [idf(n)] * len(vocabulary.specials)
    weights += [idf(vocabulary.doc_freq.get(t, 0)) for t in vocabulary.tokens()]
    return weights
