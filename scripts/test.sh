#!/usr/bin/env bash
# Runs the whole test suite (what CI runs): Python deps in .venv, Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/browser.sh
exec .venv/bin/python -m pytest "$@"
