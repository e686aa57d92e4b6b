from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from training.data import read_idx, read_table
from training.errors import UserError


def _idx(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def test_data_read_idx_plain_and_gzipped(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "a-idx3-ubyte").write_bytes(_idx(images))
    (tmp_path / "b-idx1-ubyte.gz").write_bytes(gzip.compress(_idx(np.array([7, 9]))))
    assert np.array_equal(read_idx(tmp_path / "a-idx3-ubyte"), images)
    assert read_idx(tmp_path / "b-idx1-ubyte.gz").tolist() == [7, 9]


def test_data_read_idx_rejects_bad_files(tmp_path):
    (tmp_path / "bad").write_bytes(b"\x00\x00\x0d\x01\x00\x00\x00\x01\x00")
    with pytest.raises(UserError, match=r"bad: not an unsigned-byte IDX file"):
        read_idx(tmp_path / "bad")
    (tmp_path / "short").write_bytes(_idx(np.zeros((2, 2)))[:-1])
    with pytest.raises(UserError, match=r"short: truncated IDX file \(3 bytes of data, header says 4\)"):
        read_idx(tmp_path / "short")


def test_data_read_fashion_mnist_labels(fashion_dir):
    labels = read_idx(fashion_dir / "t10k-labels-idx1-ubyte.gz")
    assert labels.shape == (10000,) and np.bincount(labels).tolist() == [1000] * 10


def test_data_read_table_formats(tmp_path):
    (tmp_path / "t.csv").write_text('label,text\nfood,"pizza, pasta"\nlaw,a judge\n')
    records = read_table(tmp_path / "t.csv", "label", "text")
    assert [(r.label, r.text, r.line) for r in records] == [("food", "pizza, pasta", 2), ("law", "a judge", 3)]
    with gzip.open(tmp_path / "t.jsonl.gz", "wt") as f:
        f.write(json.dumps({"y": "a", "body": "x"}) + "\n\n" + json.dumps({"y": "b", "body": "z"}) + "\n")
    assert [r.label for r in read_table(tmp_path / "t.jsonl.gz", "y", "body")] == ["a", "b"]


def test_data_read_table_bad_rows_name_the_line(tmp_path):
    (tmp_path / "t.tsv").write_text("label\ttext\nfood\tpizza\n\tno label\n")
    with pytest.raises(UserError, match=r"t.tsv, line 3: missing 'text' or 'label'"):
        read_table(tmp_path / "t.tsv", "label", "text")
    (tmp_path / "t.jsonl").write_text('{"label": "a", "text": "x"}\n{oops\n')
    with pytest.raises(UserError, match=r"t.jsonl, line 2: invalid JSON"):
        read_table(tmp_path / "t.jsonl", "label", "text")


@pytest.mark.slow
def test_data_table_source_trains(tmp_path):
    from training.config import load_config
    from training.train import train

    rows = [("pos", "a great happy film"), ("neg", "a sad awful film")] * 30
    table = tmp_path / "reviews.tsv"
    table.write_text("label\ttext\n" + "".join(f"{y}\t{t} {i}\n" for i, (y, t) in enumerate(rows)))
    config = load_config(None, ["data.source='table'", f"data.path='{table}'", "data.split=[0.6, 0.2, 0.2]",
                                "vocabulary.min_freq=1", "model.embedding_dim=4", "training.epochs=1",
                                "training.tensorboard=false", "training.reports=false"])
    metrics = train(config, tmp_path / "run", verbose=0)
    assert (tmp_path / "run" / "labels.txt").read_text() == "neg\npos\n"
    assert metrics["num_classes"] == 2 and metrics["num_test"] > 0
