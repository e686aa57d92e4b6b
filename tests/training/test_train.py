from __future__ import annotations

import csv
import json

import pytest

from tests.training.conftest import QUIET, text_overrides
from training.config import load_config
from training.errors import UserError
from training.train import train

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _assert_png(path):
    from PIL import Image

    assert path.is_file() and path.stat().st_size > 1000, path
    assert path.read_bytes()[:8] == PNG_MAGIC
    with Image.open(path) as image:
        image.verify()


def _epochs(run_dir):
    with open(run_dir / "history.csv", newline="") as f:
        return [int(row["epoch"]) for row in csv.DictReader(f)]


@pytest.mark.slow
def test_train_text_run_directory(text_run):
    run_dir, config, metrics = text_run
    for name in ("config.toml", "vocabulary.txt", "vocabulary.txt.json", "labels.txt", "text_config.json",
                 "model.keras", "history.csv", "metrics.json", "neighbours.txt", "neighbours.json"):
        assert (run_dir / name).is_file() and (run_dir / name).stat().st_size > 0, name
    assert load_config(run_dir / "config.toml") == config
    saved = json.loads((run_dir / "metrics.json").read_text())
    assert saved["test_accuracy"] == metrics["test_accuracy"]
    assert 0 <= saved["test_macro_f1"] <= 1 and saved["test_loss"] > 0
    assert saved["num_classes"] == len((run_dir / "labels.txt").read_text().splitlines())
    assert _epochs(run_dir) == [0, 1]
    assert [p.name for p in sorted((run_dir / "checkpoints").iterdir())] == ["epoch_001.keras", "epoch_002.keras"]
    assert any((run_dir / "logs").rglob("events.out.tfevents.*"))
    for name in ("learning_curves.png", "confusion_matrix.png", "embedding_map.png"):
        _assert_png(run_dir / name)
    from vocab.stop_words import english_stop_words

    first = (run_dir / "neighbours.txt").read_text().splitlines()[0]
    word = first.split(":")[0]
    assert word not in english_stop_words() and first.count("(") == 8
    vocabulary = (run_dir / "vocabulary.txt").read_text().splitlines()
    assert all(w in english_stop_words() or not w.isalpha() for w in vocabulary[: vocabulary.index(word)])


@pytest.mark.slow
def test_train_model_takes_ids_and_matches_metrics(text_run):
    import numpy as np

    from pipeline.text.preprocessor import TextPreprocessor
    from training.models import load_model

    run_dir, config, metrics = text_run
    model = load_model(run_dir / "model.keras")
    preprocessor = TextPreprocessor(json.loads((run_dir / "text_config.json").read_text()), run_dir / "vocabulary.txt")
    probabilities = model.predict(preprocessor(np.array(["A penny saved is a penny earned."])), verbose=0)
    assert probabilities.shape == (1, metrics["num_classes"])
    assert abs(float(probabilities.sum()) - 1) < 1e-4


@pytest.mark.slow
def test_train_resume_continues_from_last_checkpoint(text_run_copy):
    run_dir, config = text_run_copy
    config = {**config, "training": {**config["training"], "epochs": 3}}
    train(config, run_dir, verbose=0)
    assert _epochs(run_dir) == [0, 1, 2]  # epochs 0 and 1 from the first run, 2 from the resumed one
    assert (run_dir / "checkpoints" / "epoch_003.keras").is_file()
    assert not (run_dir / "checkpoints" / "epoch_001.keras").exists()  # checkpoints_to_keep = 2


@pytest.mark.slow
def test_train_resume_from_broken_newest_checkpoint(text_run_copy):
    run_dir, config = text_run_copy
    (run_dir / "checkpoints" / "epoch_002.keras").write_bytes(b"PK\x03\x04 interrupted")
    config = {**config, "training": {**config["training"], "epochs": 2, "reports": False}}
    train(config, run_dir, verbose=0)
    assert _epochs(run_dir) == [0, 1, 1]  # epoch 2 redone from epoch_001.keras


def test_train_resume_without_checkpoints_is_an_error(tmp_path, fortunes_dir):
    config = load_config(None, text_overrides(fortunes_dir))
    with pytest.raises(UserError, match=r"--resume: .*checkpoints has no checkpoints"):
        train(config, tmp_path, resume=True)


@pytest.mark.slow
def test_train_mixed_precision_policy_applied_and_restored(tmp_path, fortunes_dir):
    import keras

    config = load_config(None, text_overrides(fortunes_dir, "training.mixed_precision=true", "training.reports=false", *QUIET))
    metrics = train(config, tmp_path, verbose=0)
    assert keras.mixed_precision.global_policy().name == "float32"  # restored after the run
    from training.models import load_model

    model = load_model(tmp_path / "model.keras")
    assert model.get_layer("embedding").dtype_policy.name == "mixed_float16"
    assert model.outputs[0].dtype == "float32"
    assert metrics["test_loss"] == pytest.approx(metrics["test_loss"])  # finite, not NaN
    assert 0 < metrics["test_loss"] < 10


@pytest.mark.slow
def test_train_mirrored_strategy_on_one_cpu(tmp_path, fortunes_dir):
    config = load_config(None, text_overrides(fortunes_dir, "training.strategy='mirrored'", "training.epochs=2",
                                              "training.reports=false", "training.lr_schedule='exponential'", *QUIET))
    metrics = train(config, tmp_path, verbose=0)
    with open(tmp_path / "history.csv", newline="") as f:
        losses = [float(row["loss"]) for row in csv.DictReader(f)]
    assert losses[1] < losses[0]
    assert metrics["num_test"] > 0
