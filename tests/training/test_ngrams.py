from __future__ import annotations

import numpy as np

from training.ngrams import HashedBigrams, bigram_idf, bigram_ids, with_bigrams


def test_ngrams_layer_matches_numpy_and_masks_padding():
    ids = np.array([[5, 7, 9, 0, 0], [3, 0, 0, 0, 0], [0, 0, 0, 0, 0]])
    out = HashedBigrams(10, 16)(ids).numpy()
    assert np.array_equal(out, bigram_ids(ids, 10, 16))
    assert out.shape == (3, 9)
    assert (out[0, 5:7] >= 10).all() and (out[0, 7:] == 0).all()  # two real bigrams, then padding
    assert (out[1:, 5:] == 0).all()
    assert out[0, 5] == 10 + (5 * 1000003 + 7) % 16


def test_ngrams_model_round_trip(tmp_path):
    from training.models import average_embedding, load_model

    base = average_embedding(10 + 8, 3, sequence_length=7, embedding_dim=2)
    model = with_bigrams(base, 4, 10, 8)
    ids = np.array([[2, 3, 4, 0]])
    model.save(tmp_path / "m.keras")
    again = load_model(tmp_path / "m.keras")
    assert np.allclose(model.predict(ids, verbose=0), again.predict(ids, verbose=0))
    assert isinstance(again.get_layer("hashed_bigrams"), HashedBigrams)


def test_ngrams_idf_of_buckets():
    train = np.array([[2, 3, 0], [2, 3, 4], [4, 2, 0]])
    idf = bigram_idf([0.0, 1.0, 1.0, 1.0, 1.0], train, num_buckets=4)
    import math

    assert len(idf) == 9 and idf[:5] == [0.0, 1.0, 1.0, 1.0, 1.0]
    # "2 3" and "3 4" hash to bucket 1 (documents 0 and 1), "4 2" to bucket 2 (document 2), nothing to 0 or 3
    assert [(2 * 1000003 + 3) % 4, (3 * 1000003 + 4) % 4, (4 * 1000003 + 2) % 4] == [1, 1, 2]
    assert idf[5:] == [math.log(4 / 1) + 1, math.log(4 / 3) + 1, math.log(4 / 2) + 1, math.log(4 / 1) + 1]
