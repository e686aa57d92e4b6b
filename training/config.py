"""Experiment configs: TOML with data, text, vocabulary, model, training and export sections.

Validated up front: an unknown key, a wrong type or an impossible value is a
one-line error naming the key, before any data is read.

>>> config = load_config(overrides=["training.epochs=2", "model.embedding_dim=8"])
>>> config["training"]["epochs"], config["model"]["embedding_dim"]
(2, 8)
"""

from __future__ import annotations

import copy
import os
import tomllib
from pathlib import Path
from typing import Any

from training.errors import UserError

# section -> key -> default; the type of the default is the type a value must have
# (None defaults accept anything; lists accept lists).
DEFAULTS: dict[str, dict[str, Any]] = {
    "data": {
        "source": "fortunes",
        "path": "/usr/share/games/fortunes",
        "split": [0.8, 0.1, 0.1],
        "seed": 0,
        "max_per_class": 0,
    },
    "text": {},  # pipeline.TextConfig fields, validated by TextConfig itself
    "vocabulary": {"min_freq": 2, "max_size": 20000, "min_df": None, "max_df": None, "stop_words": None},
    "model": {
        "kind": "average_embedding",
        "embedding_dim": 64,
        "pooling": "mean",
        "hidden_units": [],
        "dropout": 0.0,
    },
    "training": {"epochs": 10, "batch_size": 64, "learning_rate": 0.005, "seed": 0},
    "export": {"name": "model"},
}
SOURCES = ("fortunes",)
MODEL_KINDS = ("average_embedding",)


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


def load_config(path: str | os.PathLike | None = None, overrides: list[str] = ()) -> dict[str, Any]:
    """Read a TOML config (or the defaults), apply ``section.key=value`` overrides, validate."""
    data: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise UserError(f"{path}: no such config file")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise UserError(f"{path}: invalid TOML ({err})") from None
    for item in overrides:
        key, sep, value = item.partition("=")
        section, dot, name = key.strip().partition(".")
        if not sep or not dot or not name:
            raise UserError(f"--set {item!r}: expected section.key=value, e.g. training.epochs=3")
        data.setdefault(section, {})[name] = _parse_value(value.strip())
    config = copy.deepcopy(DEFAULTS)
    for section, values in data.items():
        if section not in DEFAULTS:
            raise UserError(f"unknown config section [{section}]; known sections: {', '.join(DEFAULTS)}")
        if not isinstance(values, dict):
            raise UserError(f"[{section}] must be a table of settings")
        for key, value in values.items():
            where = f"{section}.{key}"
            if section != "text":
                if key not in DEFAULTS[section]:
                    raise UserError(f"unknown setting {where}; known: {', '.join(DEFAULTS[section])}")
                _check_type(where, value, DEFAULTS[section][key])
            config[section][key] = value
    _validate(config)
    return config


def _validate(config: dict[str, Any]) -> None:
    from pipeline.text.config import ConfigError, TextConfig

    try:
        TextConfig.from_dict(config["text"])
    except (ConfigError, TypeError) as err:
        raise UserError(str(err)) from None
    if config["data"]["source"] not in SOURCES:
        raise UserError(f"data.source must be one of {SOURCES}. Received: {config['data']['source']!r}")
    if config["model"]["kind"] not in MODEL_KINDS:
        raise UserError(f"model.kind must be one of {MODEL_KINDS}. Received: {config['model']['kind']!r}")
    training = config["training"]
    for key in ("epochs", "batch_size"):
        if training[key] < 1:
            raise UserError(f"training.{key} must be >= 1. Received: {training[key]}")
    if training["learning_rate"] <= 0:
        raise UserError(f"training.learning_rate must be > 0. Received: {training['learning_rate']}")


def dump_config(config: dict[str, Any]) -> str:
    """The resolved config as TOML."""
    from pipeline.text.config import _toml_value

    lines = []
    for section, values in config.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            if value is not None:
                lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)
