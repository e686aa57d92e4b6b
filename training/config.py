"""Experiment configs: TOML with data, text, image, vocabulary, model, language_model, training, export.

Validated up front: an unknown key, a wrong type, an impossible value, a
missing file, a missing label column or a model that does not fit the data is
a one-line :class:`~training.errors.UserError` naming the key, before any data
is read. ``--set section.key=value`` overrides are applied first.

>>> config = load_config(overrides=["training.epochs=2", "model.embedding_dim=8"])
>>> config["training"]["epochs"], config["model"]["embedding_dim"]
(2, 8)
>>> load_config(overrides=["training.epochs=0"])
Traceback (most recent call last):
...
training.errors.UserError: training.epochs must be >= 1. Received: 0
"""

from __future__ import annotations

import copy
import json
import os
import tomllib
from pathlib import Path
from typing import Any

from training.errors import UserError

__all__ = ["DEFAULTS", "load_config", "dump_config", "SOURCES", "modality_of_source"]

# section -> key -> default; the type of the default is the type a value must have
# (None defaults accept anything; lists accept lists). [text] holds pipeline.TextConfig
# fields and [model] the keyword arguments of the builder named by model.kind; both are
# checked by their owners.
DEFAULTS: dict[str, dict[str, Any]] = {
    "data": {
        "source": "fortunes",
        "path": "/usr/share/games/fortunes",
        "split": [0.8, 0.1, 0.1],
        "validation_fraction": 0.1,
        "seed": 0,
        "max_per_class": 0,
        "label_column": "label",
        "text_column": "text",
    },
    "text": {},
    "image": {"augment": "none"},
    "vocabulary": {
        "min_freq": 2, "max_size": 20000, "min_df": None, "max_df": None, "stop_words": None, "bigram_buckets": 0,
    },
    "model": {"kind": "average_embedding"},
    "language_model": {"context_size": 4, "max_documents": 0},
    "training": {
        "epochs": 10,
        "batch_size": 64,
        "optimizer": "adam",
        "learning_rate": 0.005,
        "weight_decay": 0.0,
        "lr_schedule": "constant",
        "lr_decay_rate": 0.5,
        "early_stopping_patience": 2,
        "class_weight": "none",
        "seed": 0,
        "mixed_precision": False,
        "jit_compile": False,
        "strategy": "auto",
        "checkpoints_to_keep": 2,
        "tensorboard": True,
        "reports": True,
        "cache": True,
    },
    "export": {"name": "model"},
}

# data.source -> what it holds
SOURCES = {"fortunes": "text", "table": "text", "fashion_mnist": "image"}
TABLE_SUFFIXES = (".tsv", ".csv", ".jsonl")
CHOICES = {
    ("image", "augment"): ("none", "flip_shift"),
    ("training", "optimizer"): ("adam", "adamw", "sgd"),
    ("training", "lr_schedule"): ("constant", "cosine", "exponential"),
    ("training", "class_weight"): ("none", "balanced"),
    ("training", "strategy"): ("auto", "default", "mirrored", "multi_worker"),
}


def modality_of_source(source: str) -> str:
    """``"text"`` or ``"image"``."""
    return SOURCES[source]


