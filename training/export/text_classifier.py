"""Export a text classifier: ``serving_default`` takes raw ``text`` strings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from training.export.run_kind import (
    RunKind,
    SignatureSpec,
    check_num_classes,
    classification_outputs,
    classification_reference,
    classification_spec,
)
from training.export.warmup import Request

__all__ = ["TextClassifier", "WARMUP_TEXTS", "load_preprocessor", "text_array"]

# Real inputs every text export replays at load: ordinary sentences, an empty
# text, and bytes that are not UTF-8 (coerced to U+FFFD in the graph).
WARMUP_TEXTS: tuple[str | bytes, ...] = (
    "The quick brown fox jumps over the lazy dog.",
    "I can't believe it's not butter!",
    "",
    b"caf\xe9 au lait \xff\xfe",
)


def text_array(texts: Sequence[str | bytes]) -> np.ndarray:
    """Texts as the object array of bytes that ``tf.make_tensor_proto`` sends as DT_STRING."""
    return np.array([t.encode("utf-8") if isinstance(t, str) else bytes(t) for t in texts], dtype=object)


def load_preprocessor(run_dir):
    """The ``TextPreprocessor`` of a run directory (``text_config.json`` + ``vocabulary.txt``)."""
    from pipeline.text.config import ConfigError, TextConfig
    from pipeline.text.preprocessor import TextPreprocessor
    from training.errors import UserError
    from vocab import Vocabulary

    path = run_dir / "text_config.json"
    try:
        import json

        config = TextConfig.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ConfigError, ValueError, TypeError) as err:
        raise UserError(f"{path}: {err}") from None
    return TextPreprocessor(config, Vocabulary.load(run_dir / "vocabulary.txt"))


class TextClassifier(RunKind):
    """Raw text in; class ``probabilities``, top ``label`` and ``label_id`` out."""

    kind = "text_classifier"
    marker = "text_config.json"
    required = ("model.keras", "vocabulary.txt", "text_config.json", "labels.txt")

    def __init__(self, run_dir):
        super().__init__(run_dir)
        self.labels = self.read_labels()
        self.preprocessor = load_preprocessor(self.run_dir)
        self.model = self.load_model()
        check_num_classes(self.model, self.labels, self.run_dir)
        # A model built with `preprocessor=` takes raw strings itself.
        self.takes_text = self.model.inputs[0].dtype == "string"

    def signatures(self) -> dict[str, SignatureSpec]:
        return {"serving_default": classification_spec({"text": ["string", [None]]}, len(self.labels))}

    def _probabilities(self, text):
        return self.model(text if self.takes_text else self.preprocessor(text), training=False)

    def build_archive(self):
        import keras
        import tensorflow as tf

        archive = keras.export.ExportArchive()
        archive.track(self.model)
        archive.track(self.preprocessor)
        label_names = tf.constant(self.labels)

        def serve(text):
            return classification_outputs(self._probabilities(text), label_names)

        archive.add_endpoint("serving_default", serve, input_signature=[tf.TensorSpec([None], tf.string, name="text")])
        return archive

    def warmup_requests(self, samples: Sequence[str | bytes] = ()) -> list[Request]:
        frequent = " ".join(self.preprocessor.vocabulary.tokens()[:12])
        texts = [*WARMUP_TEXTS, frequent, *samples]
        requests = [("serving_default", {"text": text_array([t])}) for t in texts]
        requests.append(("serving_default", {"text": text_array(texts)}))
        return requests

    def reference(self, signature: str, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        import tensorflow as tf

        text = tf.constant(inputs["text"], tf.string)
        x = text if self.takes_text else self.preprocessor(text)
        return classification_reference(self.model.predict_on_batch(x), self.labels)

    def sample_request(self, inputs: Sequence[Any]) -> Request:
        return "serving_default", {"text": text_array(inputs)}
