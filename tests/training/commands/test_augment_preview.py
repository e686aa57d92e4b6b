from __future__ import annotations

import io

import numpy as np
from PIL import Image

from training.cli import main


def test_augment_preview_writes_png(tmp_path, capsys):
    src = tmp_path / "x.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (20, 20, 3), dtype=np.uint8)).save(src)
    out = tmp_path / "grid.png"
    assert main(["augment-preview", str(src), "-o", str(out), "--policy", "standard", "--seed", "0",
                 "--variants", "3", "--size", "32"]) == 0
    grid = Image.open(io.BytesIO(out.read_bytes()))
    assert grid.format == "PNG" and grid.size == (4 * 34 + 2, 34 + 2)
    assert "wrote" in capsys.readouterr().out


def test_augment_preview_missing_input_is_a_clean_error(tmp_path, capsys):
    code = main(["augment-preview", str(tmp_path / "missing.jpg"), "-o", str(tmp_path / "g.png")])
    err = capsys.readouterr().err
    assert code == 2 and "missing.jpg: no such image file" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "g.png").exists()
