import json
import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vocab import OOV_TOKEN, TokenCounts, Vocabulary, VocabularyError
from vocab.vocabulary import sidecar_path

SLIDES = "the cat and the dog play .".split()

# Tokens a vocabulary file can hold: non-empty, no line breaks, not the OOV token.
tokens_st = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), min_size=1, max_size=8
).filter(lambda t: t != OOV_TOKEN)
docs_st = st.lists(st.lists(tokens_st, max_size=8), max_size=8)


def test_vocabulary_slides_example_maps_unknown_words_to_oov():
    v = Vocabulary(["the", "and", "dog", "."])
    assert v.encode(SLIDES) == [2, 1, 3, 2, 4, 1, 5]
    assert v.decode(v.encode(SLIDES)) == ["the", OOV_TOKEN, "and", "the", "dog", OOV_TOKEN, "."]
    assert v.one_hot(SLIDES).shape == (7, 6)
    assert v.one_hot(SLIDES).argmax(axis=1).tolist() == [2, 1, 3, 2, 4, 1, 5]


def test_vocabulary_build_orders_by_count_then_token():
    v = Vocabulary.build([["b", "a", "c", "c"], ["b", "d"]])
    assert v.tokens() == ["b", "c", "a", "d"]
    assert v.tokens(include_specials=True) == ["", OOV_TOKEN, "b", "c", "a", "d"]
    assert len(v) == 6
    assert v.encode(["", "b", "zzz"]) == [0, 2, 1]


def test_vocabulary_specials_keep_fixed_ids_after_oov():
    v = Vocabulary.build([["x", "y", "y"]], specials=["<s>", "</s>"], num_oov_indices=2)
    assert v.tokens(include_specials=True) == ["", OOV_TOKEN, OOV_TOKEN, "<s>", "</s>", "y", "x"]
    assert v.encode(["<s>", "y", "</s>"]) == [3, 5, 4]


def test_vocabulary_filters_min_freq_max_size_and_stop_words(tmp_path):
    docs = [["the", "cat", "sat"], ["the", "cat"], ["the", "dog"]]
    assert Vocabulary.build(docs, min_freq=2).tokens() == ["the", "cat"]
    assert Vocabulary.build(docs, max_size=1).tokens() == ["the"]
    assert Vocabulary.build(docs, stop_words="english").tokens() == ["cat", "dog", "sat"]
    stop_file = tmp_path / "stop.txt"
    stop_file.write_text("# comment\ncat\n\nsat  # trailing comment\n")
    assert Vocabulary.build(docs, stop_words=stop_file).tokens() == ["the", "dog"]
    assert Vocabulary.build(docs, stop_words=["the"]).tokens() == ["cat", "dog", "sat"]


def test_vocabulary_encode_with_several_oov_buckets_hashes_like_keras():
    from vocab._farmhash import hash_bucket

    v = Vocabulary(["a"], num_oov_indices=3)
    unknown = ["b", "cat", "dog", "élan", "x" * 100]
    assert v.encode(unknown) == [1 + hash_bucket(t, 3) for t in unknown]
    assert len({*v.encode(unknown)}) > 1  # several buckets are actually used
    assert v.decode(v.encode(unknown)) == [OOV_TOKEN] * 5


# Bad input: one-line errors that name the setting or the line.


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_size": -1}, r"`max_size` must be None or an int >= 1\. Received: max_size=-1"),
        ({"min_freq": 0}, r"`min_freq` must be an int >= 1\. Received: min_freq=0"),
        ({"min_df": -2}, r"`min_df` must be >= 0\. Received: min_df=-2"),
        ({"max_df": 1.5}, r"`max_df` as a float is a fraction of documents in \[0\.0, 1\.0\]\. Received: max_df=1\.5"),
        ({"num_oov_indices": 0}, r"`num_oov_indices` must be an int >= 1\. Received: num_oov_indices=0"),
        ({"min_df": 3, "max_df": 2}, r"min_df=3 keeps fewer documents than max_df=2 allows"),
        ({"min_df": 0.9, "max_df": 0.2}, r"min_df=0\.9 keeps fewer documents than max_df=0\.2 allows"),
        ({"min_freq": 99}, r"After filtering, no tokens remain \(min_freq=99.*Try a lower min_freq"),
        ({"stop_words": ["a", "b"]}, r"After filtering, no tokens remain"),
    ],
)
def test_vocabulary_build_bad_settings_name_the_setting(kwargs, match):
    with pytest.raises(VocabularyError, match=match):
        Vocabulary.build([["a", "b"], ["a"], ["b"]], **kwargs)


