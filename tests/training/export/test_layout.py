from __future__ import annotations

import pytest

from training.errors import UserError
from training.export.layout import next_version, served_models, version_folder, write_models_config


def test_layout_next_version_skips_non_numeric_folders(tmp_path):
    (tmp_path / "3").mkdir()
    (tmp_path / ".export-abc").mkdir()
    (tmp_path / "10").mkdir()
    (tmp_path / "notes").mkdir()
    assert next_version(tmp_path) == 11
    assert next_version(tmp_path / "missing") == 1


def test_layout_version_folder_renames_on_success(tmp_path):
    with version_folder(tmp_path / "m") as (tmp, target):
        assert not tmp.name.isdigit() and tmp.parent == target.parent
        (tmp / "saved_model.pb").write_bytes(b"x")
        assert not target.exists()
    assert (target / "saved_model.pb").read_bytes() == b"x"
    assert target.name == "1"
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["1"]


def test_layout_version_folder_exception_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError, match="boom"):
        with version_folder(tmp_path / "m") as (tmp, _):
            (tmp / "half_written").write_text("x")
            raise RuntimeError("boom")
    assert list((tmp_path / "m").iterdir()) == []


def test_layout_version_folder_refuses_existing_version(tmp_path):
    (tmp_path / "m" / "2").mkdir(parents=True)
    with pytest.raises(UserError, match=r"version 2 exists already; omit --version"):
        with version_folder(tmp_path / "m", 2):
            pass
    with pytest.raises(UserError, match=r"--version must be a positive integer. Received: 0"):
        with version_folder(tmp_path / "m", 0):
            pass


def test_layout_models_config_lists_served_models(tmp_path):
    for name in ("b", "a"):
        (tmp_path / name / "1").mkdir(parents=True)
        (tmp_path / name / "1" / "saved_model.pb").write_bytes(b"")
    (tmp_path / "empty" / ".export-x").mkdir(parents=True)  # nothing servable yet
    assert served_models(tmp_path) == ["a", "b"]
    text = write_models_config(tmp_path, serving_root="/models/").read_text()
    assert text == (
        "model_config_list {\n"
        '  config {\n    name: "a"\n    base_path: "/models/a"\n    model_platform: "tensorflow"\n  }\n'
        '  config {\n    name: "b"\n    base_path: "/models/b"\n    model_platform: "tensorflow"\n  }\n'
        "}\n"
    )
    text = write_models_config(tmp_path).read_text()
    assert f'base_path: "{tmp_path.resolve()}/a"' in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".models.config")] == []
