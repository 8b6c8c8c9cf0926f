# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install js lint bench clean

run: install
	PORT=$(PORT) bin/run-dev

test: install js
	bin/run-tests

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	# uv resolves and installs the same packages from the same index in a quarter of pip's time.
	# The venv gets no pip of its own (3 s): the system's pip puts uv in it (pip >= 22.3);
	# without such a pip, the venv's own (ensurepip) does.
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	test -x $(BIN)/uv || $(PYTHON) -m pip --python $(BIN)/python install --quiet \
	  --disable-pip-version-check uv 2>/dev/null || { $(BIN)/python -m ensurepip >/dev/null && \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check uv; }
	# No bytecode compiled here (8 s for 8,000 files, most never imported): bin/run-tests and
	# bin/run-dev let Python write it for what is imported, once.
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[dev]"
	touch $@

# axe-core for the accessibility checks of the browser tests (skipped where npm is missing).
js:
	@if command -v npm >/dev/null; then \
	  [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: browser accessibility tests will be skipped"; fi

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

# Benchmarks at a preset's scale (small, district, city); figures in bench/RESULTS.md.
PRESET ?= district
# REPLICA=1 make bench: read-only pages read from a streaming replica (bin/pg-replica).
bench: install
	PRESET=$(PRESET) bin/run-bench

clean:
	rm -rf var/ .pytest_cache
