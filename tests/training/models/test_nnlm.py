import keras
import numpy as np
import pytest
import tensorflow as tf

from training.models import Perplexity, context_pairs, nnlm


def _numpy_embedding_gradient(model, context, target):
    """Backpropagation by hand: dL/dC[w] = sum over the positions k holding w of H_k^T g_a + W_k^T g_y."""
    C = model.get_layer("embedding").get_weights()[0]
    H, d = model.get_layer("hidden").get_weights()
    U, b = model.get_layer("output").get_weights()
    (W,) = model.get_layer("direct").get_weights()
    m = C.shape[1]
    x = C[context].reshape(-1)
    a = np.tanh(x @ H + d)
    y = a @ U + b + x @ W
    p = np.exp(y - y.max())
    p /= p.sum()
    g_y = p.copy()
    g_y[target] -= 1.0  # d(-log p_target)/dy
    g_pre = (g_y @ U.T) * (1.0 - a**2)
    g_x = g_pre @ H.T + g_y @ W.T
    grad = np.zeros_like(C)
    for k, word in enumerate(context):
        grad[word] += g_x[k * m : (k + 1) * m]  # the rows of H and W that position k's block multiplies
    return grad


def test_nnlm_embedding_gradient_is_sparse_and_sums_repeated_words():
    model = nnlm(vocab_size=30, context_size=4, embedding_dim=3, hidden_units=2, direct_connections=True)
    context, target = np.array([21, 5, 7, 21]), 3  # the slides' example: word 21 at positions 1 and 4
    with tf.GradientTape() as tape:
        p = model(context[None], training=True)
        loss = keras.losses.sparse_categorical_crossentropy(np.array([target]), p)[0]
    embeddings = model.get_layer("embedding").embeddings
    gradient = tape.gradient(loss, embeddings.value if hasattr(embeddings, "value") else embeddings)
    assert isinstance(gradient, tf.IndexedSlices)
    assert sorted(gradient.indices.numpy().tolist()) == [5, 7, 21, 21]  # a row per position, none for other words
    dense = tf.convert_to_tensor(gradient).numpy()
    expected = _numpy_embedding_gradient(model, context, target)
    np.testing.assert_allclose(dense, expected, rtol=1e-4, atol=1e-7)
    assert np.abs(dense[21]).sum() > 0 and not np.abs(np.delete(dense, [5, 7, 21], axis=0)).any()


def test_nnlm_sgd_step_changes_only_rows_of_words_in_the_batch():
    model = nnlm(vocab_size=40, context_size=2, embedding_dim=3, hidden_units=2)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy", jit_compile=False)
    contexts = np.array([[3, 9], [9, 12], [0, 3]])
    targets = np.array([9, 12, 30])
    before = model.get_layer("embedding").get_weights()[0]
    model.train_on_batch(contexts, targets)
    after = model.get_layer("embedding").get_weights()[0]
    changed = np.flatnonzero(np.abs(after - before).sum(axis=1) > 0).tolist()
    assert changed == [0, 3, 9, 12]  # 30 is only a target: its output row changes, its word vector not
    assert not np.allclose(model.get_layer("output").get_weights()[1], 0.0)


def test_nnlm_direct_connections_and_hidden_layer_options():
    plain = nnlm(vocab_size=10, context_size=2, embedding_dim=2, hidden_units=3)
    direct = nnlm(vocab_size=10, context_size=2, embedding_dim=2, hidden_units=3, direct_connections=True)
    linear = nnlm(vocab_size=10, context_size=2, embedding_dim=2, hidden_units=0, direct_connections=True)
    names = lambda m: {layer.name for layer in m.layers}  # noqa: E731
    assert "direct" not in names(plain) and {"direct", "hidden", "logits"} <= names(direct)
    assert "hidden" not in names(linear) and linear.get_layer("direct").use_bias
    assert direct.count_params() - plain.count_params() == 2 * 2 * 10  # W: (n-1)m x |V|, no second bias
    for model in (plain, direct, linear):
        np.testing.assert_allclose(np.asarray(model(np.array([[1, 2]]))).sum(), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="`hidden_units` must be >= 1, or 0 with direct_connections=True"):
        nnlm(vocab_size=10, hidden_units=0)
    with pytest.raises(ValueError, match=r"`context_size` must be an int >= 1 \(n - 1 words\). Received: context_size=0"):
        nnlm(vocab_size=10, context_size=0)


def test_nnlm_context_pairs_left_pad_and_skip_padding():
    contexts, targets = context_pairs([[4, 5, 6, 0, 0], [7], [], [8, 9]], context_size=3)
    assert contexts.tolist() == [[0, 0, 4], [0, 4, 5], [0, 0, 8]]
    assert targets.tolist() == [5, 6, 9]
    empty_contexts, empty_targets = context_pairs([[3]], context_size=2)
    assert empty_contexts.shape == (0, 2) and empty_targets.shape == (0,)


