import numpy as np
import pytest

from training.models import idf_weights
from vocab import TokenCounts, Vocabulary


def test_idf_matches_scikit_learn_smooth_idf(fortunes_slice):
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = fortunes_slice["tokens"]
    vocabulary = Vocabulary.build(docs)
    weights = idf_weights(vocabulary)
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, smooth_idf=True).fit(docs)
    sklearn_idf = dict(zip(vectorizer.get_feature_names_out(), vectorizer.idf_))
    ours = {token: weights[vocabulary.token_id(token)] for token in vocabulary.tokens()}
    assert ours.keys() == sklearn_idf.keys()
    np.testing.assert_allclose([ours[t] for t in sklearn_idf], list(sklearn_idf.values()), rtol=1e-12)


def test_idf_padding_oov_and_specials():
    counts = TokenCounts().update([["<s>", "a", "b"], ["<s>", "a"]])
    vocabulary = Vocabulary.build(counts, specials=["<s>"], num_oov_indices=2)
    weights = idf_weights(vocabulary)
    assert len(weights) == len(vocabulary)
    assert weights[0] == 0.0 and weights[1] == weights[2] == pytest.approx(np.log(3) + 1)
    assert weights[vocabulary.token_id("<s>")] == pytest.approx(1.0)
    assert weights[vocabulary.token_id("a")] == pytest.approx(1.0)


def test_idf_needs_document_frequencies():
    with pytest.raises(ValueError, match="num_docs=0; build it with Vocabulary.build"):
        idf_weights(Vocabulary(["a", "b"]))
