#!/usr/bin/env bash
# Converts a database file written by duckdb 2.0 into one the product's duckdb (1.5.5) opens; the old file is kept
# as FILE.duckdb2-backup. README, "Upgrading from duckdb 2.0". Usage: scripts/migrate_duckdb2.sh FILE
# A throwaway venv with duckdb 2.0.0 exports it (EXPORT DATABASE), the product's venv imports it into a new file
# and compares the rows of every table; on any difference or error the original stays where it was, untouched.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$root/.venv/bin/python}
die() { echo "migrate_duckdb2: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "Uso: scripts/migrate_duckdb2.sh FILE.duckdb" >&2; exit 2; }
file=$(realpath -- "$1")
backup="$file.duckdb2-backup"
new="$file.duckdb155-nuovo"
[ -f "$file" ] || die "il file $file non esiste."
[ ! -e "$backup" ] || die "esiste già $backup: una conversione è già stata fatta? Spostarlo altrove e riprovare."
rm -f -- "$new" "$new.wal"
work=$(mktemp -d "${TMPDIR:-/tmp}/migrate_duckdb2.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
echo "Preparo duckdb 2.0.0 in un ambiente temporaneo ($work)…"
"$PYTHON" -m venv --without-pip "$work/venv"
"$PYTHON" -m pip --python "$work/venv/bin/python" install --quiet --no-deps duckdb==2.0.0
cd "$root"
"$work/venv/bin/python" -m dashboard.files.duckdb2 export "$file" "$work/export"
"$PYTHON" -m dashboard.files.duckdb2 import "$work/export" "$new"
mv -- "$file" "$backup"
if [ -f "$file.wal" ]; then mv -- "$file.wal" "$backup.wal"; fi
mv -- "$new" "$file"
echo "Convertito: $file (righe per tabella sopra). L'originale scritto da duckdb 2.0 è in $backup."
