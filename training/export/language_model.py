"""Export a next-word language model: ``serving_default`` takes a ``context`` string.

The context is tokenised in the graph exactly as training text is; its ids
(with ``<s>`` first when ``text_config.start_token``, never ``</s>``) are cut to
the last ``context_size`` and left-padded with 0. The model's next-word
probabilities become the ``top_k`` most likely ``words`` (padding, OOV and
``<s>`` excluded), their ``probabilities`` and ``word_ids``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from training.errors import UserError
from training.export.run_kind import RunKind, SignatureSpec
from training.export.text_classifier import WARMUP_TEXTS, load_preprocessor, text_array
from training.export.warmup import Request

__all__ = ["LanguageModel", "context_ids"]


def context_ids(tokens, lookup, context_size: int, start_id: int | None = None):
    """Ragged string tokens ``[batch, (n)]`` -> int64 ``[batch, context_size]``: the last ids, left-padded with 0.

    >>> import tensorflow as tf
    >>> table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([2, 3], tf.int64)), 1)
    >>> context_ids(tf.ragged.constant([["a", "b", "x"], [], ["b"]]), table.lookup, 2, start_id=4).numpy().tolist()
    [[3, 1], [0, 4], [4, 3]]
    """
    import tensorflow as tf

    ids = tokens.with_flat_values(tf.cast(lookup(tokens.flat_values), tf.int64))
    if start_id is not None:
        batch = ids.nrows()
        ids = tf.concat([tf.RaggedTensor.from_tensor(tf.fill([batch, 1], tf.constant(start_id, tf.int64))), ids], axis=1)
    tail = ids[:, -context_size:]
    dense = tail.to_tensor(default_value=0, shape=[None, context_size])  # right-padded
    shift = context_size - tail.row_lengths()  # move each row right by its padding
    index = tf.range(context_size, dtype=tf.int64)[tf.newaxis, :] - shift[:, tf.newaxis]
    gathered = tf.gather(dense, tf.maximum(index, 0), batch_dims=1)
    return tf.where(index >= 0, gathered, tf.zeros_like(gathered))


class LanguageModel(RunKind):
    """A context string in; the ``top_k`` next ``words``, their ``probabilities`` and ``word_ids`` out."""

    kind = "language_model"
    marker = "lm_config.json"
    required = ("model.keras", "vocabulary.txt", "text_config.json", "lm_config.json")

    def __init__(self, run_dir):
        super().__init__(run_dir)
        config = self.read_json("lm_config.json")
        path = self.run_dir / "lm_config.json"
        for key, default in (("context_size", None), ("top_k", 5)):
            value = config.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UserError(f"{path}: {key!r} must be a positive integer. Received: {value!r}")
        self.context_size = config["context_size"]
        self.preprocessor = load_preprocessor(self.run_dir)
        self.vocabulary = self.preprocessor.vocabulary
        self.lookup = self.vocabulary.lookup_layer()
        self.lookup.build(None)  # ExportArchive tracks built layers only
        self.model = self.load_model()
        table = self.vocabulary.tokens(include_specials=True)
        in_shape, out_width = tuple(self.model.inputs[0].shape[1:]), self.model.outputs[0].shape[-1]
        if in_shape != (self.context_size,) or out_width != len(table):
            raise UserError(
                f"{self.run_dir / 'model.keras'}: takes {list(in_shape)} ids and outputs {out_width} probabilities, "
                f"but lm_config.json and vocabulary.txt say [{self.context_size}] and {len(table)}"
            )
        self.words = table
        self.start_id = self.vocabulary.token_id("<s>") if self.preprocessor.config.start_token else None
        excluded = {0, *range(1, 1 + self.vocabulary.num_oov_indices)}
        if self.start_id is not None:
            excluded.add(self.start_id)
        self.candidates = np.array([i not in excluded for i in range(len(table))])
        self.top_k = min(int(config.get("top_k", 5)), int(self.candidates.sum()))

    def signatures(self) -> dict[str, SignatureSpec]:
        k = self.top_k
        return {
            "serving_default": {
                "inputs": {"context": ["string", [None]]},
                "outputs": {
                    "words": ["string", [None, k]],
                    "probabilities": ["float32", [None, k]],
                    "word_ids": ["int64", [None, k]],
                },
            }
        }

    def _ids(self, context):
        return context_ids(self.preprocessor.tokens(context), self.lookup, self.context_size, self.start_id)

    def build_archive(self):
        import keras
        import tensorflow as tf

        archive = keras.export.ExportArchive()
        archive.track(self.model)
        archive.track(self.preprocessor)
        archive.track(self.lookup)
        words = tf.constant(self.words)
        candidates = tf.constant(self.candidates)

        def serve(context):
            probabilities = tf.cast(self.model(self._ids(context), training=False), tf.float32)
            scores = tf.where(candidates[tf.newaxis, :], probabilities, -1.0)
            word_ids = tf.cast(tf.math.top_k(scores, k=self.top_k).indices, tf.int64)
            return {
                "words": tf.gather(words, word_ids),
                "probabilities": tf.gather(probabilities, word_ids, batch_dims=1),
                "word_ids": word_ids,
            }

        archive.add_endpoint("serving_default", serve, input_signature=[tf.TensorSpec([None], tf.string, name="context")])
        return archive

    def warmup_requests(self, samples: Sequence[str | bytes] = ()) -> list[Request]:
        frequent = " ".join(self.vocabulary.tokens()[:12])
        texts = [*WARMUP_TEXTS, frequent, *samples]
        requests = [("serving_default", {"context": text_array([t])}) for t in texts]
        requests.append(("serving_default", {"context": text_array(texts)}))
        return requests

    def reference(self, signature: str, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        import tensorflow as tf

        ids = self._ids(tf.constant(inputs["context"], tf.string))
        probabilities = np.asarray(self.model.predict_on_batch(ids), np.float32)
        scores = np.where(self.candidates[np.newaxis, :], probabilities, -1.0)
        word_ids = np.argsort(-scores, axis=-1, kind="stable")[:, : self.top_k].astype(np.int64)
        return {
            "words": np.array([[self.words[i].encode("utf-8") for i in row] for row in word_ids], dtype=object),
            "probabilities": np.take_along_axis(probabilities, word_ids, axis=-1),
            "word_ids": word_ids,
        }

    def sample_request(self, inputs: Sequence[Any]) -> Request:
        return "serving_default", {"context": text_array(inputs)}
