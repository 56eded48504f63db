#!/usr/bin/env bash
# The database-level tests again on the shared store: a throw-away PostgreSQL on loopback (scripts/pg.sh,
# installed with apt if missing), each test on a database of its own (tests/pg_store.py), stopped at the end.
# Which tests and why: README, "The shared PostgreSQL store". Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir=$(mktemp -d /tmp/cruscotto-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"' EXIT
url=$(scripts/pg.sh start "$pgdir")
PG_TESTS=(
  tests/test_pg_store.py
  tests/test_import.py
  tests/test_records.py
  tests/test_workflow.py
  tests/test_approvals.py
  tests/test_auth.py
  tests/test_sessions.py
  tests/test_passwords.py
  tests/test_cli.py
)
KPI_TEST_STORE=postgres KPI_TEST_PG="$url" .venv/bin/python -m pytest -q -p no:cacheprovider "${PG_TESTS[@]}" "$@"
