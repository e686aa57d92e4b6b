"""Reading corpora and batch preprocessing (pure Python; TF only where shards are read).

- ``inputs``: paths -> files with formats; ``readers``: streaming records with file:line;
  ``problems``: counted, located skips.
- ``vocabulary``: ``build_vocabulary`` over a process pool (``parallel.bounded_map``).
- ``preprocess``: ``preprocess_corpus`` -> TFRecord shards (``tfrecord``, no TensorFlow),
  vocabularies, manifest; resumable. ``beam``: the same on Apache Beam.
- ``dataset``: ``shard_dataset``, the shards as a bucketed ``tf.data.Dataset``.
- ``records``, ``fortunes``, ``split``: the record type, the fortunes reader, splits.
"""
