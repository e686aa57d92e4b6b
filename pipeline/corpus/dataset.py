"""``shard_dataset``: the shards of ``preprocess_corpus`` as a batched, bucketed ``tf.data.Dataset``.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "r.tsv").write_text("pos\\tA good film.\\nneg\\tBad.\\n")
>>> _ = preprocess_corpus([folder / "r.tsv"], folder / "out", workers=1)
>>> ids, labels = next(iter(shard_dataset(folder / "out", batch_size=2)))
>>> ids.shape[0], sorted(labels.numpy().tolist())
(2, [0, 1])
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import tensorflow as tf

from pipeline.corpus.inputs import CorpusError
from pipeline.corpus.preprocess import MANIFEST, preprocess_corpus  # noqa: F401 (doctest)

__all__ = ["default_boundaries", "shard_dataset"]


def default_boundaries(max_length: int) -> list[int]:
    """Powers of two from 8 below ``max_length`` (``tf.data`` semantics: bucket i holds
    lengths in ``[b[i-1], b[i])``), so that a batch wastes little padding.

    >>> default_boundaries(64)
    [8, 16, 32]
    """
    out, edge = [], 8
    while edge < max_length:
        out.append(edge)
        edge *= 2
    return out or [max_length]


def _manifest(out: Path) -> dict:
    path = out / MANIFEST
    if not path.is_file():
        raise CorpusError(f"{out}: no {MANIFEST}; run preprocess_corpus (or `lexivision preprocess`) to completion first")
    return json.loads(path.read_text(encoding="utf-8"))


def shard_dataset(
    out_dir: str | os.PathLike,
    batch_size: int,
    *,
    bucket_boundaries: Sequence[int] | None = None,
    shuffle_buffer: int = 0,
    seed: int | None = None,
    with_text: bool = False,
    as_supervised: bool = True,
) -> tf.data.Dataset:
    """Batches of ``(token_ids [batch, length], label [batch])`` bucketed by length.

    ``bucket_boundaries`` as in ``tf.data.Dataset.bucket_by_sequence_length``
    (default :func:`default_boundaries` of the corpus' ``max_length``).
    Shards are read in parallel (deterministic order unless ``shuffle_buffer``);
    each batch is padded with 0 to its longest sequence; ``label`` is -1 for
    records without one. With ``as_supervised=False`` elements are dicts
    (``token_ids``, ``label``, ``length`` and, with ``with_text``, ``text``).
    """
    out = Path(out_dir)
    manifest = _manifest(out)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise CorpusError(f"batch_size must be an int >= 1. Received: batch_size={batch_size!r}")
    files = [str(out / shard["file"]) for shard in manifest["shards"]]
    max_length = manifest["config"]["text"]["max_length"]
    boundaries = list(bucket_boundaries or default_boundaries(max_length))
    spec = {
        "token_ids": tf.io.RaggedFeature(tf.int64),
        "label": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
    }
    if with_text:
        spec["text"] = tf.io.FixedLenFeature([], tf.string, default_value="")

    def parse(record):
        example = tf.io.parse_single_example(record, spec)
        example["length"] = tf.shape(example["token_ids"])[0]
        return example

    ds = tf.data.Dataset.from_tensor_slices(files)
    ds = ds.interleave(tf.data.TFRecordDataset, cycle_length=min(4, len(files)), num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    if shuffle_buffer:
        ds = ds.shuffle(shuffle_buffer, seed=seed)
    ds = ds.map(parse, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.bucket_by_sequence_length(
        element_length_func=lambda example: example["length"],
        bucket_boundaries=boundaries,
        bucket_batch_sizes=[batch_size] * (len(boundaries) + 1),
        padded_shapes={k: ([None] if k == "token_ids" else []) for k in spec} | {"length": []},
    )
    if as_supervised:
        ds = ds.map(lambda example: (example["token_ids"], example["label"]))
    return ds.prefetch(tf.data.AUTOTUNE)
