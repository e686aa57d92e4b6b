from __future__ import annotations

import io
import json

import numpy as np
import pytest

from training.export.image_classifier import decode_images, synthetic_images
from training.export.run_kind import detect_run_kind
from training.export.verify import REPORT_FILE


def _encode(array: np.ndarray, fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt)
    return buffer.getvalue()


def test_image_classifier_export_verifies_both_signatures(image_export, load_signature):
    report = json.loads((image_export / REPORT_FILE).read_text())
    assert report["ok"] and report["max_abs_diff"] <= 1e-5
    assert report["corrupt_image"] == "InvalidArgumentError"
    assert sorted(report["signatures"]) == ["pixels", "serving_default"]
    (spec,) = load_signature(image_export, "pixels").structured_input_signature[1].values()
    assert (spec.dtype.name, spec.shape.as_list()) == ("float32", [None, 8, 6, 1])
    (spec,) = load_signature(image_export).structured_input_signature[1].values()
    assert (spec.name, spec.dtype.name, spec.shape.as_list()) == ("image_bytes", "string", [None])


def test_image_classifier_bytes_and_pixels_agree_with_in_memory_model(image_run, image_export, load_signature):
    import tensorflow as tf

    kind = detect_run_kind(image_run)
    pixels = np.random.default_rng(0).integers(0, 256, (8, 6), dtype=np.uint8)
    png = _encode(pixels, "PNG")
    from_bytes = load_signature(image_export)(image_bytes=tf.constant([png, png]))["probabilities"].numpy()
    x = (pixels.astype(np.float32) / 255)[np.newaxis, :, :, np.newaxis]
    from_pixels = load_signature(image_export, "pixels")(pixels=tf.constant(x))["probabilities"].numpy()
    in_memory = kind.model.predict_on_batch(x)
    np.testing.assert_allclose(from_bytes[0], from_pixels[0], atol=1e-6)
    np.testing.assert_allclose(from_pixels, in_memory, atol=1e-6)


def test_image_classifier_corrupt_image_fails_only_that_request(image_export, load_signature):
    import tensorflow as tf

    signature = load_signature(image_export)
    good = synthetic_images(8, 6)[0]
    truncated = good[: len(good) // 2]
    for bad in (b"not an image", truncated):
        with pytest.raises(tf.errors.InvalidArgumentError):
            signature(image_bytes=tf.constant([good, bad]))
    out = signature(image_bytes=tf.constant([good]))  # the process survives; the next request works
    assert np.isfinite(out["probabilities"].numpy()).all()


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [(f, m) for f in ("PNG", "JPEG", "BMP", "GIF") for m in ("L", "RGB")] + [("PNG", "RGBA"), ("GIF", "RGBA")],
)
def test_image_classifier_decodes_every_format_to_the_model_shape(fmt, mode):
    from PIL import Image

    image = Image.fromarray(np.full((5, 7, 3), 200, np.uint8)).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    for channels in (1, 3):
        out = decode_images(np.array([buffer.getvalue()], dtype=object), 4, 4, channels).numpy()
        assert out.shape == (1, 4, 4, channels)
        np.testing.assert_allclose(out, 200 / 255, atol=0.02)  # gray 200 in every channel, any format


def test_image_classifier_config_errors(tmp_path, image_run):
    import shutil

    from training.errors import UserError

    run = tmp_path / "run"
    shutil.copytree(image_run, run)
    (run / "image_config.json").write_text('{"height": 8, "width": 6, "channels": 4}')
    with pytest.raises(UserError, match=r"image_config.json: 'channels' must be 1 \(gray\) or 3 \(RGB\). Received: 4"):
        detect_run_kind(run)
    (run / "image_config.json").write_text('{"height": 8, "width": "6", "channels": 1}')
    with pytest.raises(UserError, match=r"'width' must be a positive integer. Received: '6'"):
        detect_run_kind(run)
    (run / "image_config.json").write_text('{"height": 9, "width": 6, "channels": 1}')
    with pytest.raises(UserError, match=r"says \[9, 6, 1\] but model.keras takes images of shape \[8, 6, 1\]"):
        detect_run_kind(run)
    (run / "image_config.json").write_text("{height")
    with pytest.raises(UserError, match=r"image_config.json: not valid JSON"):
        detect_run_kind(run)


def test_image_classifier_rejects_a_corrupt_warmup_sample(image_run, tmp_path):
    from training.errors import UserError
    from training.export import export_saved_model

    with pytest.raises(UserError, match=r"warmup sample 2: not a JPEG, PNG, GIF or BMP image"):
        export_saved_model(image_run, tmp_path / "image", samples=[synthetic_images(8, 6)[0], b"GIF89a broken"])
    assert not (tmp_path / "image").exists()
