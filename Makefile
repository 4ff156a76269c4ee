# zhibu developer commands. Everything installs into ./.venv from this repository's own files.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test test-sqlite test-postgres lint schema install

$(BIN)/zhibu: pyproject.toml examples/zhibu-hello-plugin/pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q -e examples/zhibu-hello-plugin
	touch $(BIN)/zhibu

install: $(BIN)/zhibu

## Run the demo: seeds four demo tenants into SQLite and serves GraphQL on 127.0.0.1:8000 (zhibu demo)
demo: install
	$(BIN)/zhibu demo

## Run the whole test suite on SQLite, then on PostgreSQL
test: install
	$(BIN)/ruff check .
	ZHIBU_TEST_DB=sqlite $(BIN)/pytest
	ZHIBU_TEST_DB=postgres ZHIBU_TEST_PG_URL=$(PG_URL) $(BIN)/pytest

test-sqlite: install
	ZHIBU_TEST_DB=sqlite $(BIN)/pytest

test-postgres: install
	ZHIBU_TEST_DB=postgres ZHIBU_TEST_PG_URL=$(PG_URL) $(BIN)/pytest

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

schema: install
	$(BIN)/zhibu schema --write
