#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the end-to-end tests (Playwright drives it; we never download a browser).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "Installo chromium (pacchetto Debian) per i test end-to-end..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
