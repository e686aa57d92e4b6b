from __future__ import annotations

import json

import pytest

from training.config import DEFAULTS, dump_config, load_config
from training.errors import UserError


def test_config_defaults_resolve_builder_arguments():
    config = load_config()
    assert config["model"]["kind"] == "average_embedding"
    assert config["model"]["pooling"] == "mean"  # the builder's default, filled in
    assert set(config) == set(DEFAULTS)


def test_config_file_and_overrides(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[training]\nepochs = 5\n[model]\nembedding_dim = 16\n')
    config = load_config(path, ["training.epochs=2", "model.hidden_units=[8, 4]", "training.lr_schedule=cosine"])
    assert config["training"]["epochs"] == 2
    assert config["model"]["embedding_dim"] == 16
    assert config["model"]["hidden_units"] == [8, 4]
    assert config["training"]["lr_schedule"] == "cosine"


def test_config_dump_round_trips(tmp_path):
    config = load_config(None, ["training.epochs=3", "model.pooling='sum'"])
    path = tmp_path / "resolved.toml"
    path.write_text(dump_config(config))
    assert load_config(path) == config


@pytest.mark.parametrize(
    "overrides, match",
    [
        (["nosuch.key=1"], r"unknown config section \[nosuch\]"),
        (["training.epoch=3"], r"unknown setting training.epoch; known: epochs"),
        (["training.epochs='3'"], r"training.epochs must be int, got str '3'"),
        (["training.mixed_precision=1"], r"training.mixed_precision must be bool, got int 1"),
        (["training.epochs=0"], r"training.epochs must be >= 1. Received: 0"),
        (["training.learning_rate=-0.1"], r"training.learning_rate must be > 0"),
        (["training.lr_schedule='linear'"], r"training.lr_schedule must be one of .*'cosine'.* Received: 'linear'"),
        (["training.strategy='tpu'"], r"training.strategy must be one of"),
        (["training.class_weight='auto'"], r"training.class_weight must be one of"),
        (["data.split=[0.5, 0.6, 0.1]"], r"data.split must be 3 fractions"),
        (["data.max_per_class=-1"], r"data.max_per_class must be >= 0"),
        (["data.source='mnist'"], r"data.source must be one of .*Received: 'mnist'"),
        (["data.path='/no/such/fortunes'"], r"data.path: /no/such/fortunes: no such folder"),
        (["text.max_length=0"], r"text.max_length must be an int >= 1"),
        (["text.shout=true"], r"unknown text setting 'shout'"),
        (["text.phrases_file='/no/such/phrases.txt'"], r"text.phrases_file: /no/such/phrases.txt: no such file"),
        (["vocabulary.stop_words='/no/such/stop.txt'"], r"vocabulary.stop_words: /no/such/stop.txt: no such file"),
        (["vocabulary.min_freq=0"], r"vocabulary.min_freq must be >= 1"),
        (["model.kind='transformer'"], r"model.kind must be one of .*Received: 'transformer'"),
        (["model.embedding_size=8"], r"unknown setting model.embedding_size for model.kind = 'average_embedding'; known: .*embedding_dim"),
        (["model.embedding_dim='big'"], r"model.embedding_dim must be int, got str 'big'"),
        (["model.vocab_size=10"], r"model.vocab_size is derived from the data"),
        (["language_model.context_size=0"], r"language_model.context_size must be >= 1"),
        (["training.epochs"], r"--set 'training.epochs': expected section.key=value"),
    ],
)
def test_config_errors_name_the_key(overrides, match):
    with pytest.raises(UserError, match=match):
        load_config(None, overrides)


def test_config_text_model_on_images_is_refused(fashion_dir):
    with pytest.raises(UserError, match=r"model.kind = 'average_embedding' is a text model but data.source = 'fashion_mnist' holds images; use one of"):
        load_config(None, ["data.source='fashion_mnist'", f"data.path='{fashion_dir}'"])


def test_config_image_model_on_text_is_refused():
    with pytest.raises(UserError, match=r"model.kind = 'tiny_cnn' is an image model but data.source = 'fortunes' holds texts"):
        load_config(None, ["model.kind='tiny_cnn'"])


def test_config_missing_idx_file(tmp_path):
    with pytest.raises(UserError, match=r"data.path: .*train-images-idx3-ubyte\(.gz\): no such file"):
        load_config(None, ["data.source='fashion_mnist'", f"data.path='{tmp_path}'", "model.kind='tiny_cnn'"])


def test_config_table_missing_label_column(tmp_path):
    table = tmp_path / "reviews.tsv"
    table.write_text("category\ttext\nbooks\ta good read\n")
    with pytest.raises(UserError, match=r"data.label_column: .*reviews.tsv has no column 'label'; its columns are \['category', 'text'\]"):
        load_config(None, ["data.source='table'", f"data.path='{table}'"])
    config = load_config(None, ["data.source='table'", f"data.path='{table}'", "data.label_column='category'"])
    assert config["data"]["label_column"] == "category"


def test_config_table_missing_file_and_bad_suffix(tmp_path):
    with pytest.raises(UserError, match=r"data.path: .*nothere.csv: no such file"):
        load_config(None, ["data.source='table'", f"data.path='{tmp_path / 'nothere.csv'}'"])
    with pytest.raises(UserError, match=r"a table must end in .tsv, .csv, .jsonl"):
        load_config(None, ["data.source='table'", f"data.path='{tmp_path / 'data.xlsx'}'"])


def test_config_file_errors(tmp_path):
    with pytest.raises(UserError, match=r"missing.toml: no such config file"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[training\nepochs = 2\n")
    with pytest.raises(UserError, match=r"bad.toml: invalid TOML"):
        load_config(bad)
    notable = tmp_path / "notable.toml"
    notable.write_text("training = 3\n")
    with pytest.raises(UserError, match=r"\[training\] must be a table of settings"):
        load_config(notable)


def test_config_multi_worker_needs_tf_config(monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(UserError, match=r"training.strategy = 'multi_worker' needs the TF_CONFIG environment variable"):
        load_config(None, ["training.strategy='multi_worker'"])
    monkeypatch.setenv("TF_CONFIG", "{not json")
    with pytest.raises(UserError, match=r"TF_CONFIG is not valid JSON"):
        load_config(None, ["training.strategy='multi_worker'"])
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": {"worker": ["localhost:1"]}, "task": {"type": "worker", "index": 0}}))
    assert load_config(None, ["training.strategy='multi_worker'"])["training"]["strategy"] == "multi_worker"


def test_config_class_weight_refused_for_language_models():
    with pytest.raises(UserError, match=r"training.class_weight applies to classification"):
        load_config(None, ["model.kind='tiny_lm'", "training.class_weight='balanced'"])


@pytest.mark.parametrize("path", ["fortunes_average_embedding", "fortunes_tfidf", "fortunes_bilstm", "fortunes_nnlm",
                                  "fashion_mnist_cnn", "fashion_mnist_resnet"])
def test_config_examples_parse(path):
    from pathlib import Path

    import tomllib

    example = Path(__file__).resolve().parents[2] / "examples" / f"{path}.toml"
    data = tomllib.loads(example.read_text())
    config = load_config(example)
    assert config["model"]["kind"] == data["model"]["kind"]
    assert all(config["model"][k] == v for k, v in data["model"].items())
