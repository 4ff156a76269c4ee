# zhibu developer commands. Everything installs into ./.venv from this repository's own files.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HELLO := examples/zhibu-hello-plugin

.PHONY: demo test test-sqlite test-postgres lint schema install

$(BIN)/zhibu: pyproject.toml $(HELLO)/pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q -e $(HELLO)
	touch $(BIN)/zhibu

## the development GraphiQL page's assets come from the npm registry (pinned, checked), not the repo
install: $(BIN)/zhibu
	$(BIN)/zhibu graphiql fetch

## Run the demo: seeds four demo tenants into SQLite and serves GraphQL on 127.0.0.1:8000 (zhibu demo)
demo: install
	$(BIN)/zhibu demo

## Lint and format check, then the whole suite on SQLite and on PostgreSQL side by side (one per core);
## each backend runs the core suite and the example plugin's own suite.
test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: install
	ZHIBU_TEST_DB=sqlite $(BIN)/pytest
	cd $(HELLO) && ZHIBU_TEST_DB=sqlite $(CURDIR)/$(BIN)/pytest

test-postgres: install
	ZHIBU_TEST_DB=postgres ZHIBU_TEST_PG_URL=$(PG_URL) $(BIN)/pytest
	cd $(HELLO) && ZHIBU_TEST_DB=postgres ZHIBU_TEST_PG_URL=$(PG_URL) $(CURDIR)/$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

schema: install
	$(BIN)/zhibu schema --write
