from __future__ import annotations

import numpy as np
import pytest

from training import serve_check
from training.export.warmup import WARMUP_FILE, read_warmup_requests, write_warmup_requests

REQUESTS = [
    ("serving_default", {"text": np.array([b"caf\xc3\xa9", b"", b"\xff"], dtype=object)}),
    ("pixels", {"pixels": np.linspace(0, 1, 12, dtype=np.float32).reshape(1, 2, 2, 3)}),
]


@pytest.fixture(scope="module")
def warmup_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("warmup")
    write_warmup_requests(path, "fortunes", REQUESTS)
    return path


def test_warmup_round_trips_through_the_serving_api_protos(warmup_dir):
    from tensorflow_serving.apis import prediction_log_pb2
    import tensorflow as tf

    got = read_warmup_requests(warmup_dir)
    assert [sig for sig, _ in got] == ["serving_default", "pixels"]
    assert got[0][1]["text"].tolist() == [b"caf\xc3\xa9", b"", b"\xff"]
    np.testing.assert_array_equal(got[1][1]["pixels"], REQUESTS[1][1]["pixels"])
    record = next(iter(tf.data.TFRecordDataset(str(warmup_dir / WARMUP_FILE)).as_numpy_iterator()))
    log = prediction_log_pb2.PredictionLog.FromString(record)
    assert log.WhichOneof("log_type") == "predict_log"
    assert log.predict_log.request.model_spec.name == "fortunes"


def test_warmup_hand_decoder_matches_the_protos(warmup_dir):
    """serve_check.py decodes PredictionLog without tensorflow_serving; it must agree with the real protos."""
    import tensorflow as tf

    records = list(tf.data.TFRecordDataset(str(warmup_dir / WARMUP_FILE)).as_numpy_iterator())
    decoded = [serve_check.parse_prediction_log(r) for r in records]
    assert [sig for sig, _ in decoded] == ["serving_default", "pixels"]
    text = tf.io.parse_tensor(decoded[0][1]["text"], tf.string).numpy().tolist()
    assert text == [b"caf\xc3\xa9", b"", b"\xff"]
    pixels = tf.io.parse_tensor(decoded[1][1]["pixels"], tf.float32).numpy()
    np.testing.assert_array_equal(pixels, REQUESTS[1][1]["pixels"])


def test_warmup_field_numbers_match_tensorflow_serving():
    from tensorflow_serving.apis import model_pb2, predict_pb2, prediction_log_pb2

    assert prediction_log_pb2.PredictionLog.DESCRIPTOR.fields_by_name["predict_log"].number == 6
    assert prediction_log_pb2.PredictLog.DESCRIPTOR.fields_by_name["request"].number == 1
    fields = predict_pb2.PredictRequest.DESCRIPTOR.fields_by_name
    assert (fields["model_spec"].number, fields["inputs"].number) == (1, 2)
    spec = model_pb2.ModelSpec.DESCRIPTOR.fields_by_name
    assert (spec["name"].number, spec["signature_name"].number) == (1, 3)
