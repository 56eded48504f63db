#!/usr/bin/env bash
# The whole test suite again on the shared store: a throw-away PostgreSQL on loopback (scripts/pg.sh, installed with
# apt if missing), each database fixture on a PostgreSQL database of its own (tests/pg_store.py), the browser journeys'
# servers on one too (KPI_DB=postgresql://…), stopped at the end. tests/conftest.py deselects the tests that open no
# database (the file run covered them) and skips, with their reason, those marked file_store (DuckDB's file lock, a
# file from an older version…). Which tests and why: README, "The shared PostgreSQL store".
# Arguments go to pytest; without any, $KPI_TEST_WORKERS processes (default 2) as scripts/test.sh.
# KPI_TEST_PG_SCOPE: `all` (the default here) runs the whole suite (15,5 min on a quiet 2-core machine);
# `ci` (what scripts/test.sh, so .ci/run, asks) all of it but the modules below, which read files or draw pages more
# than they use the store (the file run has them), so that both runs fit CI's budget. README, "The shared
# PostgreSQL store", says what is left out and why, with the figures.
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
    # Refusals of hostile or broken files (decided before the store is written), and the journeys that only draw
    # pages (screenshots, axe, chrome) or are covered by the page AppTests; the journeys of uploads, verdicts and the
    # validation chain and sessions (staff_oiv, evidence, session_reload) stay.
    for left_out in test_hostile_files test_hardening e2e/test_every_page e2e/test_chrome \
            e2e/test_segretario_journey e2e/test_overview_journey e2e/test_comparison_journey \
            e2e/test_plan_revision_journey e2e/test_transparency_journey; do
        paths+=(--ignore="tests/$left_out.py")
    done
fi
KPI_TEST_STORE=postgres KPI_TEST_PG="$url" .venv/bin/python -m pytest -q -p no:cacheprovider "${paths[@]}" "$@"
