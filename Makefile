# Tvist — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# `make run PORT=8080` (and HOST=0.0.0.0 to listen beyond this machine)
PORT ?= 5000
HOST ?= 127.0.0.1
export FLASK_APP := app

.PHONY: run test install install-test migrate seed bench e2e clean help

help:
	@echo "make run    - install, migrate, load demo data, start web + worker on http://127.0.0.1:5000 (PORT=N)"
	@echo "make test   - install test dependencies and run the test suite"
	@echo "make bench  - run the benchmarks, write bench/RESULTS.md"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed-demo

run: seed
	$(BIN)/flask serve --host $(HOST) --port $(PORT)

# pytest exits 5 when it collected no test; that is reported, not hidden as success or failure.
test: install-test
	$(BIN)/ruff check app filings tests bench
	@$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

# BENCH_SIZES=10000,100000 (default; 1000000 for the full scale), BENCH_PG_URL=postgresql+psycopg://…
# adds PostgreSQL; the HTTP load run needs gunicorn (the prod extra).
bench: install-test
	$(BIN)/pip install -q -e '.[test,prod,postgres]'
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
