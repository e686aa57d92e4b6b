import pytest

from vocab.stop_words import english_stop_words, load_stop_words


def test_stop_words_english_is_spacy_list():
    words = english_stop_words()
    assert {"the", "and", "a"} <= words and "cat" not in words and len(words) > 300


def test_stop_words_file_skips_comments_and_blank_lines(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("# my list\nfoo\n\n  bar  # why\n")
    assert load_stop_words(path) == {"foo", "bar"}
    assert load_stop_words(None) == frozenset()
    assert load_stop_words(("x", "y")) == {"x", "y"}


def test_stop_words_missing_file_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"stop_words='.*missing\.txt': no such file; use 'english'"):
        load_stop_words(str(tmp_path / "missing.txt"))
