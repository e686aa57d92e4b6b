"""Check an export the way TF Serving sees it: a fresh process with only tensorflow and tensorflow_text.

``python -I serve_check.py --verify EXPORT_DIR`` loads the SavedModel, checks
every signature's input and output dtypes and shapes against
``assets.extra/lexivision_reference.json``, checks that every op of the graph
(functions of the library included) is a core TensorFlow op or a tf-text op,
replays ``assets.extra/tf_serving_warmup_requests`` and compares each output
with the reference outputs the in-memory Keras model gave at export time.
Image exports also get a corrupt image, which must fail that request only.
It prints one JSON report line and exits 1 if any check failed.

``python -I serve_check.py EXPORT_DIR TEXT...`` prints the prediction of a text
export for each text, one JSON line each.

This file deliberately imports nothing from lexivision (nor NumPy or
protobuf directly): the PredictionLog records are decoded from their wire
format below, and each tensor with ``tf.io.parse_tensor``.
"""

import json
import os
import sys

REFERENCE = os.path.join("assets.extra", "lexivision_reference.json")
WARMUP = os.path.join("assets.extra", "tf_serving_warmup_requests")
# Registered in core TensorFlow but run Python code, which TF Serving does not have.
NOT_SERVABLE = {"PyFunc", "PyFuncStateless", "EagerPyFunc"}


# Protocol-buffer wire format ---------------------------------------------------------------


