# lexivision: `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FORTUNES_DIR := /usr/share/games/fortunes
FASHION_DIR := /usr/share/datasets/fashion-mnist
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONUNBUFFERED := 1

.PHONY: all demo test test-fast data install bench clean

all: test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The Debian packages `fortunes` and `dataset-fashion-mnist` hold the public data.
data:
	@if [ ! -f $(FORTUNES_DIR)/people ] || [ ! -f $(FASHION_DIR)/train-images-idx3-ubyte.gz ]; then \
		echo "installing Debian data packages fortunes and dataset-fashion-mnist"; \
		$(SUDO) apt-get install -y -q fortunes dataset-fashion-mnist >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q fortunes dataset-fashion-mnist >/dev/null; }; \
	fi
	@test -f $(FORTUNES_DIR)/people || { echo "error: $(FORTUNES_DIR) is missing after apt-get install fortunes"; exit 1; }
	@test -f $(FASHION_DIR)/train-images-idx3-ubyte.gz || { echo "error: $(FASHION_DIR) is missing after apt-get install dataset-fashion-mnist"; exit 1; }

demo: install data
	$(BIN)/python -m training.demo

test: install data
	$(BIN)/python -m pytest

test-fast: install data
	$(BIN)/python -m pytest -m "not slow"

bench: install data
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) runs exports .pytest_cache .hypothesis
