#!/usr/bin/env bash
# Runs the dashboard on data/kpi.duckdb (or $KPI_DB), creating it with the seed plan and demo data if missing
# (with the demo bodies of the Toscana Nord-Ovest merger, so the Confronto page has something to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m dashboard.cli init --demo-bodies
exec .venv/bin/streamlit run dashboard/web/server.py "$@"
