"""``assets.extra/tf_serving_warmup_requests``: PredictionLog records TF Serving replays at load.

TF Serving runs every record through the model before it marks a version
available, so the first user request does not pay for graph initialisation.
A record whose request fails makes the version fail to load, so only inputs
that must succeed belong here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["WARMUP_FILE", "Request", "write_warmup_requests", "read_warmup_requests"]

WARMUP_FILE = Path("assets.extra") / "tf_serving_warmup_requests"

# (signature name, {input name: array})
Request = tuple[str, dict[str, np.ndarray]]


def write_warmup_requests(export_dir: str | os.PathLike, model_name: str, requests: Sequence[Request]) -> Path:
    """Write ``requests`` as PredictionLog records to ``export_dir/assets.extra/...``; return the path."""
    import tensorflow as tf
    from tensorflow_serving.apis import model_pb2, predict_pb2, prediction_log_pb2

    path = Path(export_dir) / WARMUP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with tf.io.TFRecordWriter(str(path)) as writer:
        for signature, inputs in requests:
            request = predict_pb2.PredictRequest(
                model_spec=model_pb2.ModelSpec(name=model_name, signature_name=signature)
            )
            for name, value in inputs.items():
                request.inputs[name].CopyFrom(tf.make_tensor_proto(value))
            log = prediction_log_pb2.PredictionLog(predict_log=prediction_log_pb2.PredictLog(request=request))
            writer.write(log.SerializeToString())
    return path


def read_warmup_requests(export_dir: str | os.PathLike) -> list[Request]:
    """The requests of ``export_dir``'s warmup file, parsed with the ``tensorflow-serving-api`` protos."""
    import tensorflow as tf
    from tensorflow_serving.apis import prediction_log_pb2

    requests = []
    for record in tf.data.TFRecordDataset(str(Path(export_dir) / WARMUP_FILE)).as_numpy_iterator():
        log = prediction_log_pb2.PredictionLog.FromString(record)
        request = log.predict_log.request
        requests.append(
            (request.model_spec.signature_name, {k: tf.make_ndarray(v) for k, v in request.inputs.items()})
        )
    return requests
