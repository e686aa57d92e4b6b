import pytest

from pipeline.corpus.problems import Problems
from pipeline.corpus.vocabulary import build_vocabulary
from pipeline.text.config import TextConfig
from pipeline.text.tokenize import tokenize
from vocab import TokenCounts, Vocabulary, VocabularyError


def test_vocabulary_slides_example(tmp_path):
    (tmp_path / "c.txt").write_text("the cat and the dog play .\nthe and dog .\n")
    vocab = build_vocabulary([tmp_path / "c.txt"], workers=1, min_freq=2)
    assert vocab.tokens() == ["the", ".", "and", "dog"]
    assert vocab.encode(tokenize("the cat and the dog play .")) == [2, 1, 4, 2, 5, 1, 3]


@pytest.mark.slow
def test_vocabulary_same_for_any_worker_count_and_equals_direct_counting(small_fortunes):
    one = build_vocabulary(small_fortunes, workers=1, min_df=2, max_df=0.5)
    two = build_vocabulary(small_fortunes, workers=2, min_df=2, max_df=0.5)
    from pipeline.corpus.fortunes import read_fortune_file

    docs = [tokenize(r.text) for p in small_fortunes for r in read_fortune_file(p)]
    direct = Vocabulary.build(TokenCounts().update(docs), min_df=2, max_df=0.5)
    assert one == two == direct and one.term_freq == direct.term_freq and len(one) > 500


def test_vocabulary_stop_words_and_specials(tmp_path):
    (tmp_path / "c.txt").write_text("The dogs were running\nthe dogs ran\n")
    vocab = build_vocabulary([tmp_path / "c.txt"], workers=1, stop_words="english")
    assert "dogs" in vocab and "the" not in vocab and "were" not in vocab
    cfg = TextConfig(start_token=True, end_token=True, max_length=8)
    assert build_vocabulary([tmp_path / "c.txt"], cfg, workers=1).specials == ["<s>", "</s>"]


def test_vocabulary_counts_problems_and_reports_empty_result(messy_corpus, tmp_path):
    problems = Problems()
    build_vocabulary([messy_corpus], workers=1, problems=problems)
    assert problems.counts["empty"] >= 3 and problems.counts["binary"] == 1 and problems.counts["bad_json"] == 1
    (tmp_path / "c.txt").write_text("a b\n")
    with pytest.raises(VocabularyError, match="no tokens remain"):
        build_vocabulary([tmp_path / "c.txt"], workers=1, min_freq=5)


def test_vocabulary_lemmatize_counts_lemmas(tmp_path):
    (tmp_path / "c.txt").write_text("The dogs were running\nthe dogs ran\n")
    vocab = build_vocabulary([tmp_path / "c.txt"], workers=1, lemmatize=True)
    assert "dog" in vocab and "dogs" not in vocab