def _parse_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _check_type(where: str, value: Any, default: Any) -> None:
    if default is None or value is None:
        return
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return
    if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, expected):
        raise UserError(f"{where} must be {expected.__name__}, got {type(value).__name__} {value!r}")


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise UserError(f"{path}: no such config file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UserError(f"{path}: invalid TOML ({' '.join(str(err).split())})") from None


def load_config(path: str | os.PathLike | None = None, overrides: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Read a TOML config (or the defaults), apply ``section.key=value`` overrides, validate.

    Returns the resolved config: every section with every key, the model
    builder's defaults filled in.
    """
    data: dict[str, Any] = _read_toml(Path(path)) if path is not None else {}
    for item in overrides:
        key, sep, value = item.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot or not name:
            raise UserError(f"--set {item!r}: expected section.key=value, e.g. training.epochs=3")
        if section in data and not isinstance(data[section], dict):
            raise UserError(f"[{section}] must be a table of settings")
        data.setdefault(section, {})[name] = _parse_value(value.strip())
    config = copy.deepcopy(DEFAULTS)
    for section, values in data.items():
        if section not in DEFAULTS:
            raise UserError(f"unknown config section [{section}]; known sections: {', '.join(DEFAULTS)}")
        if not isinstance(values, dict):
            raise UserError(f"[{section}] must be a table of settings")
        for key, value in values.items():
            where = f"{section}.{key}"
            if section not in ("text", "model"):
                if key not in DEFAULTS[section]:
                    raise UserError(f"unknown setting {where}; known: {', '.join(DEFAULTS[section])}")
                _check_type(where, value, DEFAULTS[section][key])
            config[section][key] = value
    _validate(config)
    return config


def _validate(config: dict[str, Any]) -> None:
    _validate_choices(config)
    _validate_text(config)
    _validate_data(config)
    _validate_training(config)
    _validate_model(config)


def _validate_choices(config: dict[str, Any]) -> None:
    for (section, key), choices in CHOICES.items():
        value = config[section][key]
        if value not in choices:
            raise UserError(f"{section}.{key} must be one of {choices}. Received: {value!r}")


def _validate_text(config: dict[str, Any]) -> None:
    from pipeline.text.config import ConfigError, TextConfig
    from pipeline.text.tokenize import token_pipeline

    try:
        text_config = TextConfig.from_dict(config["text"])
        # a missing phrases, stop-word or lemma file, or spaCy pipeline, fails here; the cached pipeline
        # is the one training then tokenises with
        token_pipeline(text_config)
    except (ConfigError, TypeError) as err:
        raise UserError(" ".join(str(err).split())) from None
    stop = config["vocabulary"]["stop_words"]
    if isinstance(stop, str) and stop != "english" and not Path(stop).is_file():
        raise UserError(f"vocabulary.stop_words: {stop}: no such file; use 'english', a list of words or a file path")
    v = config["vocabulary"]
    if v["min_freq"] < 1:
        raise UserError(f"vocabulary.min_freq must be >= 1. Received: {v['min_freq']}")
    if v["max_size"] < 1:
        raise UserError(f"vocabulary.max_size must be >= 1. Received: {v['max_size']}")
    if v["bigram_buckets"] < 0:
        raise UserError(f"vocabulary.bigram_buckets must be >= 0 (0 = no bigrams). Received: {v['bigram_buckets']}")


def _validate_data(config: dict[str, Any]) -> None:
    data = config["data"]
    source = data["source"]
    if source not in SOURCES:
        raise UserError(f"data.source must be one of {tuple(SOURCES)}. Received: {source!r}")
    split = data["split"]
    if len(split) != 3 or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in split) \
            or min(split) < 0 or abs(sum(split) - 1) > 1e-9 or split[0] == 0 or split[2] == 0:
        raise UserError(
            f"data.split must be 3 fractions [train, validation, test] summing to 1 with train and test > 0. "
            f"Received: {split!r}"
        )
    if not 0 < data["validation_fraction"] < 1:
        raise UserError(f"data.validation_fraction must be between 0 and 1. Received: {data['validation_fraction']}")
    if data["max_per_class"] < 0:
        raise UserError(f"data.max_per_class must be >= 0 (0 = all). Received: {data['max_per_class']}")
    path = Path(data["path"])
    if source == "fortunes" and not path.is_dir():
        raise UserError(f"data.path: {path}: no such folder; install the corpus with `apt-get install fortunes`")
    if source == "fashion_mnist":
        for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
            if not (path / name).is_file() and not (path / f"{name}.gz").is_file():
                raise UserError(f"data.path: {path / name}(.gz): no such file; install `dataset-fashion-mnist`")
    if source == "table":
        _check_table_header(path, data["label_column"], data["text_column"])
    lm = config["language_model"]
    if lm["context_size"] < 1:
        raise UserError(f"language_model.context_size must be >= 1. Received: {lm['context_size']}")
    if lm["max_documents"] < 0:
        raise UserError(f"language_model.max_documents must be >= 0 (0 = all). Received: {lm['max_documents']}")


def _table_format(path: Path) -> str:
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    for suffix in TABLE_SUFFIXES:
        if name.endswith(suffix):
            return suffix[1:]
    raise UserError(f"data.path: {path}: a table must end in {', '.join(TABLE_SUFFIXES)} (optionally .gz)")


def table_columns(path: Path) -> list[str]:
    """The column names of a ``.tsv``/``.csv`` header or of the first ``.jsonl`` record."""
    import csv
    import gzip

    fmt = _table_format(path)
    if not path.is_file():
        raise UserError(f"data.path: {path}: no such file")
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as f:
        first = f.readline()
    if not first.strip():
        raise UserError(f"data.path: {path}: empty file; expected a header line")
    if fmt == "jsonl":
        try:
            record = json.loads(first)
        except json.JSONDecodeError as err:
            raise UserError(f"data.path: {path}, line 1: invalid JSON ({err})") from None
        return list(record) if isinstance(record, dict) else []
    return next(csv.reader([first], delimiter="\t" if fmt == "tsv" else ","))


def _check_table_header(path: Path, label_column: str, text_column: str) -> None:
    columns = table_columns(path)
    for key, column in (("label_column", label_column), ("text_column", text_column)):
        if column not in columns:
            raise UserError(
                f"data.{key}: {path} has no column {column!r}; its columns are {columns}; "
                f"set data.{key} to one of them"
            )


def _validate_training(config: dict[str, Any]) -> None:
    training = config["training"]
    for key in ("epochs", "batch_size", "checkpoints_to_keep"):
        if training[key] < 1:
            raise UserError(f"training.{key} must be >= 1. Received: {training[key]}")
    if training["learning_rate"] <= 0:
        raise UserError(f"training.learning_rate must be > 0. Received: {training['learning_rate']}")
    if training["weight_decay"] < 0:
        raise UserError(f"training.weight_decay must be >= 0. Received: {training['weight_decay']}")
    if not 0 < training["lr_decay_rate"] <= 1:
        raise UserError(f"training.lr_decay_rate must be in (0, 1]. Received: {training['lr_decay_rate']}")
    if training["early_stopping_patience"] < 0:
        raise UserError(
            f"training.early_stopping_patience must be >= 0 (0 = no early stopping). "
            f"Received: {training['early_stopping_patience']}"
        )
    if training["strategy"] == "multi_worker":
        from training.strategy import read_tf_config

        read_tf_config(required=True)


def _validate_model(config: dict[str, Any]) -> None:
    from training.model_kinds import MODEL_KINDS, check_model_section

    model = config["model"]
    kind = model.get("kind")
    if kind not in MODEL_KINDS:
        raise UserError(f"model.kind must be one of {tuple(MODEL_KINDS)}. Received: {kind!r}")
    spec = MODEL_KINDS[kind]
    modality = SOURCES[config["data"]["source"]]
    if spec.modality != modality:
        fitting = [k for k, s in MODEL_KINDS.items() if s.modality == modality]
        raise UserError(
            f"model.kind = {kind!r} is {'an' if spec.modality == 'image' else 'a'} {spec.modality} model but data.source = "
            f"{config['data']['source']!r} holds {modality}s; use one of {fitting}"
        )
    if spec.task == "language_model" and config["training"]["class_weight"] != "none":
        raise UserError("training.class_weight applies to classification; a language model takes 'none'")
    if config["vocabulary"]["bigram_buckets"] and (spec.task != "classification" or spec.modality != "text"):
        raise UserError("vocabulary.bigram_buckets applies to text classification; set it to 0")
    config["model"] = check_model_section(model)


def dump_config(config: dict[str, Any]) -> str:
    """The resolved config as TOML (None values left out).

    >>> print(dump_config({"training": {"epochs": 2, "seed": None}}))
    [training]
    epochs = 2
    <BLANKLINE>
    """
    from pipeline.text.config import _toml_value

    lines = []
    for section, values in config.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            if value is not None:
                lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)
