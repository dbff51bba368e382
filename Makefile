# Two commands: `make run` (console chat on the shipped data, or the configured channels)
# and `make test` (ruff, the import contract, mypy --strict, pytest). Both start from a bare Python 3.11.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: run test lint typecheck unit bench clean lock catalogues

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Dependencies exactly as locked (pip-compile from pyproject.toml; `make lock` refreshes them),
# then the project itself without resolving again.
$(VENV)/.run-installed: pyproject.toml requirements.lock | $(BIN)/python
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(PIP) install --quiet -r requirements-dev.lock
	$(PIP) install --quiet --no-deps -e .
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	@$(BIN)/jamsosbot run

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

# The suite on PYTEST_WORKERS processes (pytest-xdist; `make unit PYTEST_WORKERS=0` runs it in
# one); `worksteal`: a worker that runs out of tests takes some from the other's queue, so one
# long test file does not leave a worker idle. The 15 slowest tests are listed at the end.
PYTEST_WORKERS ?= 2
unit: $(VENV)/.dev-installed
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist worksteal --durations=15

test: lint typecheck unit

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/understanding.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

# Re-resolve the lock files after changing the dependencies in pyproject.toml.
lock: | $(BIN)/python
	$(PIP) install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra dev --output-file requirements-dev.lock pyproject.toml

# Gettext upkeep: templates from the Indonesian catalogues (every key, also those built at run
# time), `pybabel update` of the other languages (a new language: `make catalogues LANGS=jv`
# creates its files with every key to translate), then `pybabel compile` (.mo files).
LANGS ?= $(filter-out id templates,$(notdir $(wildcard locales/*)))
catalogues: $(VENV)/.dev-installed
	$(BIN)/python -m bot.core.catalogue_templates
	for domain in $(basename $(notdir $(wildcard locales/id/LC_MESSAGES/*.po))); do \
		for lang in $(LANGS); do \
			$(BIN)/pybabel --quiet update --no-wrap -N --init-missing -D $$domain -l $$lang \
				-i locales/templates/$$domain.pot -d locales || exit 1; \
		done; \
		$(BIN)/pybabel --quiet compile -d locales -D $$domain || exit 1; \
	done
	$(BIN)/pybabel --quiet extract -F babel.cfg --no-default-keywords -k t -k N_ -k plural:1 \
		-o locales/templates/code.pot bot handlers
