import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipeline.corpus.inputs import CorpusError
from pipeline.corpus.preprocess import preprocess_corpus
from pipeline.text.config import TextConfig
from pipeline.text.tokenize import sequence, tokenize
from vocab import Vocabulary

REPO = Path(__file__).resolve().parents[3]


def _files(folder: Path) -> dict[str, bytes]:
    """Every visible output file and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def _parse(path: Path) -> list[dict]:
    import tensorflow as tf

    out = []
    for raw in tf.data.TFRecordDataset(str(path)):
        feature = tf.train.Example.FromString(raw.numpy()).features.feature
        out.append({k: list(v.int64_list.value) or list(v.bytes_list.value) for k, v in feature.items()})
    return out


def test_preprocess_manifest_counts_and_locates_every_skip(messy_corpus, tmp_path):
    manifest = preprocess_corpus([messy_corpus], tmp_path / "out", workers=1, include_text=True)
    counts = manifest["counts"]
    src = str(messy_corpus)
    assert counts["read"] == counts["written"] == 11
    assert (counts["empty"], counts["invalid_utf8"], counts["binary"]) == (3, 1, 1)
    assert (counts["missing_column"], counts["bad_json"], counts["unreadable"]) == (2, 1, 0)
    assert manifest["skipped"]["empty"] == [f"{src}/a.txt:2", f"{src}/a.txt:4", f"{src}/d.jsonl:4"]
    assert manifest["skipped"]["missing_column"] == [f"{src}/b.tsv:4", f"{src}/d.jsonl:3"]
    assert [i["path"] for i in manifest["inputs"]][:2] == [f"{src}/a.txt", f"{src}/b.tsv"]
    assert all(len(i["sha256"]) == 64 and i["size"] > 0 for i in manifest["inputs"])
    assert json.loads((tmp_path / "out" / "manifest.json").read_text()) == manifest
    assert (tmp_path / "out" / "labels.txt").read_text() == "neg\npos\n"


def test_preprocess_examples_hold_ids_labels_and_text(messy_corpus, tmp_path):
    config = TextConfig(max_length=6, start_token=True)
    manifest = preprocess_corpus([messy_corpus / "b.tsv"], tmp_path / "out", text_config=config, workers=1, include_text=True)
    vocab = Vocabulary.load(tmp_path / "out" / "vocab.txt")
    [example_a, example_b] = _parse(tmp_path / "out" / manifest["shards"][0]["file"])
    assert example_a["text"] == [b"A good film."] and example_a["label"] == [1]
    assert example_a["token_ids"] == vocab.encode(sequence(tokenize("A good film.", config), config))
    assert vocab.decode(example_b["token_ids"]) == ["<s>", "a", "bad", ",", "bad", "film"]
    assert manifest["counts"]["too_long"] == 1 and manifest["skipped"]["too_long"] == [f"{messy_corpus / 'b.tsv'}:3"]


@pytest.mark.slow
def test_preprocess_output_does_not_depend_on_worker_count(small_fortunes, tmp_path):
    one = preprocess_corpus(small_fortunes[:2], tmp_path / "one", workers=1, shard_size=200)
    two = preprocess_corpus(small_fortunes[:2], tmp_path / "two", workers=2, shard_size=200)
    assert one == two and len(one["shards"]) == 4
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_preprocess_rerun_rewrites_only_missing_shards(messy_corpus, tmp_path):
    out = tmp_path / "out"
    preprocess_corpus([messy_corpus], out, workers=1, shard_size=4)
    before = _files(out)
    kept = out / "data-00000-of-00003.tfrecord"
    mtime = kept.stat().st_mtime_ns
    (out / "data-00001-of-00003.tfrecord").unlink()
    (out / "manifest.json").unlink()
    preprocess_corpus([messy_corpus], out, workers=1, shard_size=4)
    assert _files(out) == before and kept.stat().st_mtime_ns == mtime


def test_preprocess_refuses_another_job_in_the_same_folder(messy_corpus, tmp_path):
    preprocess_corpus([messy_corpus / "b.tsv"], tmp_path / "out", workers=1)
    with pytest.raises(CorpusError, match=r"out: holds the output of another job .*choose a new output folder"):
        preprocess_corpus([messy_corpus / "b.tsv"], tmp_path / "out", workers=1, shard_size=7)


def test_preprocess_unwritable_output_and_bad_options(messy_corpus, tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(CorpusError, match=r"file/out: cannot write the output folder \(Not a directory\)"):
        preprocess_corpus([messy_corpus], tmp_path / "file" / "out")
    with pytest.raises(CorpusError, match="runner must be one of"):
        preprocess_corpus([messy_corpus], tmp_path / "o", runner="spark")
    with pytest.raises(CorpusError, match="shard_size must be an int >= 1. Received: shard_size=0"):
        preprocess_corpus([messy_corpus], tmp_path / "o", shard_size=0)


_JOB = textwrap.dedent(
    """
    import sys
    from pipeline.corpus.preprocess import preprocess_corpus
    preprocess_corpus(sys.argv[2:], sys.argv[1], workers=1, shard_size=20)
    """
)


@pytest.mark.slow
def test_preprocess_killed_job_resumes_to_byte_identical_output(small_fortunes, tmp_path):
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    inputs = small_fortunes[:2]  # 615 quotations: 31 shards
    job = subprocess.Popen([sys.executable, "-c", _JOB, str(out), *map(str, inputs)], env=env)
    deadline = time.monotonic() + 120
    while len(list(out.glob("data-*.tfrecord"))) < 3 and job.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    job.send_signal(signal.SIGKILL)
    job.wait()
    assert job.returncode == -signal.SIGKILL, "the job ended before it could be killed"
    written = sorted(out.glob("data-*.tfrecord"))
    assert 3 <= len(written) < 31 and not (out / "manifest.json").exists()
    for shard in written:  # under its final name, a shard is always complete
        assert len(_parse(shard)) == 20
    resumed = preprocess_corpus(inputs, out, workers=2, shard_size=20)
    reference = preprocess_corpus(inputs, tmp_path / "reference", workers=1, shard_size=20)
    assert resumed == reference
    assert _files(out) == _files(tmp_path / "reference")
    assert not list(out.glob(".*.tmp-*")) and not list((out / ".progress").glob(".*.tmp-*"))
