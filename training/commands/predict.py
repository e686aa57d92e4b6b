"""`lexivision predict MODEL_DIR INPUT...`: run an export on raw texts or image files, print JSON lines.

Also prints (on stderr, or to ``--rest-body FILE``) the TF Serving REST request
body for the same inputs, ready for ``curl -d @FILE``.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path

from training.errors import UserError


def add_parser(subparsers, name):
    parser = subparsers.add_parser(
        name, help="Run an exported model on raw texts or image files.",
        description=(
            "Run an export's serving_default signature on raw texts (text models, language models) or image "
            "files (image models); print one JSON line per input, and the TF Serving REST request body."
        ),
    )
    parser.add_argument("model_dir", help="EXPORT_BASE/NAME/VERSION, or EXPORT_BASE/NAME for the latest version")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="texts, or image files")
    parser.add_argument("--rest-body", metavar="FILE", default=None,
                        help="write the REST request body here instead of printing it on stderr")
    parser.set_defaults(run=run)
    return parser


def _as_bytes(text: str) -> bytes:
    return os.fsencode(text)  # the bytes given on the command line, even if they are not UTF-8


def _jsonable(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def run(args) -> int:
    from training.export.verify import resolve_export_dir

    export_dir = resolve_export_dir(args.model_dir)
    import tensorflow as tf
    import tensorflow_text  # noqa: F401  (registers the tf-text ops text exports use)

    signature = tf.saved_model.load(str(export_dir)).signatures["serving_default"]
    (input_name,) = signature.structured_input_signature[1]
    if input_name == "image_bytes":
        data = []
        for name in args.inputs:
            if not Path(name).is_file():
                raise UserError(f"{name}: no such image file; this model ({export_dir}) takes image files")
            data.append(Path(name).read_bytes())
        instances = [{"b64": base64.b64encode(b).decode("ascii")} for b in data]
    else:
        data = [_as_bytes(text) for text in args.inputs]
        instances = [b.decode("utf-8", errors="replace") for b in data]
    try:
        outputs = signature(**{input_name: tf.constant(data, tf.string)})
    except tf.errors.InvalidArgumentError as err:
        detail = str(err).strip().splitlines()[0]
        raise UserError(f"{export_dir}: the model rejected the inputs ({detail}); check that they are valid images") from None
    outputs = {k: v.numpy().tolist() for k, v in sorted(outputs.items())}
    for i, name in enumerate(args.inputs):
        print(json.dumps({"input": name, **{k: _jsonable(v[i]) for k, v in outputs.items()}}, ensure_ascii=False))
    body = json.dumps({"instances": instances})
    if args.rest_body:
        Path(args.rest_body).write_text(body + "\n", encoding="utf-8")
    else:
        print(f"# TF Serving REST body (POST http://HOST:8501/v1/models/{export_dir.parent.name}:predict):", file=sys.stderr)
        print(body, file=sys.stderr)
    return 0
