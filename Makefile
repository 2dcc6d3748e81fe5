# `make run`: install into .venv, index the built-in procedure cards, serve on localhost:8000
# (PORT=8080 for another port).
# `make demo`: the same with the customer's plans and legal texts of ../shared indexed too.
# `make test`: install with the test tools and run the whole suite; `make test-fast` the quick lane.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INDEX_DIR ?= motcua-index
DEMO_INDEX_DIR ?= motcua-demo-index
SHARED ?= ../shared
PORT ?= 8000

.PHONY: install install-dev run demo test test-fast lint bench clean

# setuptools ends every editable install with an 11-line note ("Editable installation … folders
# … with the same name as your package may take precedence"). Our package-dir mapping (bot/ as
# motcua.bot, …) needs its import-finder mode, which always prints it; no setting avoids it
# (strict mode prints its own note, compat mode cannot put bot/ under motcua). This filter
# matches that note's text only: other warnings and every error still show.
QUIET_EDITABLE := PYTHONWARNINGS="ignore:Editable installation"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps: a second `make run` starts the service instead of reinstalling (again when
# pyproject.toml changes).
install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(QUIET_EDITABLE) $(BIN)/pip install --quiet -e .
	touch $@

# The CPU build of torch goes in first so that sentence-transformers never pulls a CUDA one.
install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(QUIET_EDITABLE) $(BIN)/pip install --quiet -e '.[dev,sentence-transformers]'
	touch $@ $(VENV)/.installed

# Ctrl-C stops the server cleanly: it exits 0, while loading as well as serving. On a terminal
# the Ctrl-C reaches make too, which says so itself ("make: *** [Makefile:NN: run] Interrupt")
# and ends with the status of an interrupted command (130), as every make does; no recipe can
# change that. `.venv/bin/motcua serve …`, run directly, ends with 0.
run: install
	$(BIN)/motcua ingest --builtin --index-dir $(INDEX_DIR)
	$(BIN)/motcua serve --host 127.0.0.1 --port $(PORT) --index-dir $(INDEX_DIR)

# The first run embeds about 1,100 passages (several minutes on 2 cores); later runs reuse them.
demo: install
	$(BIN)/motcua ingest --builtin --index-dir $(DEMO_INDEX_DIR) $(SHARED)/seeds \
		$(SHARED)/corpus/decrees $(SHARED)/corpus/other $(SHARED)/corpus/tables
	$(BIN)/motcua serve --host 127.0.0.1 --port $(PORT) --index-dir $(DEMO_INDEX_DIR)

test: install-dev
	$(BIN)/python -m pytest

# No PostgreSQL or Redis, no browser, no index of ../shared: the lane to run while editing,
# on two worker processes (each embeds the built-in cards once for itself).
test-fast: install-dev
	$(BIN)/python -m pytest -n 2 -m "not slow and not services and not browser"

lint: install-dev
	$(BIN)/ruff check .

bench: install-dev
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(INDEX_DIR) $(DEMO_INDEX_DIR) build *.egg-info
