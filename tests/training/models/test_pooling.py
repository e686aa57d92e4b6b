import numpy as np
import pytest

from training.models.pooling import POOLINGS, MaskedPooling

VECTORS = np.arange(24, dtype="float32").reshape(2, 4, 3) - 10.0
IDS = np.array([[5, 6, 7, 0], [0, 0, 0, 0]])


@pytest.mark.parametrize("mode", POOLINGS)
def test_pooling_ignores_padding_and_gives_zeros_for_empty_rows(mode):
    idf = np.linspace(0.5, 2.0, 8).tolist() if mode == "tfidf" else None
    layer = MaskedPooling(mode, idf=idf)
    out = np.asarray(layer(VECTORS, IDS))
    noisy = VECTORS.copy()
    noisy[:, 3] = 1e6  # garbage at padded positions changes nothing
    noisy[1] = -1e6
    np.testing.assert_array_equal(np.asarray(layer(noisy, IDS)), out)
    np.testing.assert_array_equal(out[1], 0.0)
    kept = VECTORS[0, :3]
    expected = {
        "mean": kept.mean(axis=0),
        "sum": kept.sum(axis=0),
        "max": kept.max(axis=0),
        "tfidf": None if idf is None else (kept * np.array(idf)[[5, 6, 7], None]).sum(0) / np.array(idf)[[5, 6, 7]].sum(),
    }[mode]
    np.testing.assert_allclose(out[0], expected, rtol=1e-6)


def test_pooling_rejects_unknown_mode_and_tfidf_without_idf():
    with pytest.raises(ValueError, match=r"`pooling` must be one of .*Received: pooling='min'"):
        MaskedPooling("min")
    with pytest.raises(ValueError, match="pooling='tfidf' needs `idf`"):
        MaskedPooling("tfidf")


def test_pooling_config_round_trip():
    layer = MaskedPooling("tfidf", idf=[0.0, 1.5, 2.5], name="pool")
    clone = MaskedPooling.from_config(layer.get_config())
    assert (clone.mode, clone.idf, clone.name) == ("tfidf", [0.0, 1.5, 2.5], "pool")
