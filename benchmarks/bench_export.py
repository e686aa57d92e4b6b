"""Latency of an export (``tf.saved_model.load``) against the in-memory Keras model, same inputs.

    python -m benchmarks.bench_export [--calls 200] [--fortunes DIR] [--fashion DIR]

Text: raw fortunes through the export's ``serving_default`` vs a Keras model
``TextPreprocessor -> averaged embedding`` called with ``predict_on_batch`` on
the same strings. Images: Fashion-MNIST pixels through the export's ``pixels``
signature vs ``predict_on_batch`` of the CNN; and PNG bytes through
``serving_default`` vs the same decode (in a ``tf.function``) + ``predict_on_batch``. Batch sizes 1 and
64; calls alternate between the two sides so load on a shared machine hits
both alike. Prints p50 / p99 in milliseconds and export / in-memory ratios.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _fashion_images(directory: Path, n: int) -> np.ndarray:
    with gzip.open(directory / "t10k-images-idx3-ubyte.gz", "rb") as f:
        data = f.read()
    count, rows, cols = (int.from_bytes(data[i : i + 4], "big") for i in (4, 8, 12))
    pixels = np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols)
    return pixels[:n]


def _text_run(path: Path, fortunes: Path) -> list[str]:
    import keras

    from pipeline.corpus.fortunes import read_fortunes
    from pipeline.text.config import TextConfig
    from pipeline.text.tokenize import tokenize
    from training.models import average_embedding
    from vocab import TokenCounts, Vocabulary

    records = read_fortunes(fortunes)[:3000]
    texts = [r.text for r in records]
    labels = sorted({r.label for r in records})
    config = TextConfig(max_length=64)
    vocabulary = Vocabulary.build(TokenCounts().update(tokenize(texts, config)), min_freq=2)
    path.mkdir(parents=True)
    vocabulary.save(path / "vocabulary.txt")
    (path / "text_config.json").write_text(json.dumps(config.to_dict()))
    (path / "labels.txt").write_text("".join(f"{label}\n" for label in labels))
    keras.utils.set_random_seed(0)
    average_embedding(len(vocabulary), len(labels), sequence_length=64, embedding_dim=64, hidden_units=[64]).save(
        path / "model.keras"
    )
    return texts


def _image_run(path: Path) -> None:
    import keras

    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(28, 28, 1), name="pixels")
    x = keras.layers.Conv2D(16, 3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Conv2D(32, 3, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    path.mkdir(parents=True)
    keras.Model(inputs, outputs).save(path / "model.keras")
    (path / "labels.txt").write_text("".join(f"class_{i}\n" for i in range(10)))
    (path / "image_config.json").write_text(json.dumps({"height": 28, "width": 28, "channels": 1}))


def _race(exported, in_memory, calls: int) -> tuple[np.ndarray, np.ndarray]:
    for _ in range(10):
        exported(), in_memory()
    a, b = [], []
    for _ in range(calls):
        t = time.perf_counter()
        exported()
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        in_memory()
        b.append(time.perf_counter() - t)
    return np.array(a) * 1e3, np.array(b) * 1e3


def _row(name: str, batch: int, a: np.ndarray, b: np.ndarray) -> str:
    pa, pb = np.percentile(a, [50, 99]), np.percentile(b, [50, 99])
    return (
        f"| {name} | {batch} | {pa[0]:.2f} / {pa[1]:.2f} | {pb[0]:.2f} / {pb[1]:.2f} "
        f"| {pa[0] / pb[0]:.2f}x / {pa[1] / pb[1]:.2f}x |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--fortunes", type=Path, default=Path("/usr/share/games/fortunes"))
    parser.add_argument("--fashion", type=Path, default=Path("/usr/share/datasets/fashion-mnist"))
    args = parser.parse_args(argv)

    import keras
    import tensorflow as tf
    import tensorflow_text  # noqa: F401

    from training.export import export_saved_model
    from training.export.run_kind import detect_run_kind

    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    texts = _text_run(work / "runs" / "text", args.fortunes)
    _image_run(work / "runs" / "image")
    timings = {}
    for name in ("text", "image"):
        t = time.perf_counter()
        export_saved_model(work / "runs" / name, work / "exports" / name)
        timings[name] = time.perf_counter() - t
    print(f"export + fresh-process verification: text {timings['text']:.1f} s, image {timings['image']:.1f} s")

    text_kind = detect_run_kind(work / "runs" / "text")
    raw = keras.Input(shape=(), dtype="string")
    text_model = keras.Model(raw, text_kind.model(text_kind.preprocessor(raw)))
    text_sig = tf.saved_model.load(str(work / "exports" / "text" / "1")).signatures["serving_default"]
    image_kind = detect_run_kind(work / "runs" / "image")
    image_export = tf.saved_model.load(str(work / "exports" / "image" / "1"))
    pixels_sig, bytes_sig = image_export.signatures["pixels"], image_export.signatures["serving_default"]
    images = _fashion_images(args.fashion, 64)
    pngs = [tf.io.encode_png(image[:, :, None]).numpy() for image in images]
    decode = tf.function(image_kind._decode)  # the in-memory side decodes in a traced graph too

    rows = []
    for batch in (1, 64):
        strings = tf.constant([t.encode("utf-8") for t in texts[:batch]])
        np.testing.assert_allclose(  # same inputs, same outputs
            text_sig(text=strings)["probabilities"].numpy(), text_model.predict_on_batch(strings), atol=1e-5
        )
        rows.append(_row("text: raw strings", batch, *_race(
            lambda: text_sig(text=strings), lambda: text_model.predict_on_batch(strings), args.calls
        )))
        x = tf.constant(images[:batch, :, :, None].astype(np.float32) / 255)
        rows.append(_row("image: float pixels", batch, *_race(
            lambda: pixels_sig(pixels=x), lambda: image_kind.model.predict_on_batch(x), args.calls
        )))
        encoded = tf.constant(pngs[:batch])
        rows.append(_row("image: PNG bytes (decode in the graph vs tf.function decode + predict)", batch, *_race(
            lambda: bytes_sig(image_bytes=encoded),
            lambda: image_kind.model.predict_on_batch(decode(encoded)),
            args.calls,
        )))
    print(f"\n{args.calls} calls per cell, ms p50 / p99; ratio = export / in-memory Keras\n")
    print("| inputs | batch | export (tf.saved_model.load) | in-memory Keras predict_on_batch | ratio p50 / p99 |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
