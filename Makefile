# `make demo`: install into .venv and serve the bundled demo on http://127.0.0.1:8000
# `make test`: install with the dev extras, start local PostgreSQL/Chromium when possible, run pytest
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-dev bench clean

demo: install
	$(BIN)/crosscheck demo

test: install-dev
	bash scripts/run-tests.sh

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

bench: install-dev  # every figure in bench/README.md (long: tens of minutes on 2 cores)
	for script in extract claims fnc1 cluster summary checker web scale; do \
		$(BIN)/python bench/$$script.py || exit 1; done

clean:
	rm -rf $(VENV) crosscheck-demo.db crosscheck-demo.db-wal crosscheck-demo.db-shm
