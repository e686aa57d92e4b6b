"""Shared fixtures: the real public data sets, located once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

FORTUNES_DIR = Path(os.environ.get("LEXIVISION_FORTUNES", "/usr/share/games/fortunes"))
FASHION_DIR = Path(os.environ.get("LEXIVISION_FASHION_MNIST", "/usr/share/datasets/fashion-mnist"))


@pytest.fixture(scope="session")
def fortunes_dir() -> Path:
    if not (FORTUNES_DIR / "people").is_file():
        pytest.fail(f"{FORTUNES_DIR} is missing: run `make data` (apt-get install fortunes)")
    return FORTUNES_DIR


@pytest.fixture(scope="session")
def fashion_dir() -> Path:
    if not (FASHION_DIR / "train-images-idx3-ubyte.gz").is_file():
        pytest.fail(f"{FASHION_DIR} is missing: run `make data` (apt-get install dataset-fashion-mnist)")
    return FASHION_DIR
