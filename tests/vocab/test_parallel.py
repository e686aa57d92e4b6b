import functools

import pytest

from vocab import TokenCounts, count_parallel


def _chunks(docs, size):
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def test_parallel_result_does_not_depend_on_workers(fortune_docs):
    expected = TokenCounts().update(fortune_docs)
    seen = []
    one = count_parallel(_chunks(fortune_docs, 50), workers=1, on_chunk=seen.append)
    assert one == expected and sum(seen) == len(fortune_docs) and len(seen) == -(-len(fortune_docs) // 50)
    seen.clear()
    two = count_parallel(iter(_chunks(fortune_docs, 37)), workers=2, mp_context="spawn", on_chunk=seen.append)
    assert two == expected and sum(seen) == len(fortune_docs)


def test_parallel_read_runs_in_the_workers():
    texts = [["a b a", "c"], ["b c", "a"], ["c"]]
    read = functools.partial(map, str.split)  # picklable: chunk of lines -> token lists
    counts = count_parallel(texts, workers=2, read=read, mp_context="spawn")
    assert (counts.term_freq["a"], counts.doc_freq["a"], counts.num_docs) == (3, 2, 5)


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_parallel_bad_workers_names_the_setting(workers):
    with pytest.raises(ValueError, match=r"`workers` must be None \(all cores\) or an int >= 1\. Received: workers="):
        count_parallel([], workers=workers)


def test_parallel_worker_errors_reach_the_caller():
    with pytest.raises(TypeError, match="document 1 is a string"):
        count_parallel([["not tokenized"]], workers=2, mp_context="spawn")
