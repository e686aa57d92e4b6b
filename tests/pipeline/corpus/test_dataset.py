import pytest

from pipeline.corpus.dataset import default_boundaries, shard_dataset
from pipeline.corpus.inputs import CorpusError
from pipeline.corpus.preprocess import preprocess_corpus
from pipeline.text.config import TextConfig


@pytest.fixture(scope="module")
def shards(small_fortunes, tmp_path_factory):
    out = tmp_path_factory.mktemp("shards")
    return out, preprocess_corpus(small_fortunes[:1] + small_fortunes[2:], out, text_config=TextConfig(max_length=40), workers=1, shard_size=300)


def test_dataset_batches_are_bucketed_by_length_and_cover_every_record(shards):
    out, manifest = shards
    boundaries = default_boundaries(40)
    assert boundaries == [8, 16, 32]
    seen, labels = 0, set()
    for ids, label in shard_dataset(out, batch_size=16):
        lengths = (ids.numpy() != 0).sum(axis=1)
        buckets = {sum(int(n) >= b for b in boundaries) for n in lengths}
        assert len(buckets) == 1, f"a batch mixes buckets: lengths {sorted(lengths.tolist())}"
        assert ids.shape[0] <= 16 and ids.shape[1] == lengths.max()
        seen += ids.shape[0]
        labels.update(label.numpy().tolist())
    assert seen == manifest["counts"]["written"] and labels == {0, 1}


def test_dataset_dicts_with_text_and_missing_manifest(shards, tmp_path):
    out, _ = shards
    batch = next(iter(shard_dataset(out, batch_size=4, as_supervised=False, with_text=True)))
    assert set(batch) == {"token_ids", "label", "length", "text"} and batch["text"].shape == (4,)
    with pytest.raises(CorpusError, match="no manifest.json; run preprocess_corpus"):
        shard_dataset(tmp_path, batch_size=4)
