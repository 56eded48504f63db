#!/usr/bin/env bash
# Runs the whole test suite (what CI runs): lint, then pytest; Python deps in .venv, Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/browser.sh
.venv/bin/ruff check --quiet .
exec .venv/bin/python -m pytest "$@"
