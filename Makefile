# kiosque: two commands matter.
#   make demo  - install into .venv and run the product against the demo publishers
#   make test  - install what the tests need and run them all (lint, types, layers, tests)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install lint check clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# axe-core, injected into Chromium by the accessibility tests
node_modules/.installed: package.json package-lock.json
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility tests will skip"; fi

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/kiosque demo

lint: $(STAMP)
	$(BIN)/ruff check kiosque tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(STAMP) node_modules/.installed lint
	KIOSQUE_TEST_PG_URL="$${KIOSQUE_TEST_PG_URL:-$$(bash scripts/pg-for-tests.sh 2>/dev/null)}" \
		$(BIN)/pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
