import numpy as np

from training.models import Perplexity


def test_perplexity_is_exp_of_mean_cross_entropy_over_all_updates():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(6), size=10).astype("float32")
    y = rng.integers(0, 6, size=10)
    metric = Perplexity()
    metric.update_state(y[:4], p[:4])
    metric.update_state(y[4:], p[4:])
    expected = np.exp(-np.log(p[np.arange(10), y]).mean())
    np.testing.assert_allclose(float(metric.result()), expected, rtol=1e-5)
    metric.reset_state()
    metric.update_state(y[:1], p[:1])
    np.testing.assert_allclose(float(metric.result()), 1 / p[0, y[0]], rtol=1e-5)


def test_perplexity_sample_weights_and_config():
    p = np.array([[0.5, 0.5], [0.9, 0.1]], dtype="float32")
    metric = Perplexity()
    metric.update_state(np.array([0, 1]), p, sample_weight=np.array([1.0, 0.0]))
    np.testing.assert_allclose(float(metric.result()), 2.0, rtol=1e-5)
    assert Perplexity.from_config(metric.get_config()).name == "perplexity"
