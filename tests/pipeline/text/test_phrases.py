import pytest

from pipeline.text.config import ConfigError, TextConfig
from pipeline.text.phrases import PhraseMerger, learn_phrases, save_phrases
from pipeline.text.tokenize import tokenize


def test_phrases_greedy_longest_first():
    merger = PhraseMerger([("a", "b"), ("a", "b", "c"), ("b", "c", "d"), ("c", "d")])
    assert merger.merge("a b c d a b x c d".split()) == ["a b c", "d", "a b", "x", "c d"]


def test_phrases_learned_from_fortunes_merge_in_tokenize(fortunes_records, tmp_path):
    docs = tokenize(fortunes_records[:4000])
    phrases = learn_phrases(docs, min_count=10, threshold=0.5, exclude={".", ",", "the", "a"})
    assert "new york" in phrases or "united states" in phrases
    path = tmp_path / "phrases.txt"
    save_phrases(phrases, path)
    config = TextConfig(phrases_file=str(path))
    assert config.all_phrases() == tuple(phrases)
    assert "new york" in tokenize("I left New York.", config) or "united states" in tokenize("The United States", config)


def test_phrases_missing_file_and_bad_arguments(tmp_path):
    with pytest.raises(ConfigError, match="phrases_file.*no such file"):
        TextConfig(phrases_file=str(tmp_path / "nope.txt")).all_phrases()
    with pytest.raises(ValueError, match="min_count"):
        learn_phrases([["a"]], min_count=0)
