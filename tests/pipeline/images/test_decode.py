from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from pipeline.images.decode import check_image_bytes, decode_image, scan_images, to_channels

from .conftest import BROKEN


def test_decode_scan_reports_and_skips_each_broken_file(image_folder):
    paths = sorted(str(p) for p in image_folder.rglob("*") if p.is_file())
    good, skipped = scan_images(paths, workers=2)
    reasons = {s.path.rsplit("/", 1)[1]: s.reason for s in skipped}
    assert set(reasons) == set(BROKEN)
    for name, expected in BROKEN.items():
        assert reasons[name].startswith(expected), (name, reasons[name])
    assert len(good) == len(paths) - len(BROKEN)


@pytest.mark.parametrize("name", ["a.png", "b.jpg", "c.bmp", "d.gif", "gray.png", "rgba.png", "la.png"])
@pytest.mark.parametrize("channels", [1, 3, 4])
def test_decode_every_format_and_mode_to_requested_channels(image_folder, name, channels):
    path = next(image_folder.rglob(name))
    image = decode_image(tf.io.read_file(str(path)), channels)
    assert image.dtype == tf.uint8 and image.shape[-1] == channels and image.shape.rank == 3


def test_decode_gif_gives_first_frame(image_folder):
    image = decode_image(tf.io.read_file(str(image_folder / "cats" / "d.gif")), 3).numpy()
    assert image.shape == (16, 16, 3) and abs(int(image.mean()) - 10) <= 2


def test_decode_to_channels_values():
    gray = np.array([[[7]]], np.uint8)
    assert to_channels(gray, 3).numpy().tolist() == [[[7, 7, 7]]]
    assert to_channels(gray, 4).numpy().tolist() == [[[7, 7, 7, 255]]]
    rgba = np.array([[[10, 20, 30, 40]]], np.uint8)
    assert to_channels(rgba, 3).numpy().tolist() == [[[10, 20, 30]]]
    with pytest.raises(ValueError, match="channels must be 1, 3 or 4"):
        to_channels(gray, 2)


def test_decode_check_image_bytes_reasons():
    assert check_image_bytes(b"") == "empty file"
    assert check_image_bytes(b"GIF89a garbage").startswith("corrupt or truncated GIF")
