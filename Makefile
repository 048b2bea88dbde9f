# The hub's commands. `make demo` serves the product with demo data on SQLite;
# `make test` runs every test (set DATABASE_URL to run them on PostgreSQL).

PYTHON ?= python3
PORT ?= 8000
# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
ASSETS := build/static/govuk/application.css
# The layers contract in pyproject.toml: a stage imports only earlier stages and the kernel.
LINT_IMPORTS := PYTHONPATH=src $(BIN)/lint-imports --no-cache

.PHONY: demo serve test test-fast lint bench assets install install-test clean help

help:
	@echo "make demo    serve the hub with demo data on http://127.0.0.1:$(PORT)"
	@echo "make test    run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make lint    check the layers (lint-imports) and the code (ruff)"
	@echo "make bench   run the benchmarks in tests/bench"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the locked requirements change.
$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	@touch $@

$(VENV)/.test-installed: requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	@touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed
install-test: $(VENV)/.test-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(ASSETS): node_modules/.installed $(wildcard src/commissioning/frontend/assets/*)
	npm run --silent build

assets: $(ASSETS)

var:
	mkdir -p var

demo: export COMMISSIONING_DEMO = 1
demo: install assets | var
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_demo_data
	@echo "E-mail (password resets, invitations) is written to files in var/mail/"
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C stops it)"
	PORT=$(PORT) bin/serve

serve: install assets | var
	PORT=$(PORT) bin/serve

test: export COMMISSIONING_TESTING = 1
test: install-test assets
	$(LINT_IMPORTS)
	$(BIN)/ruff check src tests
	@bin/ensure-chromium
	@# pytest exits 5 when it collected no tests, which must not pass as green.
	@$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "No tests were collected." >&2; exit 1; fi; exit $$status

test-fast: export COMMISSIONING_TESTING = 1
test-fast: install-test assets
	$(LINT_IMPORTS)
	$(BIN)/ruff check src tests
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser" -x -q

lint: install-test
	$(LINT_IMPORTS)
	$(BIN)/ruff check src tests

# Benchmarks (not tests): the directory, the finder over 100,000 opportunities, then the
# deadline surge (providers saving and submitting through gunicorn as the deadline passes).
# Results are printed, and the finder's and the surge's written to var/bench/<name>-<database>.json.
# Set DATABASE_URL to run them on PostgreSQL.
bench: export COMMISSIONING_TESTING = 1
bench: install-test assets | var
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench.finder
	$(BIN)/python -m tests.bench.surge
	$(BIN)/python -m tests.bench.contracts
	$(BIN)/python -m tests.bench.pipeline

clean:
	rm -rf build node_modules var/static var/test*.sqlite3
