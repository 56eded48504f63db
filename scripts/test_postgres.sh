#!/usr/bin/env bash
# The whole test suite again on the shared store: a throw-away PostgreSQL on loopback (scripts/pg.sh, installed with
# apt if missing), each database fixture on a PostgreSQL database of its own (tests/pg_store.py), the browser journeys'
# servers on one too (KPI_DB=postgresql://…), stopped at the end. tests/conftest.py deselects the tests that open no
# database (the file run covered them) and skips, with their reason, those marked file_store (DuckDB's file lock, a
# file from an older version…). Which tests and why: README, "The shared PostgreSQL store".
# Arguments go to pytest; without any, $KPI_TEST_WORKERS processes (default 2) as scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ] && [ "${KPI_TEST_WORKERS:-2}" != 0 ]; then
    set -- -n "${KPI_TEST_WORKERS:-2}" --dist loadfile --durations=20
fi
pgdir=$(mktemp -d /tmp/cruscotto-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"' EXIT
url=$(scripts/pg.sh start "$pgdir")
KPI_TEST_STORE=postgres KPI_TEST_PG="$url" .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
