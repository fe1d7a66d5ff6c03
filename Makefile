# Trajectoires — `make run` serves the platform, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.13 || echo $$(pyenv root 2>/dev/null)/versions/3.13.0/bin/python3.13)
VENV := .venv
BIN := $(VENV)/bin
TRAJ := $(BIN)/trajectoires
VENDOR := build/static/vendor

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@test -x "$(PYTHON)" || { echo "Python 3.13 is needed (pyenv install 3.13, or set PYTHON=/path/to/python3.13)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR)/.built: node_modules/.installed
	mkdir -p $(VENDOR)/htmx $(VENDOR)/pico
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico/
	cp node_modules/@picocss/pico/LICENSE.md $(VENDOR)/pico/ 2>/dev/null || true
	mkdir -p $(VENDOR)/echarts
	cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE node_modules/echarts/NOTICE $(VENDOR)/echarts/
	@touch $@

install: $(VENV)/.installed  ## create the virtual environment and install Python packages

assets: $(VENDOR)/.built  ## install npm packages and copy them into the static files

messages: install  ## compile the translations
	$(TRAJ) compilemessages --verbosity 0 --ignore ".venv/*" --ignore "node_modules/*" --ignore "build/*"

build: install assets messages  ## everything `run` and `test` need
	$(TRAJ) collectstatic --noinput --verbosity 0

run: build  ## migrate, load the geography and the demo, serve on http://127.0.0.1:8000
	$(TRAJ) migrate --noinput --verbosity 0
	$(TRAJ) geo import --if-changed
	$(TRAJ) demo --if-new
	@echo "Trajectoires is served on http://127.0.0.1:8000  (Ctrl-C to stop)"
	$(TRAJ) serve

test: build  ## lint, layer contract, migrations check, tests on SQLite and PostgreSQL, browser journeys
	scripts/test.sh

bench: build  ## speed at national scale (SCALE=0.1 for less); table + JSON in data/bench/
	$(TRAJ) migrate --noinput --verbosity 0
	$(TRAJ) bench --scale $(or $(SCALE),1)

lint: install  ## ruff and the layer contract
	$(BIN)/ruff check src tests scripts
	$(BIN)/lint-imports

messages-extract: install  ## refresh the French catalogue from the source
	cd src/trajectoires && ../../$(TRAJ) makemessages --locale fr --no-obsolete --no-location

geo-snapshot: install  ## rebuild the geography snapshot from npm (VERSION=6.0.0 MILLESIME=2026)
	$(BIN)/python scripts/build_geo_snapshot.py --version $(or $(VERSION),6.0.0) --millesime $(or $(MILLESIME),2026)

clean:  ## remove built files (keeps data/)
	rm -rf build node_modules $(VENV)

.PHONY: help install assets messages build run test bench lint messages-extract geo-snapshot clean