@pytest.mark.slow
def test_nnlm_trains_on_fortunes_and_perplexity_falls(fortunes_slice, loss_drops, round_trip):
    data = fortunes_slice
    vocab_size = len(data["vocabulary"])
    contexts, targets = context_pairs(data["ids"], context_size=2)
    contexts, targets = contexts[:512], targets[:512]
    model = nnlm(vocab_size, context_size=2, embedding_dim=8, hidden_units=8, direct_connections=True)
    before, after, history = loss_drops(model, contexts, targets, epochs=6, batch_size=64, factor=0.8,
                                        optimizer=keras.optimizers.SGD(0.5), metrics=[Perplexity()])
    assert abs(before - np.log(vocab_size)) < 0.2  # starts near uniform over the vocabulary
    perplexity = history.history["perplexity"]
    assert perplexity[-1] < 0.5 * perplexity[0]
    assert np.isclose(perplexity[-1], np.exp(history.history["loss"][-1]), rtol=1e-3)
    loaded = round_trip(model, contexts[:8])  # compiled with the Perplexity metric
    reloaded_perplexity = loaded.evaluate(contexts, targets, verbose=0, return_dict=True)["perplexity"]
    np.testing.assert_allclose(reloaded_perplexity, np.exp(after), rtol=1e-4)


def test_nnlm_with_preprocessor_uses_last_words_and_round_trips(fortunes_slice, round_trip):
    from pipeline.text.preprocessor import TextPreprocessor

    data = fortunes_slice
    vocabulary = data["vocabulary"]
    preprocessor = TextPreprocessor(data["config"], vocabulary)
    model = nnlm(len(vocabulary), context_size=2, embedding_dim=2, hidden_units=2, preprocessor=preprocessor)
    ids_model = nnlm(len(vocabulary), context_size=2, embedding_dim=2, hidden_units=2)
    ids_model.set_weights(model.get_weights())
    text = np.array(["you love the computer", "computer", ""], dtype=object)
    expected_contexts = np.array([vocabulary.encode(["the", "computer"]), [0] + vocabulary.encode(["computer"]), [0, 0]])
    np.testing.assert_allclose(np.asarray(model(text)), np.asarray(ids_model(expected_contexts)), atol=1e-6)
    round_trip(model, text)


def test_nnlm_tied_embeddings_score_words_with_the_input_vectors(round_trip):
    model = nnlm(vocab_size=40, context_size=2, embedding_dim=3, hidden_units=5, tie_embeddings=True)
    untied = nnlm(vocab_size=40, context_size=2, embedding_dim=3, hidden_units=5)
    assert model.name == untied.name == "nnlm"
    assert untied.count_params() - model.count_params() == 5 * 40 - 5 * 3  # U (5 x 40) becomes P (5 x 3)
    C, b = model.get_layer("embedding").get_weights()
    H, d = model.get_layer("hidden").get_weights()
    (P,) = model.get_layer("output_projection").get_weights()
    context = np.array([[3, 9]])
    logits = np.tanh(C[context].reshape(1, -1) @ H + d) @ P @ C.T + b
    expected = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    np.testing.assert_allclose(np.asarray(model(context)), expected, rtol=1e-4, atol=1e-7)
    # A word that is only a target now changes its vector too: the output uses C.
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy", jit_compile=False)
    model.train_on_batch(np.array([[3, 9], [9, 12]]), np.array([30, 12]))
    after = model.get_layer("embedding").get_weights()[0]
    assert np.abs(after[30] - C[30]).sum() > 0
    round_trip(model, context)
    with pytest.raises(ValueError, match="`tie_embeddings=True` needs a hidden layer"):
        nnlm(vocab_size=10, hidden_units=0, direct_connections=True, tie_embeddings=True)


def test_nnlm_word_dropout_drops_whole_context_words_in_training_only():
    model = nnlm(vocab_size=20, context_size=4, embedding_dim=6, hidden_units=3, word_dropout=0.5)
    vectors = keras.Model(model.input, model.get_layer("word_dropout").output)
    C = model.get_layer("embedding").get_weights()[0]
    ids = np.random.default_rng(0).integers(1, 20, size=(64, 4))
    np.testing.assert_allclose(np.asarray(vectors(ids, training=False)), C[ids], rtol=1e-6)
    dropped = np.asarray(vectors(ids, training=True))
    zero = np.all(dropped == 0, axis=-1)
    np.testing.assert_allclose(dropped[~zero], C[ids][~zero] * 2.0, rtol=1e-5)  # kept words scaled by 1 / (1 - rate)
    assert 0.3 < zero.mean() < 0.7  # about half of the 256 context words dropped
    with pytest.raises(ValueError, match=r"`word_dropout` must be in \[0, 1\). Received: word_dropout=1.0"):
        nnlm(vocab_size=10, word_dropout=1.0)


