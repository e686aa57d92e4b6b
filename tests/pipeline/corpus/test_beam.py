"""The Beam runner on DirectRunner. Apache Beam is imported unconditionally: without
the ``[beam]`` extra these tests fail at collection instead of being skipped."""

import apache_beam as beam
import pytest
from apache_beam.testing import test_pipeline
from apache_beam.testing.util import assert_that, equal_to

from pipeline.corpus.beam import CountTokens
from pipeline.corpus.preprocess import preprocess_corpus
from vocab import TokenCounts

pytestmark = pytest.mark.beam


def test_beam_count_tokens_combinefn_equals_token_counts():
    docs = [["a", "b", "a"], ["b"], [], ["c", "a"]]
    with test_pipeline.TestPipeline() as p:
        counts = p | beam.Create(docs) | beam.CombineGlobally(CountTokens())
        assert_that(counts, equal_to([TokenCounts().update(docs)]))


@pytest.mark.slow
def test_beam_runner_output_is_byte_identical_to_local(messy_corpus, class_folders, tmp_path):
    inputs = [messy_corpus, class_folders]
    local = preprocess_corpus(inputs, tmp_path / "local", workers=1, shard_size=4, include_text=True)
    on_beam = preprocess_corpus(inputs, tmp_path / "beam", runner="beam", shard_size=4, include_text=True)
    assert on_beam == local and local["counts"]["empty"] == 4 and len(local["shards"]) == 4
    for shard in ["vocab.txt", "labels.txt", "manifest.json"] + [s["file"] for s in local["shards"]]:
        assert (tmp_path / "beam" / shard).read_bytes() == (tmp_path / "local" / shard).read_bytes()
    (tmp_path / "beam" / local["shards"][1]["file"]).unlink()
    (tmp_path / "beam" / "manifest.json").unlink()
    assert preprocess_corpus(inputs, tmp_path / "beam", runner="beam", shard_size=4, include_text=True) == local
