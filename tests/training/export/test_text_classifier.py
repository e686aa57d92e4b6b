from __future__ import annotations

import json

import numpy as np
import pytest

from training.export.run_kind import detect_run_kind
from training.export.verify import REPORT_FILE
from training.export.warmup import read_warmup_requests

ODD_TEXTS = [b"", b"the a the", b"\xff\xfe\xc3(", b"   ", b"the cat sat on the mat"]


def test_text_classifier_export_verifies(text_export):
    report = json.loads((text_export / REPORT_FILE).read_text())
    assert report["ok"] and report["errors"] == []
    assert report["kind"] == "text_classifier"
    assert report["max_abs_diff"] <= 1e-5
    assert "NormalizeUTF8" in report["ops"]["tf_text"]
    assert {"StringSplitV2", "UnicodeTranscode", "LookupTableFindV2"} <= set(report["ops"]["core"])
    assert report["warmup_records"] == len(read_warmup_requests(text_export)) == 8
    assert text_export.name == "1" and (text_export.parent.parent / "models.config").is_file()


def test_text_classifier_signature_dtypes_and_shapes(text_export, load_signature):
    signature = load_signature(text_export)
    (spec,) = signature.structured_input_signature[1].values()
    assert (spec.name, spec.dtype.name, spec.shape.as_list()) == ("text", "string", [None])
    outputs = {k: (v.dtype.name, v.shape.as_list()) for k, v in signature.structured_outputs.items()}
    assert outputs == {"probabilities": ("float32", [None, 2]), "label": ("string", [None]), "label_id": ("int64", [None])}


def test_text_classifier_same_probabilities_in_memory_export_and_warmup(text_run, text_export, load_signature):
    import tensorflow as tf

    kind = detect_run_kind(text_run)
    signature = load_signature(text_export)
    for name, inputs in read_warmup_requests(text_export):
        replayed = signature(text=tf.constant(inputs["text"]))
        in_memory = kind.reference(name, inputs)
        np.testing.assert_allclose(replayed["probabilities"].numpy(), in_memory["probabilities"], atol=1e-6, rtol=0)
        assert replayed["label"].numpy().tolist() == in_memory["label"].tolist()
    # and on texts that are not in the warmup file, at another batch size
    texts = np.array([b"a bank ran", b"dog dog dog", b"rates", b"cat"], dtype=object)
    exported = signature(text=tf.constant(texts))["probabilities"].numpy()
    np.testing.assert_allclose(exported, kind.reference("serving_default", {"text": texts})["probabilities"], atol=1e-6)


def test_text_classifier_empty_removed_and_invalid_texts_get_finite_probabilities(text_export, load_signature):
    import tensorflow as tf

    out = load_signature(text_export)(text=tf.constant(ODD_TEXTS))
    probabilities = out["probabilities"].numpy()
    assert np.isfinite(probabilities).all()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-6)
    assert set(out["label"].numpy().tolist()) <= {b"pets", b"money"}
    # "the a the" has only stop words: after removal it is the same as ""
    np.testing.assert_array_equal(probabilities[0], probabilities[1])


def test_text_classifier_invalid_utf8_is_coerced_like_python(text_export, load_signature):
    import tensorflow as tf

    raw, replaced = b"cat \xff mat", "cat \ufffd mat".encode("utf-8")
    out = load_signature(text_export)(text=tf.constant([raw, replaced]))["probabilities"].numpy()
    np.testing.assert_array_equal(out[0], out[1])


def test_text_classifier_run_dir_errors(tmp_path, text_run):
    import shutil

    from training.errors import UserError

    run = tmp_path / "run"
    shutil.copytree(text_run, run)
    (run / "labels.txt").write_text("only_one\n")
    with pytest.raises(UserError, match=r"labels.txt: 1 labels but model.keras outputs 2 probabilities"):
        detect_run_kind(run)
    (run / "vocabulary.txt").unlink()
    with pytest.raises(UserError, match=r"vocabulary.txt: missing; a text_classifier run directory holds"):
        detect_run_kind(run)
    with pytest.raises(UserError, match=r"no image_config.json, lm_config.json or text_config.json"):
        detect_run_kind(tmp_path)


@pytest.mark.parametrize("python_only, reason", [
    ({"tokenizer": "spacy"}, r"text.tokenizer='spacy' runs spaCy's Python tokenizer and cannot run inside a TensorFlow graph"),
    ({"lemmatize": True, "lemmatizer": "en_core_web_sm"}, r"text.lemmatizer='en_core_web_sm' picks each lemma by part of speech in context.*bake_pos_lemmas"),
])
def test_text_classifier_python_only_config_is_refused(tmp_path, text_run, python_only, reason):
    import shutil

    from training.errors import UserError
    from training.export import export_saved_model

    run = tmp_path / "run"
    shutil.copytree(text_run, run)
    config = json.loads((run / "text_config.json").read_text())
    (run / "text_config.json").write_text(json.dumps({**config, **python_only}))
    with pytest.raises(UserError, match=r"cannot export this run: " + reason):
        export_saved_model(run, tmp_path / "exports" / "text")
    base = tmp_path / "exports" / "text"
    assert not base.exists() or list(base.iterdir()) == []  # refused before anything is written
