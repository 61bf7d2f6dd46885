# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install system-deps lint format bench clean

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
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

demo: install
	$(BIN)/seckg extract data/samples --summary

test: install system-deps
	$(BIN)/ruff check graph tests bench
	$(BIN)/ruff format --check graph tests bench
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check graph tests bench
	$(BIN)/ruff format --check graph tests bench

format: install
	$(BIN)/ruff format graph tests bench
	$(BIN)/ruff check --fix graph tests bench

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf out .seckg build *.egg-info