def test_vocabulary_missing_stop_word_file_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"stop_words='.*nope\.txt': no such file"):
        Vocabulary.build([["a"]], stop_words=str(tmp_path / "nope.txt"))


@pytest.mark.parametrize(
    ("token", "match"),
    [("a\nb", r"token 'a\\nb' contains a newline"), ("x\ry", r"token .x\\ry. contains a newline"),
     ("", "empty token"), (OOV_TOKEN, r"token '\[UNK\]' is reserved for out-of-vocabulary ids")],
)
def test_vocabulary_refuses_unwritable_tokens_and_writes_nothing(tmp_path, token, match):
    with pytest.raises(VocabularyError, match=r"vocabulary entry 2: " + match):
        Vocabulary(["ok", token]).save(tmp_path / "v.txt")
    assert not any(tmp_path.iterdir())


def test_vocabulary_build_refuses_newline_tokens_from_counts():
    with pytest.raises(VocabularyError, match=r"token 'b\\nc' contains a newline"):
        Vocabulary.build([["a", "a", "b\nc"]])


def test_vocabulary_duplicate_tokens_are_refused():
    with pytest.raises(VocabularyError, match=r"vocabulary entry 3: duplicate token 'a' \(first at entry 1\)"):
        Vocabulary(["a", "b", "a"])


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("a\nb\na\n", r"v\.txt:3: duplicate token 'a' \(first on line 1\)"),
        ("a\n\nb\n", r"v\.txt:2: blank line"),
        ("a\n[UNK]\n", r"v\.txt:2: token '\[UNK\]' is reserved"),
        ("", r"v\.txt: empty vocabulary file"),
    ],
)
def test_vocabulary_load_bad_file_names_the_line(tmp_path, content, match):
    path = tmp_path / "v.txt"
    path.write_text(content)
    with pytest.raises(VocabularyError, match=match):
        Vocabulary.load(path)


def test_vocabulary_load_missing_or_non_utf8_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.txt: no such vocabulary file"):
        Vocabulary.load(tmp_path / "nope.txt")
    (tmp_path / "bad.txt").write_bytes(b"ok\n\xff\xfe\n")
    with pytest.raises(VocabularyError, match=r"bad\.txt: not UTF-8"):
        Vocabulary.load(tmp_path / "bad.txt")


@pytest.mark.parametrize(
    ("sidecar", "match"),
    [
        ("{not json", r"v\.txt\.json: invalid JSON sidecar"),
        ('{"counts": {"a": 3}}', r"v\.txt\.json: malformed sidecar"),
        ('{"num_oov_indices": "many"}', r"v\.txt\.json: malformed sidecar"),
        ('{"specials": ["<s>"]}', r"v\.txt: the first lines do not match the specials \['<s>'\]"),
    ],
)
def test_vocabulary_load_corrupt_sidecar_names_it(tmp_path, sidecar, match):
    path = Vocabulary(["a"]).save(tmp_path / "v.txt")
    sidecar_path(path).write_text(sidecar)
    with pytest.raises(VocabularyError, match=match):
        Vocabulary.load(path)


# Files.


