# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOK_STAMP := $(VENV)/.notebooks

.PHONY: demo test install system-deps lint format bench bench-scale notebooks clean viewer-screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

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

test: install system-deps
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
bench: install system-deps
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python bench/results.py

# The viewer's screenshots in docs/ (the samples, and a generated graph of 1,000+ nodes).
viewer-screenshots: install system-deps
	$(BIN)/python -m tests.viewer_support --out docs

# Extraction beside spaCy's tokenizer on 10,000 generated releases, one job and two (minutes).
bench-scale: install
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/bench_extract_scale.py

clean:
	rm -rf out .seckg build *.egg-info
