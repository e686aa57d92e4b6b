from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from pipeline.images.preview import write_preview


def test_preview_writes_a_grid_png(image_folder, tmp_path):
    out = write_preview([image_folder / "cats" / "a.png", image_folder / "dogs" / "gray.png"], tmp_path / "g.png",
                        policy="light", seed=0, variants=2, size=16)
    grid = np.asarray(Image.open(out))
    assert grid.shape == (2 * 18 + 2, 3 * 18 + 2, 3)
    assert not np.array_equal(grid[2:18, 2:18], grid[2:18, 20:36])  # the variant differs from the original


def test_preview_rejects_a_broken_image(image_folder, tmp_path):
    with pytest.raises(ValueError, match=r"notes.jpg: not an image"):
        write_preview([image_folder / "dogs" / "notes.jpg"], tmp_path / "g.png")
