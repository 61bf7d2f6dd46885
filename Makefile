# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The compiled build (setup.py: the extractor's modules through mypyc) in a venv of its own, so that
# the editable install in $(VENV) always runs the sources as they are.
COMPILED ?= .venv-compiled
COMPILED_STAMP := $(COMPILED)/.installed
NOTEBOOK_STAMP := $(VENV)/.notebooks

.PHONY: demo test install compiled system-deps lint format bench bench-scale notebooks clean viewer-screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# A regular (not editable) install built with SECKG_COMPILE=1, so a copy of the package: rebuilt
# when any file of it changes.
PACKAGE_FILES := $(shell find graph ontology -type f -not -path '*/__pycache__/*')
$(COMPILED_STAMP): pyproject.toml setup.py $(PACKAGE_FILES)
	test -x $(COMPILED)/bin/python || $(PYTHON) -m venv $(COMPILED)
	$(COMPILED)/bin/python -m pip install -q --upgrade pip 'setuptools>=77' 'mypy>=1.10'
	rm -rf build
	SECKG_COMPILE=1 $(COMPILED)/bin/python -m pip install -q --no-build-isolation .
	rm -rf build
	touch $(COMPILED_STAMP)

compiled: $(COMPILED_STAMP)

# Debian packages the browser tests need (installed only when missing and when run as root).
system-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium from Debian's packages"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "warning: could not install chromium; the browser tests will be skipped"; \
	fi

# The demo builds the graph in the default store (.seckg/store), so that `seckg query`, `stats`,
# `render` and `serve` work afterwards without any option.
demo: install
	$(BIN)/seckg extract data/samples/releases --summary
	$(BIN)/seckg ingest data/samples/releases
	$(BIN)/seckg validate
	$(BIN)/seckg export --format trig --out out/graph.trig
	$(BIN)/seckg query --name dhs-partners-by-year
	$(BIN)/seckg query --name agreements-by-focus --param focus=border-security
	$(BIN)/seckg stats
	$(BIN)/seckg links
	$(BIN)/seckg render --out out/viewer.html

test: install compiled system-deps
	$(BIN)/ruff check graph tests bench
	$(BIN)/ruff format --check graph tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check graph tests bench
	$(BIN)/ruff format --check graph tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff format graph tests bench
	$(BIN)/ruff check --fix graph tests bench

# JupyterLab (the `notebooks` extra) is installed only here, never by `make install` or `make test`.
$(NOTEBOOK_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,notebooks]'
	touch $(NOTEBOOK_STAMP)

notebooks: $(NOTEBOOK_STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

# Every benchmark, one after the other, each figure beside its reference: writes bench/RESULTS.md.
bench: install compiled system-deps
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python bench/results.py

# The viewer's screenshots in docs/ (the samples, and a generated graph of 1,000+ nodes).
viewer-screenshots: install system-deps
	$(BIN)/python -m tests.viewer_support --out docs

# Extraction beside spaCy's tokenizer on 10,000 generated releases, one job and two (minutes).
bench-scale: install compiled
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/bench_extract_scale.py

clean:
	rm -rf out .seckg build *.egg-info
