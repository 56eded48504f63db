#!/usr/bin/env bash
# Runs the whole test suite (what CI runs): lint, then pytest; Python deps in .venv, Debian's Chromium for the browser tests.
# Without arguments, pytest runs in $KPI_TEST_WORKERS processes (default 2, CI's cores; 0: one process, no xdist):
# each test module is one unit of work and the browser journeys (tests/e2e/) are one, run by one worker while the
# other runs the rest (tests/conftest.py names the units). With arguments, they go to pytest as they are, in one
# process: `scripts/test.sh tests/test_engine.py -q`, or `scripts/test.sh -n 2 --dist loadfile -k engine`.
# Without arguments it then runs the suite again on a throw-away PostgreSQL, the same way (scripts/test_postgres.sh;
# KPI_TEST_POSTGRES=0 skips it), all but the modules that read files or draw pages more than they use the store
# (KPI_TEST_PG_SCOPE=ci; `all` runs every test that opens a database, past CI's budget): CI runs exactly this command.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/browser.sh
.venv/bin/ruff check --quiet .
if [ $# -gt 0 ]; then
    exec .venv/bin/python -m pytest "$@"
fi
if [ "${KPI_TEST_WORKERS:-2}" != 0 ]; then
    set -- -n "${KPI_TEST_WORKERS:-2}" --dist loadfile --durations=20
fi
.venv/bin/python -m pytest "$@"
if [ "${KPI_TEST_POSTGRES:-1}" != 0 ]; then
    KPI_TEST_PG_SCOPE=${KPI_TEST_PG_SCOPE:-ci} exec bash scripts/test_postgres.sh "$@"
fi
