"""Tiny image folders (good, and deliberately broken files) built once per session."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image


def encode(array: np.ndarray, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def image_folder(tmp_path_factory) -> Path:
    """cats/ and dogs/ in four formats and colour modes, plus four broken files in dogs/."""
    root = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(0)
    (root / "cats").mkdir()
    (root / "dogs").mkdir()
    rgb = rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)
    (root / "cats" / "a.png").write_bytes(encode(rgb, "PNG"))
    (root / "cats" / "b.jpg").write_bytes(encode(rgb // 2, "JPEG"))
    (root / "cats" / "c.bmp").write_bytes(encode(255 - rgb, "BMP"))
    frames = [Image.fromarray(np.full((16, 16, 3), v, np.uint8)) for v in (10, 250)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    (root / "cats" / "d.gif").write_bytes(buffer.getvalue())
    (root / "dogs" / "gray.png").write_bytes(encode(rng.integers(0, 256, (12, 12), dtype=np.uint8), "PNG"))
    rgba = rng.integers(0, 256, (12, 12, 4), dtype=np.uint8)
    (root / "dogs" / "rgba.png").write_bytes(encode(rgba, "PNG"))
    (root / "dogs" / "la.png").write_bytes(encode(rgba[..., 1:3].copy(), "PNG"))
    jpeg = encode(rgb, "JPEG")
    (root / "dogs" / "corrupt.jpg").write_bytes(jpeg[:30] + bytes(400) + jpeg[430:])
    png = encode(rgb, "PNG")
    (root / "dogs" / "truncated.png").write_bytes(png[: len(png) // 2])
    (root / "dogs" / "empty.png").write_bytes(b"")
    (root / "dogs" / "notes.jpg").write_text("this is a text file, not a JPEG\n")
    return root


BROKEN = {"corrupt.jpg": "corrupt or truncated JPEG", "truncated.png": "corrupt or truncated PNG",
          "empty.png": "empty file", "notes.jpg": "not an image"}