def test_vocabulary_save_load_round_trip_with_sidecar(tmp_path, fortune_docs):
    v = Vocabulary.build(fortune_docs, min_freq=2, max_df=0.5, specials=["<s>"], num_oov_indices=2)
    path = v.save(tmp_path / "sub" / "vocab.txt")
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[:-1] == ["<s>"] + v.tokens() and lines[-1] == ""
    side = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    assert side["settings"]["max_df"] == 0.5 and side["num_oov_indices"] == 2
    loaded = Vocabulary.load(path)
    assert loaded == v
    assert loaded.tokens(include_specials=True) == v.tokens(include_specials=True)
    assert (loaded.term_freq, loaded.doc_freq, loaded.num_docs) == (v.term_freq, v.doc_freq, v.num_docs)
    assert loaded.settings == v.settings
    assert loaded.encode(fortune_docs[0]) == v.encode(fortune_docs[0])
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_vocabulary_load_without_sidecar_uses_keras_defaults(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("the\nand\ndog\n.\n")
    v = Vocabulary.load(path)
    assert v.num_oov_indices == 1 and v.encode(SLIDES) == [2, 1, 3, 2, 4, 1, 5]


# Agreement with Keras and scikit-learn.


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


@pytest.mark.parametrize("num_oov_indices", [1, 3])
def test_vocabulary_ids_equal_keras_string_lookup_on_saved_file(tmp_path, keras, fortune_docs, num_oov_indices):
    v = Vocabulary.build(fortune_docs[::2], min_freq=2, specials=["<s>"], num_oov_indices=num_oov_indices)
    path = v.save(tmp_path / "vocab.txt")
    layer = keras.layers.StringLookup(vocabulary=str(path), mask_token="", num_oov_indices=num_oov_indices)
    words = [t for doc in fortune_docs for t in doc] + ["", "<s>", "never-seen-token"]
    assert sum(t not in v for t in words) > 100  # plenty of OOV words in the odd documents
    assert layer(words).numpy().tolist() == v.encode(words)
    assert layer.vocabulary_size() == len(v)
    assert layer.get_vocabulary() == v.tokens(include_specials=True)


@pytest.mark.parametrize("num_oov_indices", [1, 3])
def test_vocabulary_lookup_layer_equals_encode_in_tf_data(keras, fortune_docs, num_oov_indices):
    import tensorflow as tf

    v = Vocabulary.build(fortune_docs[::2], min_freq=2, num_oov_indices=num_oov_indices)
    layer = v.lookup_layer()
    docs = fortune_docs[:50]
    ragged = tf.ragged.constant(docs)
    ds = tf.data.Dataset.from_tensor_slices(ragged).map(layer)
    assert [ids.numpy().tolist() for ids in ds] == [v.encode(doc) for doc in docs]


def _untied_cut(vocabulary: Vocabulary, size: int) -> int:
    """The smallest cut >= size where the size-th and next counts differ (sklearn's
    max_features breaks ties arbitrarily, lexivision by token text)."""
    freqs = [vocabulary.term_freq[t] for t in vocabulary.tokens()]
    while size < len(freqs) and freqs[size - 1] == freqs[size]:
        size += 1
    return size


@pytest.mark.parametrize(
    ("min_df", "max_df", "max_features"),
    [(1, 1.0, None), (2, 1.0, None), (0.01, 0.3, None), (1, 20, None), (2, 0.5, 100), (1, 1.0, 40)],
)
def test_vocabulary_same_token_set_as_sklearn_count_vectorizer(fortune_docs, min_df, max_df, max_features):
    from sklearn.feature_extraction.text import CountVectorizer

    counts = TokenCounts().update(fortune_docs)
    if max_features is not None:
        uncapped = Vocabulary.build(counts, min_df=min_df, max_df=max_df)
        max_features = _untied_cut(uncapped, max_features)
        assert max_features < len(uncapped.tokens())  # the cap does cut
    cv = CountVectorizer(analyzer=lambda doc: doc, min_df=min_df, max_df=max_df, max_features=max_features)
    cv.fit(fortune_docs)
    v = Vocabulary.build(counts, min_df=min_df, max_df=max_df, max_size=max_features)
    assert set(v.tokens()) == set(cv.vocabulary_)
    assert len(v.tokens()) > 10


def test_vocabulary_min_df_fraction_matches_sklearn_rounding():
    # 10 documents: min_df=0.25 keeps tokens in >= 2.5 documents, i.e. 3 or more.
    docs = [["a", "b", "c"]] * 2 + [["a", "b"]] + [["a"]] * 7
    assert Vocabulary.build(docs, min_df=0.25).tokens() == ["a", "b"]
    assert math.isclose(Vocabulary.build(docs, max_df=0.3).doc_freq["b"], 3)


# Properties.


@settings(max_examples=60, deadline=None)
@given(docs=docs_st.filter(lambda d: any(d)), probe=st.lists(tokens_st, max_size=10))
def test_vocabulary_encode_decode_round_trip(docs, probe):
    v = Vocabulary.build(docs, num_oov_indices=2)
    tokens = v.tokens()
    assert v.decode(v.encode(tokens)) == tokens
    assert v.encode(v.decode(range(len(v)))[3:]) == list(range(3, len(v)))
    ids = v.encode(probe)
    assert all(0 < i < len(v) for i in ids)
    assert v.decode(ids) == [t if t in v else OOV_TOKEN for t in probe]
    counts = Counter(t for d in docs for t in d)
    assert [counts[t] for t in tokens] == sorted(counts.values(), reverse=True)
