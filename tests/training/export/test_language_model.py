from __future__ import annotations

import json

import numpy as np

from training.export.run_kind import detect_run_kind
from training.export.verify import REPORT_FILE


def test_language_model_export_verifies(lm_export, load_signature):
    report = json.loads((lm_export / REPORT_FILE).read_text())
    assert report["ok"] and report["kind"] == "language_model" and report["max_abs_diff"] <= 1e-5
    outputs = {k: (v.dtype.name, v.shape.as_list()) for k, v in load_signature(lm_export).structured_outputs.items()}
    assert outputs == {"words": ("string", [None, 4]), "probabilities": ("float32", [None, 4]), "word_ids": ("int64", [None, 4])}


def test_language_model_top_words_match_in_memory_model(lm_run, lm_export, load_signature):
    import tensorflow as tf

    kind = detect_run_kind(lm_run)
    contexts = np.array([b"the cat sat on the", b"", b"\xff", b"zebra"], dtype=object)
    out = load_signature(lm_export)(context=tf.constant(contexts))
    ref = kind.reference("serving_default", {"context": contexts})
    assert out["word_ids"].numpy().tolist() == ref["word_ids"].tolist()
    assert out["words"].numpy().tolist() == ref["words"].tolist()
    probabilities = out["probabilities"].numpy()
    np.testing.assert_allclose(probabilities, ref["probabilities"], atol=1e-6)
    assert np.isfinite(probabilities).all() and (np.diff(probabilities, axis=1) <= 0).all()
    specials = {b"", b"[UNK]", b"<s>"}
    assert not specials & set(out["words"].numpy().ravel().tolist())


def test_language_model_context_ids_are_the_last_words_of_the_python_tokenization(lm_run):
    import tensorflow as tf

    from pipeline.text.tokenize import tokenize

    kind = detect_run_kind(lm_run)
    texts = ["the cat sat on the mat", "A dog", "", "unknown words here ran"]
    ids = kind._ids(tf.constant(texts)).numpy().tolist()
    vocabulary = kind.vocabulary
    expected = []
    for tokens in tokenize(texts, kind.preprocessor.config):
        row = [vocabulary.token_id("<s>")] + vocabulary.encode(tokens)
        row = row[-3:]
        expected.append([0] * (3 - len(row)) + row)
    assert ids == expected


def test_language_model_export_of_nnlm_with_tied_embeddings_and_context_vectors(tmp_path, load_signature):
    import tensorflow as tf

    from tests.training.export.conftest import write_lm_run
    from training.export import export_saved_model
    from training.models import nnlm

    def build(vocab_size):
        contexts = np.random.default_rng(0).integers(0, vocab_size, size=(200, 3))
        model = nnlm(vocab_size, context_size=3, embedding_dim=4, hidden_units=4, tie_embeddings=True,
                     context_min_count=1, training_contexts=contexts)
        vectors = model.get_layer("context_vectors").vectors
        vectors.assign(np.random.default_rng(1).normal(size=vectors.shape).astype("float32"))  # make them matter
        return model

    run = write_lm_run(tmp_path / "run", build=build)
    export = export_saved_model(run, tmp_path / "export", samples=["the cat sat", "dog"])
    report = json.loads((export / REPORT_FILE).read_text())
    assert report["ok"] and report["max_abs_diff"] <= 1e-5
    contexts = np.array([b"the cat sat on the", b"", b"zebra"], dtype=object)
    out = load_signature(export)(context=tf.constant(contexts))
    ref = detect_run_kind(run).reference("serving_default", {"context": contexts})
    np.testing.assert_allclose(out["probabilities"].numpy(), ref["probabilities"], atol=1e-6)