def _varint(buf, i):
    shift = value = 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def _fields(buf):
    """(field number, value) pairs of a serialized message; length-delimited values as bytes."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 1:
            value, i = buf[i : i + 8], i + 8
        elif wire == 2:
            size, i = _varint(buf, i)
            value, i = buf[i : i + size], i + size
        elif wire == 5:
            value, i = buf[i : i + 4], i + 4
        else:
            raise ValueError(f"unsupported wire type {wire} for field {number}")
        yield number, value


def _field(buf, number, default=b""):
    for n, value in _fields(buf):
        if n == number:
            return value
    return default


def parse_prediction_log(record):
    """PredictionLog bytes -> (signature_name, {input name: serialized TensorProto}).

    PredictionLog.predict_log = 6 -> PredictLog.request = 1 -> PredictRequest
    {model_spec = 1 {name = 1, signature_name = 3}, inputs = 2 (map entry: key = 1, value = 2)}.
    """
    request = _field(_field(record, 6), 1)
    signature = _field(_field(request, 1), 3).decode("utf-8") or "serving_default"
    inputs = {}
    for number, entry in _fields(request):
        if number == 2:
            inputs[_field(entry, 1).decode("utf-8")] = _field(entry, 2)
    return signature, inputs


# Checks -----------------------------------------------------------------------------------


def _spec(tensor_spec):
    return [tensor_spec.dtype.name, tensor_spec.shape.as_list()]


def classify_ops(export_dir, tf):
    """{"core": [...], "tf_text": [...], "unknown": [...], "not_servable": [...]} of every op in the graph."""
    from tensorflow.core.protobuf import saved_model_pb2
    from tensorflow.python.framework import op_def_registry

    saved_model = saved_model_pb2.SavedModel()
    with open(os.path.join(export_dir, "saved_model.pb"), "rb") as f:
        saved_model.ParseFromString(f.read())
    ops, functions = set(), set()
    for meta_graph in saved_model.meta_graphs:
        graph = meta_graph.graph_def
        functions |= {f.signature.name for f in graph.library.function}
        ops |= {node.op for node in graph.node}
        for function in graph.library.function:
            ops |= {node.op for node in function.node_def}
    ops -= functions  # a node whose op is a library function calls that function
    core = {op for op in ops if op_def_registry.get(op) is not None}
    import tensorflow_text  # noqa: F401  (registers the tf-text ops TF Serving links)

    text = {op for op in ops - core if op_def_registry.get(op) is not None}
    return {
        "core": sorted(core - NOT_SERVABLE),
        "tf_text": sorted(text),
        "unknown": sorted(ops - core - text),
        "not_servable": sorted(core & NOT_SERVABLE),
    }


def _compare(name, got, want, errors, where):
    """Max abs difference for floats; exact equality otherwise. Appends to errors."""
    import numpy as np  # TensorFlow's own dependency; already imported by it

    got = got.numpy()
    if got.dtype.kind in "OSU":
        got = got.tolist()
        got = [[x.decode("utf-8") for x in row] if isinstance(row, list) else row.decode("utf-8") for row in got]
        if got != want:
            errors.append(f"{where}: output {name!r} is {got}, the in-memory model gave {want}")
        return 0.0
    want = np.asarray(want, dtype=got.dtype)
    if got.shape != want.shape:
        errors.append(f"{where}: output {name!r} has shape {list(got.shape)}, expected {list(want.shape)}")
        return 0.0
    if got.dtype.kind == "f":
        if not np.isfinite(got).all():
            errors.append(f"{where}: output {name!r} has non-finite values {got.tolist()}")
        return float(np.max(np.abs(got - want), initial=0.0))
    if not (got == want).all():
        errors.append(f"{where}: output {name!r} is {got.tolist()}, the in-memory model gave {want.tolist()}")
    return 0.0


def verify(export_dir):
    import tensorflow as tf

    with open(os.path.join(export_dir, REFERENCE), encoding="utf-8") as f:
        reference = json.load(f)
    errors = []
    report = {"export_dir": export_dir, "kind": reference["kind"]}

    ops = classify_ops(export_dir, tf)
    report["ops"] = {"core": ops["core"], "tf_text": ops["tf_text"]}
    if ops["unknown"]:
        errors.append(f"ops that are neither core TensorFlow nor tf-text (TF Serving cannot run them): {ops['unknown']}")
    if ops["not_servable"]:
        errors.append(f"ops that call back into Python (TF Serving cannot run them): {ops['not_servable']}")

    loaded = tf.saved_model.load(export_dir)
    expected = reference["signatures"]
    if sorted(loaded.signatures.keys()) != sorted(expected):
        errors.append(f"signatures are {sorted(loaded.signatures.keys())}, expected {sorted(expected)}")
    for name, spec in expected.items():
        if name not in loaded.signatures:
            continue
        signature = loaded.signatures[name]
        inputs = {k: _spec(v) for k, v in signature.structured_input_signature[1].items()}
        outputs = {k: _spec(v) for k, v in signature.structured_outputs.items()}
        if inputs != spec["inputs"]:
            errors.append(f"signature {name!r} inputs are {inputs}, expected {spec['inputs']}")
        if outputs != spec["outputs"]:
            errors.append(f"signature {name!r} outputs are {outputs}, expected {spec['outputs']}")
    report["signatures"] = {k: expected[k] for k in sorted(expected)}

    max_diff, records = 0.0, []
    for i, record in enumerate(tf.data.TFRecordDataset(os.path.join(export_dir, WARMUP)).as_numpy_iterator()):
        signature_name, tensors = parse_prediction_log(record)
        records.append((signature_name, tensors))
        where = f"warmup record {i} ({signature_name})"
        if signature_name not in loaded.signatures:
            errors.append(f"{where}: the export has no such signature")
            continue
        signature = loaded.signatures[signature_name]
        specs = signature.structured_input_signature[1]
        try:
            outputs = signature(**{k: tf.io.parse_tensor(v, specs[k].dtype) for k, v in tensors.items()})
        except (tf.errors.OpError, KeyError, TypeError, ValueError) as err:
            errors.append(f"{where}: request failed: {str(err).splitlines()[0]}")
            continue
        want = reference["warmup_outputs"][i] if i < len(reference["warmup_outputs"]) else {}
        if sorted(want) != sorted(outputs):
            errors.append(f"{where}: outputs {sorted(outputs)}, reference has {sorted(want)}")
            continue
        for key in sorted(outputs):
            max_diff = max(max_diff, _compare(key, outputs[key], want[key], errors, where))
    report["warmup_records"] = len(records)
    if len(records) != len(reference["warmup_outputs"]):
        errors.append(f"{len(records)} warmup records but {len(reference['warmup_outputs'])} reference outputs")
    if not records:
        errors.append(f"{WARMUP}: no warmup records")
    report["max_abs_diff"] = max_diff
    if max_diff > reference["atol"]:
        errors.append(f"max abs difference from the in-memory model is {max_diff:.3g} > {reference['atol']}")

    for name, signature in loaded.signatures.items():
        if "image_bytes" not in signature.structured_input_signature[1]:
            continue
        try:
            signature(image_bytes=tf.constant([b"this is not an image"]))
            errors.append(f"signature {name!r} accepted a corrupt image instead of failing the request")
        except tf.errors.InvalidArgumentError:
            report["corrupt_image"] = "InvalidArgumentError"
        good = [tensors for sig, tensors in records if sig == name][:1]
        for tensors in good:  # the process survives and the next request works
            signature(**{k: tf.io.parse_tensor(v, tf.string) for k, v in tensors.items()})

    report["errors"] = errors
    report["ok"] = not errors
    return report


def predict_texts(export_dir, texts):
    import tensorflow as tf
    import tensorflow_text  # noqa: F401  (registers the tf-text ops the graph uses)

    serve = tf.saved_model.load(export_dir).signatures["serving_default"]
    out = serve(text=tf.constant(texts))
    for i, text in enumerate(texts):
        probabilities = out["probabilities"][i].numpy()
        print(json.dumps({
            "text": text,
            "label": out["label"][i].numpy().decode("utf-8"),
            "probability": round(float(probabilities.max()), 4),
        }))


def main(argv):
    if argv[:1] == ["--verify"] and len(argv) == 2:
        report = verify(argv[1])
        print(json.dumps(report, allow_nan=True))
        return 0 if report["ok"] else 1
    if not argv:
        print("usage: serve_check.py --verify EXPORT_DIR | serve_check.py EXPORT_DIR TEXT...", file=sys.stderr)
        return 2
    predict_texts(argv[0], argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
