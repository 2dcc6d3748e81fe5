# `make run`: install into .venv, index the built-in procedure cards, serve on localhost:8000.
# `make test`: install with the test tools and run the whole suite; `make test-fast` the quick lane.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INDEX_DIR ?= motcua-index

.PHONY: install install-dev run test test-fast lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

# The CPU build of torch goes in first so that sentence-transformers never pulls a CUDA one.
install-dev: $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,sentence-transformers]'

run: install
	$(BIN)/motcua ingest --builtin --index-dir $(INDEX_DIR)
	$(BIN)/motcua serve --host 127.0.0.1 --port 8000 --index-dir $(INDEX_DIR)

test: install-dev
	$(BIN)/python -m pytest

# No PostgreSQL or Redis, no browser, no index of ../shared: the lane to run while editing.
test-fast: install-dev
	$(BIN)/python -m pytest -m "not slow and not services and not browser"

lint: install-dev
	$(BIN)/ruff check .

bench: install-dev
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(INDEX_DIR) build *.egg-info
