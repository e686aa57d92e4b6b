"""Lemmas by part of speech: a spaCy pipeline in Python batch work, a baked table in the graph.

No trained pipeline can be downloaded here, so the tests build a real POS-aware one from spaCy's
own components: an attribute ruler gives the part of speech from the context, and the rule
lemmatiser (spacy-lookups-data's English rules, as in ``en_core_web_sm``) reads it.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.text.config import ConfigError, TextConfig
from pipeline.text.lemmas import bake_pos_lemmas, load_pos_pipeline, save_lemma_file
from pipeline.text.tokenize import tokenize
from training.cli import main

PRONOUNS = ["i", "we", "they", "you"]
DETERMINERS = ["a", "the", "this"]


@pytest.fixture(scope="module")
def pos_pipeline(tmp_path_factory) -> str:
    """The directory of a spaCy pipeline that lemmatises "saw" as "see" after a pronoun only.

    Besides its few words in context, the ruler makes verbs of "-ed"/"-ing" words and nouns of
    most "-s" words, so that a corpus gives it plenty to lemmatise.
    """
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    nlp.initialize()  # loads the lemmatiser's rule tables; patterns added before it would be dropped
    ruler.add([[{"LOWER": {"REGEX": "^[a-z]{2,}(ed|ing)$"}}]], {"POS": "VERB"})
    ruler.add([[{"LOWER": {"REGEX": "^[a-z]{2,}[^aeiosu]s$"}}]], {"POS": "NOUN"})
    # patterns added later win where several match
    ruler.add([[{"LOWER": {"IN": PRONOUNS}}, {"LOWER": {"IN": ["saw", "meeting"]}}]], {"POS": "VERB"}, index=1)
    ruler.add([[{"LOWER": {"IN": DETERMINERS}}, {"LOWER": {"IN": ["saw", "meeting"]}}]], {"POS": "NOUN"}, index=1)
    ruler.add([[{"LOWER": {"IN": ["mice", "saws", "children"]}}]], {"POS": "NOUN"})
    ruler.add([[{"LOWER": {"IN": ["running", "ran"]}}]], {"POS": "VERB"})
    path = tmp_path_factory.mktemp("pos") / "attribute_rules_en"
    nlp.to_disk(path)
    return str(path)


def _config(pipeline: str, **changes) -> TextConfig:
    return TextConfig(lemmatize=True, lemmatizer=pipeline, **changes)


@pytest.mark.filterwarnings("ignore:.*W108")  # tokens the ruler gives no part of speech keep their text
def test_pos_lemmatizer_lemmatises_lexivision_tokens_in_context(pos_pipeline):
    config = _config(pos_pipeline)
    texts = ["I saw a saw.", "The saw we saw isn't here", "Mice were running; the children ran!", ""]
    got = tokenize(texts, config)
    assert got == [
        ["i", "see", "a", "saw", "."],
        ["the", "saw", "we", "see", "is", "n't", "here"],
        ["mouse", "were", "run", ";", "the", "child", "run", "!"],
        [],
    ]
    # the pipeline lemmatises lexivision's tokens, so it never changes how many there are
    assert [len(tokens) for tokens in got] == [len(tokens) for tokens in tokenize(texts)]
    assert tokenize("You saw the meeting", config) == ["you", "see", "the", "meeting"]
    # stop words are dropped after the lemmas, as with the lookup table
    assert tokenize("I saw a saw", _config(pos_pipeline, stop_words=["see"])) == ["i", "a", "saw"]


@pytest.mark.filterwarnings("ignore:.*W108")
def test_pos_lemmatizer_runs_in_worker_processes(pos_pipeline):
    config = _config(pos_pipeline)
    texts = [f"They saw {i} saws with the saw" for i in range(40)]
    assert tokenize(texts, config, workers=2, chunk_size=10) == tokenize(texts, config)
    assert tokenize(texts[:1], config) == [["they", "see", "0", "saw", "with", "the", "saw"]]


def test_pos_lemmatizer_is_refused_in_the_graph_with_the_way_out(pos_pipeline):
    from pipeline.text.preprocessor import TextPreprocessor

    with pytest.raises(ConfigError, match=r"part of speech in context.*bake_pos_lemmas\(texts, config\)"):
        TextPreprocessor(_config(pos_pipeline))


@pytest.mark.filterwarnings("ignore:.*W108")
def test_bake_pos_lemmas_keeps_the_majority_and_reports_what_context_changed(pos_pipeline):
    texts = ["I saw a saw", "we saw it", "they saw the saw", "Mice!"]
    baked = bake_pos_lemmas(texts, _config(pos_pipeline))
    # "saw": 3 times a verb ("see"), twice a noun; the graph's lookup can only keep one
    assert baked["saw"] == "see" and baked["mice"] == "mouse"
    assert "i" not in baked  # tokens whose lemma is themselves are left out
    assert baked.ambiguous == {"saw": {"see": 3, "saw": 2}}
    tokens = sum(len(t) for t in tokenize(texts))
    assert baked.agreement == pytest.approx((tokens - 2) / tokens)
    # an explicit pipeline wins over the config's lemmatizer
    assert bake_pos_lemmas(texts, TextConfig(), nlp=load_pos_pipeline(pos_pipeline)) == baked


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*W108")
def test_baked_table_gives_the_same_tokens_in_the_graph_and_in_python(pos_pipeline, fortunes_records, graph_tokens):
    texts = fortunes_records[:600]
    baked = bake_pos_lemmas(texts, _config(pos_pipeline))
    assert len(baked) > 100 and baked.agreement < 1.0
    config = TextConfig(lemmatize=True, stop_words="english")
    python = tokenize(texts, config, lemma_table=baked)
    assert graph_tokens(config, texts, lemma_table=baked) == python
    # the table did something: some tokens differ from the unlemmatised ones
    plain = tokenize(texts, config.replace(lemmatize=False))
    assert sum(a != b for a, b in zip(python, plain)) > 100


@pytest.mark.filterwarnings("ignore:.*W108")
def test_baked_table_as_a_lemma_file_travels_inside_the_keras_file(pos_pipeline, tmp_path):
    import keras
    import tensorflow as tf

    from pipeline.text.preprocessor import TextPreprocessor
    from vocab import Vocabulary

    texts = ["I saw a saw", "we saw mice walking", "they saw the saws"]
    lemma_file = save_lemma_file(bake_pos_lemmas(texts, _config(pos_pipeline)), tmp_path / "baked.tsv")
    config = TextConfig(lemmatize=True, lemma_file=str(lemma_file), max_length=8)
    python = tokenize(texts, config)
    assert python == [["i", "see", "a", "see"], ["we", "see", "mouse", "walk"], ["they", "see", "the", "saw"]]
    layer = TextPreprocessor(config, Vocabulary.build(python))
    assert [[t.decode() for t in row] for row in layer.tokens(tf.constant(texts)).to_list()] == python
    inputs = keras.Input(shape=(), dtype="string")
    model = keras.Model(inputs, layer(inputs))
    model.save(tmp_path / "m.keras")
    lemma_file.unlink()  # the table is an asset of the .keras file; the config no longer names the file
    again = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(again(tf.constant(texts)).numpy(), model(tf.constant(texts)).numpy())
    assert again.layers[1].config.lemma_file is None
    with pytest.raises(ConfigError, match=r"text.lemma_file: .*baked.tsv: no such lemma table file"):
        tokenize(texts, TextConfig(lemmatize=True, lemma_file=str(lemma_file)))
    # baking again under a config that uses a lemma file bakes the same tokens (the file plays no part)
    assert bake_pos_lemmas(texts, config, nlp=load_pos_pipeline(pos_pipeline)) == bake_pos_lemmas(
        texts, _config(pos_pipeline))


def test_pos_lemmatizer_settings_errors(pos_pipeline, tmp_path):
    with pytest.raises(ConfigError, match=r"text.lemmatizer = 'en_core_web_sm' is set but text.lemmatize is false"):
        TextConfig(lemmatizer="en_core_web_sm")
    with pytest.raises(ConfigError, match=r"text.lemmatizer must be 'lookup' or a spaCy pipeline"):
        TextConfig(lemmatize=True, lemmatizer=" ")
    with pytest.raises(ConfigError, match=r"a lemma_table was given but text.lemmatizer = .* pass one or the other"):
        tokenize(["x"], _config(pos_pipeline), lemma_table={"x": "y"})
    with pytest.raises(ConfigError, match=r"text.lemmatizer: spaCy pipeline '.*nope' is not installed"):
        tokenize(["x"], _config(str(tmp_path / "nope")))
    import spacy

    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(ConfigError, match=r"has no 'lemmatizer' component"):
        tokenize(["x"], _config(str(tmp_path / "blank")))
    with pytest.raises(ConfigError, match=r"text.lemma_file replaces the lookup table, so it needs lemmatize = true"):
        TextConfig(lemma_file="lemmas.tsv")
    with pytest.raises(ConfigError, match=r"text.lemma_file replaces the lookup table.*lemmatizer = 'en_core_web_sm'"):
        _config("en_core_web_sm", lemma_file="lemmas.tsv")
    (tmp_path / "bad.tsv").write_text("saw see\n")
    with pytest.raises(ConfigError, match=r"text.lemma_file: .*bad.tsv:1: expected 'surface<TAB>lemma'"):
        tokenize(["x"], TextConfig(lemmatize=True, lemma_file=str(tmp_path / "bad.tsv")))
    config = _config("en_core_web_sm", stop_words="english")
    assert TextConfig.from_toml(config.to_toml()) == config
    config = TextConfig(lemmatize=True, lemma_file="baked lemmas.tsv")
    assert TextConfig.from_toml(config.to_toml()) == config
    assert TextConfig.from_dict({"lemmatize": True}).lemmatizer == "lookup"  # configs from before the setting


@pytest.mark.filterwarnings("ignore:.*W108")
def test_cli_tokenize_with_a_pos_lemmatizer(pos_pipeline, tmp_path, capsys):
    toml = tmp_path / "text.toml"
    toml.write_text(_config(pos_pipeline).to_toml())
    assert main(["tokenize", "--config", str(toml), "We saw the saw"]) == 0
    assert capsys.readouterr().out == "we | see | the | saw\n"
    toml.write_text(_config(str(tmp_path / "missing")).to_toml())
    assert main(["tokenize", "--config", str(toml), "x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "spaCy pipeline" in err and "missing" in err, err
