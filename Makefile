# Social Value Analyser: the two commands the README names are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip --disable-pip-version-check -q
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install install-dev system-deps lint corpus train evaluate benchmark clean

$(BIN)/sva: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -e . 2>&1 | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import analyser" || (echo "install failed" >&2; exit 1)
	@touch $@

$(VENV)/.dev: $(BIN)/sva
	$(PIP) install -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import pytest, reportlab" || (echo "dev install failed" >&2; exit 1)
	@touch $@

install: $(BIN)/sva
install-dev: $(VENV)/.dev

## run: install and start the service with its web page on http://$(HOST):$(PORT)
run: install
	$(BIN)/sva serve --host $(HOST) --port $(PORT)

## lint: ruff (lint + format check) and mypy on analyser/ and api/
LINTED := $(wildcard analyser api tests corpus models benchmarks)

lint: install-dev
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

## system-deps: Debian packages the tests use (OCR and headless Chromium); skipped without root/apt
system-deps:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  (command -v tesseract >/dev/null && command -v chromium >/dev/null) || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	     tesseract-ocr tesseract-ocr-eng chromium >/dev/null) || echo "warning: could not install tesseract/chromium; those tests will be skipped"; \
	fi

## test: install, lint, type-check and run the whole test suite
test: system-deps lint
	$(BIN)/pytest -n 2

## corpus: render the authored corpus (PDF/DOCX) and write the label files
corpus: install-dev
	$(BIN)/python corpus/build.py

## train: rebuild the trained models in models/ from corpus/
train: install-dev
	$(BIN)/python models/train.py

## evaluate: print weight, detection, classification and verdict figures on held-out data
evaluate: install-dev
	$(BIN)/python -m analyser.evaluate all

benchmark: install-dev
	$(BIN)/python benchmarks/bench_score.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
