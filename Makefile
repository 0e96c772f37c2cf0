# `make serve` and `make test` do all set-up on a fresh clone: they create or
# refresh the virtual environment .venv from pyproject.toml, with the exact
# versions of constraints.txt, and then do their job.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build outputs plots faq clean

# pip >= 25.1 installs PEP 735 dependency groups (--group).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.1"

# The docs group is enough to build and serve the site.
$(VENV)/.docs-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt --group docs
	touch $@

# Everything: docs, examples (Keras, PyTorch CPU, TensorFlow CPU) and tests.
$(VENV)/.dev-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt --group dev
	touch $@ $(VENV)/.docs-installed

serve: $(VENV)/.docs-installed  ## the site at http://127.0.0.1:8000, live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.docs-installed  ## the site into site/, warnings are errors
	$(BIN)/mkdocs build --strict

test: $(VENV)/.dev-installed  ## the whole test suite, as CI runs it
	$(BIN)/python -m pytest

outputs: $(VENV)/.dev-installed  ## regenerate the outputs and plots shown on pages
	$(BIN)/python -m tools.generate

faq: $(VENV)/.dev-installed  ## validate faq/entries/ and regenerate docs/faq/index*.md
	$(BIN)/python -m tools.faq build

plots: $(VENV)/.dev-installed  ## regenerate the figures of the theory chapters
	$(BIN)/python -m tools.plots

clean:
	rm -rf site $(VENV)
