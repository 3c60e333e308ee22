# The two commands from README:   make demo   (try it)   and   make test   (the whole quality gate).
# Each works from a clean clone on a machine with Python 3.11 or later: it creates .venv,
# installs itpm into it (again only when pyproject.toml changes), then does its work.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The checks import the Django settings, which create a data folder: keep it out of the way.
CHECK_DATA := $(CURDIR)/test-artifacts/check-data

.PHONY: help demo serve test lint

help:
	@echo "make demo    create .venv, install, load a demo portfolio and serve it on http://$(HOST):$(PORT)/"
	@echo "make serve   create .venv, install, migrate and serve ./itpm-data on http://$(HOST):$(PORT)/"
	@echo "make test    the quality gate: ruff, mypy, import-linter, migrations check, pytest on 2 cores"
	@echo "make lint    ruff check, ruff format --check, mypy, import-linter"

$(BIN)/python:
	scripts/ensure-venv "$(PYTHON)" "$(VENV)"

# Stamp files: pip runs again only when pyproject.toml is newer than the last install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/itpm demo --host $(HOST) --port $(PORT)

serve: $(VENV)/.installed
	$(BIN)/itpm migrate
	$(BIN)/itpm serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	ITPM_DATA_DIR=$(CHECK_DATA) $(BIN)/mypy src
	$(BIN)/lint-imports

# pytest runs without ITPM_DATA_DIR so that each xdist worker gets its own data folder
# (tests/conftest.py). DATABASE_URL, when set, selects PostgreSQL for the whole suite.
test: $(VENV)/.installed-test
	scripts/ensure-chromium
	$(MAKE) --no-print-directory lint
	ITPM_DATA_DIR=$(CHECK_DATA) $(BIN)/itpm manage makemigrations --check --dry-run
	env -u ITPM_DATA_DIR $(BIN)/pytest -n 2
