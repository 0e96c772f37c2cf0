# `make serve` and `make test` do all set-up on a fresh clone: they create or
# refresh the virtual environment .venv from pyproject.toml, with the exact
# versions of constraints.txt, and then do their job.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test test-backends test-deps build offline pdf outputs plots plot-fonts faq glossary clean browser-deps bench test-latest translations-diff translations-reviewed

# pip >= 25.1 installs PEP 735 dependency groups (--group); uv installs them
# faster, with the package indexes pip is set up with (tools/install.py).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.1"
	$(PIP) install --quiet -c constraints.txt uv

# The docs group is enough to build and serve the site.
$(VENV)/.docs-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python tools/install.py docs
	touch $@

# Everything: docs, examples (Keras, PyTorch CPU, TensorFlow CPU) and tests.
$(VENV)/.dev-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python tools/install.py dev
	touch $@ $(VENV)/.docs-installed

serve: $(VENV)/.docs-installed  ## the site at http://127.0.0.1:8000, live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.docs-installed  ## the site into site/, warnings are errors
	$(BIN)/mkdocs build --strict

offline: $(VENV)/.docs-installed  ## the site to read from disk, both languages, zipped: site/downloads/dl-course-offline.zip
	$(BIN)/python -m tools.offline_site

# The browser tests (pytest -m browser) drive Debian's headless Chromium and
# need a Chinese font for it; the PDF tests read the PDFs with poppler-utils.
# Installed with apt-get when missing and we are root (CI, a fresh Debian
# machine); otherwise this says how, and the browser tests skip, except when
# CI is set: there they fail.
CHROMIUM ?= /usr/bin/chromium
browser-deps:
	@if [ ! -x "$(CHROMIUM)" ] || ! fc-list :lang=zh 2>/dev/null | grep -q . || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing chromium, fonts-wqy-microhei and poppler-utils with apt-get (for the browser tests)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq >/dev/null && \
	    apt-get install -y -qq chromium fonts-wqy-microhei poppler-utils >/dev/null; \
	  else \
	    echo "NOTE: no $(CHROMIUM), no Chinese font or no poppler-utils: the browser tests will be skipped"; \
	    echo "      (on CI they fail). Install: sudo apt-get install chromium fonts-wqy-microhei poppler-utils"; \
	  fi; \
	fi

# The suite's set-up: the Python environment and the browser's system packages
# are installed side by side (-j2), each mostly waiting on downloads.
test-deps: $(VENV)/.dev-installed browser-deps

# `make test` runs every test, with each Keras snippet on the backend its page
# shows (tools/runner.py); `make test-backends` runs the Keras snippets on the
# other installed backends (TensorFlow). CI (.ci/run) runs both, one after the
# other; plain `pytest` runs both at once.
test:  ## the whole test suite, each Keras snippet on its page's backend
	@$(MAKE) --no-print-directory -j2 -Otarget test-deps
	$(BIN)/python -m pytest -m "not backend_matrix"

test-backends: $(VENV)/.dev-installed  ## the Keras snippets on their other backends (TensorFlow)
	$(BIN)/python -m pytest -m backend_matrix tests/test_snippets.py

pdf: $(VENV)/.dev-installed browser-deps  ## the course as one PDF per language (Chromium): site/downloads/dl-course-zh.pdf, dl-course-en.pdf
	$(BIN)/python -m tools.pdf

# Lighthouse, for the benchmarks only (package.json, package-lock.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

bench: $(VENV)/.dev-installed browser-deps node_modules/.installed  ## measure build, snippets, page weights, Lighthouse: BENCHMARKS.md
	$(BIN)/python -m tools.bench

outputs: $(VENV)/.dev-installed  ## regenerate the outputs and plots shown on pages, and the executed notebooks
	$(BIN)/python -m tools.generate
	$(BIN)/python -m tools.notebooks

faq: $(VENV)/.dev-installed  ## validate faq/entries/ and regenerate the FAQ pages docs/faq/*.md
	$(BIN)/python -m tools.faq build

glossary: $(VENV)/.docs-installed  ## check the Chinese terminology and links, regenerate docs/theory/glossary*.md
	$(BIN)/python -m tools.glossary build

# The theory figures come in Chinese and English; matplotlib needs a Chinese
# font to measure the Chinese labels. Installed with apt-get when missing and
# we are root; otherwise this says how and stops.
plot-fonts:
	@if ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing fonts-wqy-microhei with apt-get (for the Chinese figures)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq >/dev/null && apt-get install -y -qq fonts-wqy-microhei >/dev/null; \
	  else \
	    echo "ERROR: no Chinese font for the Chinese figures. Install: sudo apt-get install fonts-wqy-microhei"; \
	    exit 1; \
	  fi; \
	fi

plots: $(VENV)/.dev-installed plot-fonts  ## regenerate every theory figure: plots and diagrams, both languages
	$(BIN)/python -m tools.plots

# Translations (tools/translations.py): what changed in a page pair or FAQ
# entry since its two languages were last reviewed together, and marking a
# pair reviewed (PAGE=docs/x.md or faq/entries/x.md; no PAGE: every pair).
translations-diff: $(VENV)/.docs-installed
	@test -n "$(PAGE)" || { echo "usage: make translations-diff PAGE=docs/theory/losses.md"; exit 2; }
	@$(BIN)/python -m tools.translations diff $(PAGE)

translations-reviewed: $(VENV)/.docs-installed
	$(BIN)/python -m tools.translations reviewed $(PAGE)

# The examples against the newest Keras, TensorFlow and PyTorch the package
# index offers, in a separate environment that ignores constraints.txt (see
# tools/latest.py): the report is test-artifacts/latest/report.md. Where the
# index's newest torch is a CUDA build, set PIP_EXTRA_INDEX_URL to PyTorch's
# CPU index (https://download.pytorch.org/whl/cpu), as the weekly workflow does.
LATEST := .venv-latest
test-latest:  ## snippet and equivalence tests on the newest releases
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(LATEST)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade --group test keras tensorflow-cpu torch
	$(LATEST)/bin/python -m tools.latest

clean:
	rm -rf site $(VENV) $(LATEST) node_modules
