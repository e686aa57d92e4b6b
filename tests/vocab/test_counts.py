import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vocab import TokenCounts

docs_st = st.lists(st.lists(st.text(max_size=4), max_size=10), max_size=12)


def _naive(docs):
    tf, df = {}, {}
    for doc in docs:
        for t in doc:
            tf[t] = tf.get(t, 0) + 1
        for t in set(doc):
            df[t] = df.get(t, 0) + 1
    return tf, df, len(docs)


@settings(max_examples=80, deadline=None)
@given(a=docs_st, b=docs_st)
def test_counts_merge_equals_counts_over_concatenation(a, b):
    merged = TokenCounts().update(a).merge(TokenCounts().update(b))
    whole = TokenCounts().update(a + b)
    assert merged == whole
    assert TokenCounts().update(a) + TokenCounts().update(b) == whole
    tf, df, n = _naive(a + b)
    assert (dict(whole.term_freq), dict(whole.doc_freq), whole.num_docs) == (tf, df, n)


@settings(max_examples=40, deadline=None)
@given(docs=docs_st)
def test_counts_pickle_and_json_round_trip(docs, tmp_path_factory):
    counts = TokenCounts().update(docs)
    assert pickle.loads(pickle.dumps(counts)) == counts
    path = tmp_path_factory.mktemp("counts") / "c.json"
    counts.save(path)
    assert TokenCounts.load(path) == counts


def test_counts_merge_with_itself_doubles():
    counts = TokenCounts().update([["a", "a"], ["b"]])
    counts.merge(counts)
    assert (counts.term_freq["a"], counts.doc_freq["a"], counts.num_docs) == (4, 2, 4)


def test_counts_update_streams_chunks_of_any_iterables():
    docs = ((t for t in f"w{i % 7} w{i % 3} w{i % 7}".split()) for i in range(10_000))
    counts = TokenCounts().update(docs)
    assert counts.num_docs == 10_000
    assert counts.term_freq["w0"] == 2 * 1429 + 3334
    assert counts.doc_freq["w0"] == len({i for i in range(10_000) if i % 7 == 0 or i % 3 == 0})
    assert counts.num_tokens == 30_000 and len(counts) == 7


def test_counts_pickles_smaller_than_its_counters(fortune_docs):
    counts = TokenCounts().update(fortune_docs)
    plain = pickle.dumps((dict(counts.term_freq), dict(counts.doc_freq), counts.num_docs))
    assert len(pickle.dumps(counts)) < 0.9 * len(plain)


def test_counts_update_refuses_string_documents_naming_the_document():
    with pytest.raises(TypeError, match=r"document 5001 is a string \('hello world'\), not a list of tokens"):
        TokenCounts().update([["ok"]] * 5000 + ["hello world"])


def test_counts_load_bad_files_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.json: no such token-counts file"):
        TokenCounts.load(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text('{"terms": []}')
    with pytest.raises(ValueError, match=r"bad\.json: not a token-counts file written by TokenCounts\.save"):
        TokenCounts.load(tmp_path / "bad.json")


def test_counts_unhashable_token_is_refused_and_leaves_counts_intact():
    counts = TokenCounts().update([["a", "b"]])
    with pytest.raises(TypeError, match=r"TokenCounts: tokens must be strings \(unhashable type: 'list'\)"):
        counts.update([["a", "new", ["nested"]]])
    assert counts == TokenCounts().update([["a", "b"]])
    assert counts.update([["new"]]).term_freq["new"] == 1


def test_counts_snapshots_follow_updates_and_merges():
    counts = TokenCounts().update([["a"]])
    assert counts.term_freq == {"a": 1}
    counts.update([["a", "b"]]).merge(TokenCounts().update([["c", "a"]]))
    assert counts.term_freq == {"a": 3, "b": 1, "c": 1} and counts.doc_freq == {"a": 3, "b": 1, "c": 1}
    assert counts.num_tokens == 5 and len(counts) == 3


def test_counts_unhashable_token_in_fresh_counts_is_refused():
    counts = TokenCounts()
    with pytest.raises(TypeError, match=r"TokenCounts: tokens must be strings"):
        counts.update([["a", {"b"}]])
    assert len(counts) == 0 and counts.num_docs == 0


def test_counts_one_document_per_call_equals_bulk(fortune_docs):
    one_by_one = TokenCounts().update(fortune_docs[:300])  # a large index, then tiny updates
    for doc in fortune_docs[300:]:
        one_by_one.update([doc])
    assert one_by_one == TokenCounts().update(fortune_docs)


@pytest.mark.parametrize("int32_keys_below", [0, 2**31])  # 0: the int64 keys of huge vocabularies
def test_counts_int32_and_int64_document_keys_count_the_same(fortune_docs, monkeypatch, int32_keys_below):
    import vocab.counts

    monkeypatch.setattr(vocab.counts, "_INT32_KEYS_BELOW", int32_keys_below)
    counts = TokenCounts().update(fortune_docs)
    tf, df, n = _naive(fortune_docs)
    assert (dict(counts.term_freq), dict(counts.doc_freq), counts.num_docs) == (tf, df, n)