def test_nnlm_context_vectors_key_like_numpy_and_memorise_repeated_contexts(round_trip):
    from training.models.neural_lm import context_keys, frequent_contexts

    rng = np.random.default_rng(0)
    contexts = np.repeat(rng.integers(0, 30, size=(40, 3)), 2, axis=0)  # each context seen twice
    targets = np.repeat(rng.integers(1, 30, size=40), 2)  # a random next word per whole context
    once = rng.integers(0, 30, size=(5, 3))
    training = np.concatenate([contexts, once])
    keras.utils.set_random_seed(0)
    plain = nnlm(vocab_size=30, context_size=3, embedding_dim=4, hidden_units=2, tie_embeddings=True)
    keras.utils.set_random_seed(0)
    memory = nnlm(vocab_size=30, context_size=3, embedding_dim=4, hidden_units=2, tie_embeddings=True,
                  context_min_count=2, training_contexts=training)
    layer = memory.get_layer("context_vectors")
    keys = np.asarray(layer.keys)
    np.testing.assert_array_equal(keys, frequent_contexts(training, (2, 3), 2))
    assert (np.diff(keys) > 0).all() and layer.num_keys <= 80  # 40 three-word and at most 40 two-word suffixes
    rows = np.asarray(layer.rows_of(np.concatenate([contexts[:6], once])))
    np.testing.assert_array_equal(keys[rows[:6] - 1], context_keys(contexts[:6], (2, 3)))  # found, right key
    assert (rows[6:, 1] == 0).all()  # a three-word context seen once has no vector of its own
    # the context vectors start at 0: before training, both models give the same probabilities
    np.testing.assert_allclose(np.asarray(memory(contexts)), np.asarray(plain(contexts)), rtol=1e-5, atol=1e-7)
    losses = {}
    for name, model in (("plain", plain), ("memory", memory)):
        model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy", jit_compile=False)
        history = model.fit(contexts, targets, epochs=30, batch_size=80, verbose=0)
        losses[name] = history.history["loss"][-1]
    assert losses["memory"] < 0.3 * losses["plain"], losses
    round_trip(memory, contexts[:4])
    with pytest.raises(ValueError, match="`context_min_count` needs context_size >= 2, a hidden layer"):
        nnlm(vocab_size=10, context_size=3, context_min_count=2)  # no training contexts
    negative = r"`context_min_count` must be an int >= 0 \(0 = off\). Received: context_min_count=-1"
    with pytest.raises(ValueError, match=negative):
        nnlm(vocab_size=10, context_size=3, context_min_count=-1, training_contexts=contexts)
    with pytest.raises(ValueError, match="`context_min_count`=2: no context suffix of 2 to 3 words occurs that often"):
        nnlm(vocab_size=30, context_size=3, hidden_units=2, context_min_count=2, training_contexts=once)  # all seen once


def test_nnlm_context_dropout_drops_whole_suffix_vectors_in_training_only():
    from training.models.neural_lm import ContextVectors, frequent_contexts

    ids = np.random.default_rng(0).integers(0, 3, size=(200, 4))
    keys = frequent_contexts(ids, (2, 3, 4), 1)
    layer = ContextVectors((2, 3, 4), num_keys=len(keys), dim=3, dropout=0.5, seed=1, keys=keys)
    layer.vectors.assign(np.arange(3 * (len(keys) + 1), dtype="float32").reshape(-1, 3) + 1.0)
    rows = layer.vectors.numpy()[np.asarray(layer.rows_of(ids))]  # [200, 3 suffixes, 3]
    np.testing.assert_allclose(np.asarray(layer(ids)), rows.sum(axis=1), rtol=1e-6)
    out = np.asarray(layer(ids, training=True))
    # each output is 2 x (the sum of a subset of the three suffix vectors): find that subset
    subsets = np.array([[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)], dtype="float32")
    candidates = 2.0 * np.einsum("sk,nkd->nsd", subsets, rows)
    error = np.abs(candidates - out[:, None, :]).max(axis=2)
    assert (error.min(axis=1) < 1e-2).all()
    kept = subsets[error.argmin(axis=1)]
    assert 0.35 < kept.mean() < 0.65
    with pytest.raises(ValueError, match=r"`context_dropout` must be in \[0, 1\)"):
        nnlm(vocab_size=10, context_dropout=1.5)
