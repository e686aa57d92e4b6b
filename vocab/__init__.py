"""Counting tokens and turning the counts into vocabularies.

The bottom layer of lexivision. It imports neither TensorFlow nor the other
packages, so building a vocabulary in a batch worker stays cheap.

>>> from vocab import Vocabulary
>>> v = Vocabulary.build([["the", "cat", "and", "the", "dog"]], min_freq=1)
>>> v.encode(["the", "dog", "bird"])
[2, 5, 1]
"""

from vocab.counts import TokenCounts
from vocab.parallel import count_parallel
from vocab.stop_words import load_stop_words
from vocab.vocabulary import MASK_TOKEN, OOV_TOKEN, Vocabulary, VocabularyError

__all__ = [
    "MASK_TOKEN",
    "OOV_TOKEN",
    "TokenCounts",
    "Vocabulary",
    "VocabularyError",
    "count_parallel",
    "load_stop_words",
]
