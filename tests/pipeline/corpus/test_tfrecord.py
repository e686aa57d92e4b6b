import pytest

from pipeline.corpus import tfrecord
from pipeline.corpus.tfrecord import crc32c, example_bytes, write_tfrecord


def test_tfrecord_crc32c_check_value_and_fallback_agree(monkeypatch):
    assert crc32c(b"123456789") == 0xE3069283
    data = bytes(range(256)) * 3
    fast = crc32c(data)
    monkeypatch.setattr(tfrecord, "_crc32c_c", None)
    assert crc32c(data) == fast


@pytest.mark.parametrize("ids", [[], [0, 1, 127, 128, 16383, 16384, 2**40], [5] * 300])
def test_tfrecord_examples_equal_tensorflows_and_read_back(tmp_path, ids):
    import tensorflow as tf

    ours = example_bytes({"token_ids": ids, "label": [3], "text": ["héllo".encode()]})
    expected = tf.train.Example(
        features=tf.train.Features(
            feature={
                "token_ids": tf.train.Feature(int64_list=tf.train.Int64List(value=ids)),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[3])),
                "text": tf.train.Feature(bytes_list=tf.train.BytesList(value=["héllo".encode()])),
            }
        )
    )
    assert tf.train.Example.FromString(ours) == expected
    assert write_tfrecord(tmp_path / "x.tfrecord", [ours, ours]) == 2
    read = [r.numpy() for r in tf.data.TFRecordDataset(str(tmp_path / "x.tfrecord"))]
    assert read == [ours, ours]
    assert [p.name for p in tmp_path.iterdir()] == ["x.tfrecord"]  # no temporary file left
