import gzip

import numpy as np
import pytest

from training.models import load_word_vectors
from vocab import Vocabulary

VOCAB = Vocabulary(["the", "paris", "new york", "cat"])


def test_word_vectors_word2vec_header_and_multiword_tokens(tmp_path):
    path = tmp_path / "w2v.txt"
    path.write_text("3 2\nthe 0.5 -1\nnew york 2 3\nParis 7 8\n", encoding="utf-8")
    matrix, report = load_word_vectors(path, VOCAB)
    assert matrix.shape == (len(VOCAB), 2) and matrix.dtype == np.float32
    np.testing.assert_array_equal(matrix[VOCAB.token_id("the")], [0.5, -1.0])
    np.testing.assert_array_equal(matrix[VOCAB.token_id("new york")], [2.0, 3.0])
    np.testing.assert_array_equal(matrix[VOCAB.token_id("paris")], [7.0, 8.0])
    np.testing.assert_array_equal(matrix[0], 0.0)
    assert (report.found, report.total, report.lowercase_matches, report.missing) == (3, 4, 1, ["cat"])
    assert str(report) == f"{path}: 3 of 4 vocabulary words found (75.0%), 1 of them by lowercase; missing e.g. cat"


def test_word_vectors_glove_gzip_prefers_exact_case_and_seeds_missing_rows(tmp_path):
    path = tmp_path / "glove.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("The 9 9 9\nthe 1 2 3\ncat 4 5 6\n")
    matrix, report = load_word_vectors(path, VOCAB, seed=3)
    np.testing.assert_array_equal(matrix[VOCAB.token_id("the")], [1.0, 2.0, 3.0])
    assert report.found == 2 and report.lowercase_matches == 0
    again, _ = load_word_vectors(path, VOCAB, seed=3)
    np.testing.assert_array_equal(again, matrix)
    missing = matrix[VOCAB.token_id("paris")]
    assert np.abs(missing).sum() > 0 and not np.array_equal(missing, matrix[VOCAB.token_id("new york")])


def test_word_vectors_bad_files_name_file_and_line(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such word vectors file"):
        load_word_vectors(tmp_path / "absent.txt", VOCAB)
    short = tmp_path / "short.txt"
    short.write_text("the 1 2 3\ncat 4 5\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"short.txt:2: expected a word and 3 numbers, found 2 fields"):
        load_word_vectors(short, VOCAB)
    bad = tmp_path / "bad.txt"
    bad.write_text("the 1 x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.txt:1: a vector value of 'the' is not a number"):
        load_word_vectors(bad, VOCAB)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ValueError, match="empty.txt: no word vectors in the file"):
        load_word_vectors(empty, VOCAB)
