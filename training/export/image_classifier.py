"""Export an image classifier: ``serving_default`` takes encoded ``image_bytes``, ``pixels`` takes floats.

``image_bytes`` (JPEG, PNG, GIF or BMP, any size, gray or colour, alpha
dropped) are decoded and resized inside the graph to the model's
``[height, width, channels]`` float pixels in ``[0, 1]``. The input name ends
in ``_bytes`` so that TF Serving's REST API accepts ``{"b64": ...}`` values.
An undecodable image fails its request with ``InvalidArgumentError``; the
server keeps running.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np

from training.errors import UserError
from training.export.run_kind import (
    RunKind,
    SignatureSpec,
    check_num_classes,
    classification_outputs,
    classification_reference,
    classification_spec,
)
from training.export.warmup import Request

__all__ = ["ImageClassifier", "decode_images", "synthetic_images"]

RESIZE_METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
_GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)  # tf.image.rgb_to_grayscale's (ITU-R 601)


def decode_images(image_bytes, height: int, width: int, channels: int, method: str = "bilinear"):
    """tf.string ``[batch]`` of encoded images -> float32 ``[batch, height, width, channels]`` in [0, 1].

    >>> import tensorflow as tf
    >>> png = tf.io.encode_png(tf.fill([4, 6, 3], tf.constant(255, tf.uint8)))
    >>> decode_images(tf.stack([png]), 2, 3, 1).shape
    TensorShape([1, 2, 3, 1])
    """
    import tensorflow as tf

    def one(data):
        image = tf.io.decode_image(data, channels=0, expand_animations=False, dtype=tf.float32)
        n = tf.shape(image)[-1]
        image = tf.cond(tf.equal(n % 2, 0), lambda: image[..., : n - 1], lambda: image)  # drop alpha
        n = tf.shape(image)[-1]
        if channels == 1:
            gray = lambda: tf.reduce_sum(image[..., :3] * tf.constant(_GRAY_WEIGHTS), axis=-1, keepdims=True)  # noqa: E731
            image = tf.cond(tf.equal(n, 3), gray, lambda: image[..., :1])
        else:
            image = tf.cond(tf.equal(n, 1), lambda: tf.tile(image[..., :1], [1, 1, 3]), lambda: image[..., :3])
        image = tf.ensure_shape(image, [None, None, channels])
        return tf.image.resize(image, [height, width], method=method)

    return tf.map_fn(one, image_bytes, fn_output_signature=tf.TensorSpec([height, width, channels], tf.float32))


def synthetic_images(height: int, width: int) -> list[bytes]:
    """A few encoded images (PNG, JPEG, BMP, GIF; colour, gray, another size) for warmup."""
    from PIL import Image

    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([255 * x / max(width - 1, 1), 255 * y / max(height - 1, 1), 128 + 0 * x], -1).astype(np.uint8)
    big = np.kron(rgb, np.ones((2, 3, 1), np.uint8))
    images = [("PNG", rgb), ("JPEG", rgb), ("BMP", rgb), ("GIF", rgb), ("PNG", rgb[..., 0]), ("JPEG", big)]
    out = []
    for fmt, array in images:
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, format=fmt)
        out.append(buffer.getvalue())
    return out


class ImageClassifier(RunKind):
    """Encoded images or float pixels in; class ``probabilities``, top ``label`` and ``label_id`` out."""

    kind = "image_classifier"
    marker = "image_config.json"
    required = ("model.keras", "labels.txt", "image_config.json")

    def __init__(self, run_dir):
        super().__init__(run_dir)
        config = self.read_json("image_config.json")
        path = self.run_dir / "image_config.json"
        for key in ("height", "width", "channels"):
            value = config.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UserError(f"{path}: {key!r} must be a positive integer. Received: {value!r}")
        if config["channels"] not in (1, 3):
            raise UserError(f"{path}: 'channels' must be 1 (gray) or 3 (RGB). Received: {config['channels']}")
        self.method = config.get("resize_method", "bilinear")
        if self.method not in RESIZE_METHODS:
            raise UserError(f"{path}: 'resize_method' must be one of {RESIZE_METHODS}. Received: {self.method!r}")
        self.shape = (config["height"], config["width"], config["channels"])
        self.labels = self.read_labels()
        self.model = self.load_model()
        check_num_classes(self.model, self.labels, self.run_dir)
        model_shape = tuple(self.model.inputs[0].shape[1:])
        if model_shape != self.shape:
            raise UserError(f"{path}: says {list(self.shape)} but model.keras takes images of shape {list(model_shape)}")

    def signatures(self) -> dict[str, SignatureSpec]:
        pixels = ["float32", [None, *self.shape]]
        return {
            "serving_default": classification_spec({"image_bytes": ["string", [None]]}, len(self.labels)),
            "pixels": classification_spec({"pixels": pixels}, len(self.labels)),
        }

    def _decode(self, image_bytes):
        return decode_images(image_bytes, *self.shape, method=self.method)

    def build_archive(self):
        import keras
        import tensorflow as tf

        archive = keras.export.ExportArchive()
        archive.track(self.model)
        label_names = tf.constant(self.labels)

        def serve_bytes(image_bytes):
            return classification_outputs(self.model(self._decode(image_bytes), training=False), label_names)

        def serve_pixels(pixels):
            return classification_outputs(self.model(pixels, training=False), label_names)

        archive.add_endpoint(
            "serving_default", serve_bytes, input_signature=[tf.TensorSpec([None], tf.string, name="image_bytes")]
        )
        archive.add_endpoint(
            "pixels", serve_pixels, input_signature=[tf.TensorSpec([None, *self.shape], tf.float32, name="pixels")]
        )
        return archive

    def warmup_requests(self, samples: Sequence[bytes] = ()) -> list[Request]:
        import tensorflow as tf

        for i, sample in enumerate(samples):
            try:
                self._decode(tf.constant([bytes(sample)]))
            except tf.errors.InvalidArgumentError:
                raise UserError(
                    f"warmup sample {i + 1}: not a JPEG, PNG, GIF or BMP image; a failing warmup request "
                    "would stop TF Serving from loading the model, so pass only valid images"
                ) from None
        images = [*synthetic_images(*self.shape[:2]), *samples]
        requests = [("serving_default", {"image_bytes": np.array([b], dtype=object)}) for b in images]
        requests.append(("serving_default", {"image_bytes": np.array(images, dtype=object)}))
        pixels = np.linspace(0, 1, 2 * int(np.prod(self.shape)), dtype=np.float32).reshape(2, *self.shape)
        requests.append(("pixels", {"pixels": pixels}))
        return requests

    def reference(self, signature: str, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        import tensorflow as tf

        if signature == "pixels":
            pixels = inputs["pixels"]
        else:
            pixels = self._decode(tf.constant(inputs["image_bytes"], tf.string))
        return classification_reference(self.model.predict_on_batch(pixels), self.labels)

    def sample_request(self, inputs: Sequence[Any]) -> Request:
        return "serving_default", {"image_bytes": np.array([bytes(b) for b in inputs], dtype=object)}
