# The two front-door commands: `make run` and `make test`. Each sets itself up.
# Setup compiles the bytecode once (uv does not by default, and where
# PYTHONDONTWRITEBYTECODE is set nothing ever writes it): otherwise every process of a
# run (the flow, each Dask worker, the validator) compiled Prefect, Dask and Great
# Expectations from source when it started, seconds of CPU each.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: run test lint bench server clean setup dashboard

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q -j 0 flows newsfacts transforms warehouse expectations > /dev/null
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsfacts run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/pipeline_speed.py
	$(BIN)/python bench/mentions_speed.py
	$(BIN)/python bench/warehouse_speed.py
	$(BIN)/python bench/warc_speed.py
	$(BIN)/python bench/hostile_extract.py
	$(BIN)/python bench/dashboard_render.py

server: $(STAMP)
	$(BIN)/newsfacts server

dashboard: $(STAMP)
	$(BIN)/newsfacts dashboard

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11

clean:
	rm -rf $(VENV) data/warehouse .prefect .pytest_cache .ruff_cache
