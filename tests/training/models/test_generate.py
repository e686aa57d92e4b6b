import keras
import numpy as np
import pytest

from training.models import next_words, nnlm, sample
from vocab import Vocabulary

VOCAB = Vocabulary(["a", "b", "c", "</s>"])  # ids: 0 pad, 1 [UNK], 2 a, 3 b, 4 c, 5 </s>


def _model_preferring(word_id: int):
    """An NNLM whose output bias strongly prefers one id (weights set by hand)."""
    model = nnlm(len(VOCAB), context_size=2, embedding_dim=2, hidden_units=2)
    kernel, bias = model.get_layer("output").get_weights()
    bias = np.zeros_like(bias)
    bias[word_id] = 4.0
    bias[0] = 8.0  # padding is never a next word, however likely the model thinks it
    model.get_layer("output").set_weights([np.zeros_like(kernel), bias])
    return model


def test_generate_next_words_ranks_and_excludes_padding():
    words = next_words(_model_preferring(4), VOCAB, ["a", "b"], k=3)
    assert [w for w, _ in words][0] == "c"
    assert "" not in [w for w, _ in words]
    probabilities = [p for _, p in words]
    assert probabilities == sorted(probabilities, reverse=True)
    np.testing.assert_allclose(probabilities[0], np.exp(4) / (np.exp(4) + 4), rtol=1e-5)


def test_generate_sample_is_seeded_and_stops_at_stop_token():
    model = nnlm(len(VOCAB), context_size=2, embedding_dim=2, hidden_units=2)
    first = sample(model, VOCAB, ["a"], 12, seed=7)
    assert first == sample(model, VOCAB, ["a"], 12, seed=7)
    assert len(first) == 12 and "" not in first
    assert first != sample(model, VOCAB, ["a"], 12, seed=8)
    stopped = sample(_model_preferring(5), VOCAB, ["a"], 10, seed=0, temperature=0.1, stop_token="</s>")
    assert stopped == ["</s>"]


def test_generate_rejects_mismatched_vocabulary_and_bad_temperature():
    model = nnlm(10, context_size=2, embedding_dim=2, hidden_units=2)
    with pytest.raises(ValueError, match="the model predicts 10 ids but the vocabulary has 6"):
        next_words(model, VOCAB, ["a"])
    with pytest.raises(ValueError, match=r"`temperature` must be > 0. Received: temperature=0"):
        sample(model, VOCAB, ["a"], 3, temperature=0)
    assert isinstance(model, keras.Model)


def test_generate_works_with_a_raw_text_model():
    from pipeline.text.config import TextConfig
    from pipeline.text.preprocessor import TextPreprocessor

    text_model = nnlm(len(VOCAB), context_size=2, embedding_dim=2, hidden_units=2,
                      preprocessor=TextPreprocessor(TextConfig(max_length=4), VOCAB))
    ids_model = nnlm(len(VOCAB), context_size=2, embedding_dim=2, hidden_units=2)
    ids_model.set_weights(text_model.get_weights())
    got, expected = next_words(text_model, VOCAB, ["c", "a", "b"], k=6), next_words(ids_model, VOCAB, ["c", "a", "b"], k=6)
    assert [w for w, _ in got] == [w for w, _ in expected]
    np.testing.assert_allclose([p for _, p in got], [p for _, p in expected], rtol=1e-5)
