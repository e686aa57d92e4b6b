"""The walking skeleton end to end on a slice of fortunes: train, export, serve from a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from training.config import load_config
from training.export import export_saved_model
from training.train import train

SERVE_CHECK = Path(__file__).resolve().parents[2] / "training" / "serve_check.py"


@pytest.mark.slow
def test_demo_path_trains_exports_and_serves_in_a_fresh_process(tmp_path, fortunes_dir):
    config = load_config(
        Path(__file__).resolve().parents[2] / "examples" / "fortunes_average_embedding.toml",
        [f'data.path="{fortunes_dir}"', "data.max_per_class=60", "training.epochs=6", "text.max_length=48"],
    )
    metrics = train(config, tmp_path / "run", verbose=0)
    # A slice of 43 classes: the model must still clearly beat the majority class.
    assert metrics["test_accuracy"] > 2 * metrics["majority_class_accuracy"]
    for name in ("model.keras", "vocabulary.txt", "vocabulary.txt.json", "labels.txt", "history.csv", "metrics.json", "config.toml"):
        assert (tmp_path / "run" / name).is_file(), name

    target = export_saved_model(tmp_path / "run", tmp_path / "exports" / "fortunes")
    assert target == tmp_path / "exports" / "fortunes" / "1"
    assert (target / "saved_model.pb").is_file()
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")], "temporary export folder left behind"

    texts = ["Linux is only free if your time has no value.", "", "\u00e9t\u00e9 \u043b\u044e\u0431\u043e\u0432\u044c"]
    result = subprocess.run(
        [sys.executable, "-I", str(SERVE_CHECK), str(target), *texts],
        capture_output=True, text=True, cwd=tmp_path, check=True,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    labels = set((tmp_path / "run" / "labels.txt").read_text().split())
    assert [line["text"] for line in lines] == texts
    assert all(line["label"] in labels and 0.0 < line["probability"] <= 1.0 for line in lines)

    again = export_saved_model(tmp_path / "run", tmp_path / "exports" / "fortunes")
    assert again.name == "2"
