"""The whole export: versions, cleanup after failures, the `export` and `predict` commands."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

import training
from training.cli import main
from training.export import ExportVerificationError, export_saved_model, verify_export
from training.export.verify import REFERENCE_FILE


def test_export_public_names():
    assert training.export_saved_model is export_saved_model
    from training.export import layout

    assert training.export.next_version is layout.next_version


def test_export_interrupted_leaves_no_partial_folder(text_run, tmp_path, monkeypatch):
    import training.export as export

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "write_warmup_requests", fail)  # after the SavedModel is written
    with pytest.raises(KeyboardInterrupt):
        export_saved_model(text_run, tmp_path / "exports" / "text")
    assert list((tmp_path / "exports" / "text").iterdir()) == []
    assert not (tmp_path / "exports" / "models.config").exists()


@pytest.mark.slow
def test_export_failed_verification_leaves_no_version_folder(text_run, tmp_path, monkeypatch):
    """A reference that disagrees with the graph must fail the fresh-process check, and nothing stays."""
    import training.export as export

    real = export.write_reference

    def skewed(export_dir, kind, requests):
        path = real(export_dir, kind, requests)
        reference = json.loads(path.read_text())
        reference["warmup_outputs"][0]["probabilities"][0][0] += 1e-3
        path.write_text(json.dumps(reference))
        return path

    monkeypatch.setattr(export, "write_reference", skewed)
    with pytest.raises(ExportVerificationError, match=r"not servable: max abs difference from the in-memory model is 0.001"):
        export_saved_model(text_run, tmp_path / "text")
    assert list((tmp_path / "text").iterdir()) == []


def test_export_twice_gives_versions_1_and_2_via_the_command(text_run, text_export, capsys):
    model_base = text_export.parent
    assert main(["export", str(text_run), str(model_base)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == str(model_base / "2")
    assert out[1].startswith("verified in a fresh process: signatures serving_default;")
    assert sorted(p.name for p in model_base.iterdir()) == ["1", "2"]
    config = (model_base.parent / "models.config").read_text()
    assert f'name: "text"\n    base_path: "{model_base.resolve()}"' in config


@pytest.mark.slow
def test_export_verify_command_catches_a_tampered_export(text_export, tmp_path, capsys):
    assert main(["export", "--verify", str(text_export)]) == 0
    assert "max abs diff from the in-memory model" in capsys.readouterr().out
    copy = tmp_path / "m" / "1"
    shutil.copytree(text_export, copy)
    reference = json.loads((copy / REFERENCE_FILE).read_text())
    reference["signatures"]["serving_default"]["outputs"]["probabilities"][1][1] = 3
    (copy / REFERENCE_FILE).write_text(json.dumps(reference))
    with pytest.raises(ExportVerificationError, match=r"signature 'serving_default' outputs are .*expected"):
        verify_export(copy.parent)  # the model folder: its latest version


def test_export_command_errors(tmp_path, capsys):
    assert main(["export", str(tmp_path)]) == 2
    assert "give RUNDIR and EXPORT_BASE/NAME, or --verify EXPORT_DIR" in capsys.readouterr().err
    assert main(["export", "--verify", str(tmp_path)]) == 2
    assert "no saved_model.pb here nor in a numeric version folder" in capsys.readouterr().err
    assert main(["export", str(tmp_path), str(tmp_path / "exports" / "x")]) == 2
    assert "no image_config.json, lm_config.json or text_config.json" in capsys.readouterr().err


def test_export_predict_text_prints_json_lines_and_rest_body(text_export, tmp_path, capsys):
    body = tmp_path / "body.json"
    assert main(["predict", str(text_export.parent), "the cat sat", "", "--rest-body", str(body)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["input"] for line in lines] == ["the cat sat", ""]
    assert all(line["label"] in ("pets", "money") and len(line["probabilities"]) == 2 for line in lines)
    assert all(abs(sum(line["probabilities"]) - 1) < 1e-4 for line in lines)
    assert json.loads(body.read_text()) == {"instances": ["the cat sat", ""]}


def test_export_predict_images_rest_body_uses_b64(image_export, tmp_path, capsys):
    import base64

    from training.export.image_classifier import synthetic_images

    png = tmp_path / "x.png"
    png.write_bytes(synthetic_images(8, 6)[0])
    assert main(["predict", str(image_export), str(png)]) == 0
    captured = capsys.readouterr()
    (line,) = [json.loads(x) for x in captured.out.splitlines()]
    assert line["label"] in ("shirt", "shoe", "bag") and np.isclose(sum(line["probabilities"]), 1, atol=1e-4)
    body = json.loads(captured.err.strip().splitlines()[-1])
    assert base64.b64decode(body["instances"][0]["b64"]) == png.read_bytes()
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg")
    assert main(["predict", str(image_export), str(bad)]) == 2
    assert "the model rejected the inputs" in capsys.readouterr().err
    assert main(["predict", str(image_export), str(tmp_path / "missing.png")]) == 2
    assert "missing.png: no such image file" in capsys.readouterr().err


def test_export_predict_language_model(lm_export, capsys):
    assert main(["predict", str(lm_export), "the cat"]) == 0
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(line["words"]) == len(line["probabilities"]) == 4
