#!/usr/bin/env bash
# The whole test suite again on the shared store: a throw-away PostgreSQL on loopback (scripts/pg.sh, installed with
# apt if missing), each database fixture on a PostgreSQL database of its own (tests/pg_store.py), the browser journeys'
# servers on one too (KPI_DB=postgresql://…), stopped at the end. tests/conftest.py deselects the tests that open no
# database (the file run covered them) and skips, with their reason, those marked file_store (DuckDB's file lock, a
# file from an older version…). Which tests and why: README, "The shared PostgreSQL store".
# Arguments go to pytest; without any, $KPI_TEST_WORKERS processes (default 2) as scripts/test.sh.
# KPI_TEST_PG_SCOPE: `all` (the default here) runs the whole suite, ~35 min on 2 cores; `ci` (what scripts/test.sh,
# so .ci/run, asks) the modules of the writes and the SQL that differ between the stores, ~4 min, because the whole
# suite twice is past CI's 30-minute budget on 2 cores. README, "The shared PostgreSQL store".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ] && [ "${KPI_TEST_WORKERS:-2}" != 0 ]; then
    set -- -n "${KPI_TEST_WORKERS:-2}" --dist loadfile --durations=20
fi
pgdir=$(mktemp -d /tmp/cruscotto-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"' EXIT
url=$(scripts/pg.sh start "$pgdir")
paths=()
if [ "${KPI_TEST_PG_SCOPE:-all}" = ci ]; then
    paths=(tests/test_pg_store.py tests/test_import.py tests/test_records.py tests/test_workflow.py
           tests/test_approvals.py tests/test_auth.py tests/test_sessions.py tests/test_passwords.py tests/test_cli.py)
fi
KPI_TEST_STORE=postgres KPI_TEST_PG="$url" .venv/bin/python -m pytest -q -p no:cacheprovider "${paths[@]}" "$@"
