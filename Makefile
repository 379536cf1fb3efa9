# The two commands of README.md live here: `make serve` and `make test`.
# Both create the virtual environment themselves and are safe to run again.
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test build check lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Build the store from data/ and serve the web app on http://127.0.0.1:5000
serve: $(STAMP)
	$(BIN)/kgservice build
	$(BIN)/kgservice serve

## Run the whole test suite (browser tests need Debian's chromium: scripts/ensure-system-packages.sh)
test: $(STAMP)
	bash scripts/ensure-system-packages.sh
	$(BIN)/ruff check kgservice tests $(wildcard bench)
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/kgservice build

check: $(STAMP)
	$(BIN)/kgservice check

lint: $(STAMP)
	$(BIN)/ruff check kgservice tests $(wildcard bench)
	$(BIN)/ruff format --check kgservice tests $(wildcard bench)
	$(BIN)/mypy

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf var
