#!/usr/bin/env bash
# `make test`: every check, in the order that fails fastest. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export TRAJECTOIRES_DATA_DIR=${TRAJECTOIRES_DATA_DIR:-$PWD/data/test}

step() { printf '\n== %s\n' "$*"; }

step "ruff"
$BIN/ruff check src tests scripts
$BIN/ruff format --check --quiet src tests scripts

step "layer contract (import-linter)"
$BIN/lint-imports

step "migrations are complete"
$BIN/trajectoires makemigrations --check --dry-run

step "tests on SQLite"
$BIN/pytest -m "not e2e" -p no:cacheprovider

step "tests on PostgreSQL (throwaway cluster)"
pgdir=$(mktemp -d /tmp/trajectoires-pg.XXXXXX)
trap 'scripts/pgcluster.sh stop "$pgdir"' EXIT
DATABASE_URL=$(scripts/pgcluster.sh start "$pgdir")
DATABASE_URL=$DATABASE_URL $BIN/pytest -m "not e2e" -p no:cacheprovider
scripts/pgcluster.sh stop "$pgdir"
trap - EXIT

step "browser journeys in Chromium, with axe-core"
scripts/ensure-chromium.sh
$BIN/pytest -m e2e -p no:cacheprovider
