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

# The Debian packages hold the public data: `fortunes` (English) and `dataset-fashion-mnist`, and
# fortunes-de, -ru, -cs and -zh, the multilingual corpora of the text parity tests.
DATA_PACKAGES := fortunes dataset-fashion-mnist fortunes-de fortunes-ru fortunes-cs fortunes-zh
DATA_FILES := $(FORTUNES_DIR)/people $(FASHION_DIR)/train-images-idx3-ubyte.gz $(FORTUNES_DIR)/de/zitate \
	$(FORTUNES_DIR)/ru/knowledge $(FORTUNES_DIR)/cs/citace $(FORTUNES_DIR)/tang300
data:
	@for f in $(DATA_FILES); do [ -f $$f ] || missing=1; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian data packages $(DATA_PACKAGES)"; \
		$(SUDO) apt-get install -y -q $(DATA_PACKAGES) >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q $(DATA_PACKAGES) >/dev/null; }; \
	fi
	@for f in $(DATA_FILES); do \
		[ -f $$f ] || { echo "error: $$f is missing after apt-get install $(DATA_PACKAGES)"; exit 1; }; \
	done

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
