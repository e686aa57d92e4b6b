import pytest

import pipeline
from pipeline.text.config import TextConfig
from pipeline.text.lemmas import bake_pos_lemmas, lemma_table, load_lemma_file, save_lemma_file
from pipeline.text.tokenize import tokenize


def test_lemmas_lookup_table_and_public_function():
    assert lemma_table()["children"] == "child"
    assert pipeline.lemmatize(["geese", "were", "xyzzy"]) == ["goose", "be", "xyzzy"]
    assert tokenize("The mice were running", TextConfig(lemmatize=True)) == ["the", "mouse", "be", "run"]


def test_lemmas_file_round_trip_and_errors(tmp_path):
    path = save_lemma_file({"ran": "run", "mice": "mouse"}, tmp_path / "l.tsv")
    assert load_lemma_file(path) == {"mice": "mouse", "ran": "run"}
    (tmp_path / "bad.tsv").write_text("ran run\n")
    with pytest.raises(ValueError, match=r"bad.tsv:1: expected 'surface<TAB>lemma'"):
        load_lemma_file(tmp_path / "bad.tsv")


def test_lemmas_custom_table_is_used():
    config = TextConfig(lemmatize=True)
    assert tokenize("saw it", config, lemma_table={"saw": "see"}) == ["see", "it"]


def test_lemmas_pos_pipeline_missing_is_a_clear_error():
    import importlib.util

    if importlib.util.find_spec("en_core_web_sm") is not None:
        pytest.skip("en_core_web_sm is installed here")
    with pytest.raises(RuntimeError, match="en_core_web_sm.*not installed"):
        bake_pos_lemmas(["a text"])
