"""A database file written by duckdb 2.0, converted for the duckdb the product runs on (1.5.5), which cannot read it.

scripts/migrate_duckdb2.sh runs this module twice, in two interpreters:
- `export FILE FOLDER` in a throwaway venv with duckdb 2.0.0: EXPORT DATABASE of the old file (opened read-only)
  to FOLDER, and the rows of each table in FOLDER/righe.json;
- `import FOLDER NEW` in the product's venv: IMPORT DATABASE into a new file, then the product's schema and macros
  (db.connect), and the rows of each table compared with the export's: any difference and NEW is deleted.
Only stdlib, duckdb and the modules that open files are imported at the top, so that the first half runs in a venv
that has nothing but duckdb 2.0.

The macros are left out of the import: 2.0 writes them in name order, so one that calls another defined later
(it_numero_errore → it_numero_testo) fails to be created; db.connect creates them afterwards from queries/sql, as
on every open.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import duckdb

import queries
from dashboard.core import db

COUNTS = "righe.json"
_MACRO = re.compile(r"^\s*CREATE\s+(OR\s+REPLACE\s+)?(TEMP(ORARY)?\s+)?(MACRO|FUNCTION)\b", re.IGNORECASE)


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """{table: rows} of the open file."""
    return {t: con.execute(queries.sql("duckdb2", "row_count"), {"tabella": t}).fetchone()[0]
            for (t,) in con.execute(queries.sql("duckdb2", "tables")).fetchall()}


def export(file: Path, folder: Path) -> dict[str, int]:
    """Run by duckdb 2.0: the file, as it is, into `folder` (which must not exist), with its rows per table."""
    con = db.open_read_only(file)
    try:
        con.execute(queries.query("duckdb2", "export").inline({"folder": str(folder)}))
        counts = row_counts(con)
    finally:
        con.close()
    (folder / COUNTS).write_text(json.dumps(counts, indent=1), encoding="utf-8")
    return counts


def _drop_macros(folder: Path) -> int:
    """Rewrite folder/schema.sql without its macros; how many were left out."""
    schema = folder / "schema.sql"
    statements = duckdb.extract_statements(schema.read_text(encoding="utf-8"))
    kept = [s.query.strip().rstrip(";") for s in statements if not _MACRO.match(s.query)]
    schema.write_text("".join(f"{q};\n" for q in kept), encoding="utf-8")
    return len(statements) - len(kept)


def import_(folder: Path, new: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Run by the product's duckdb: the export into the new file `new`, brought up to the product's schema.
    Returns the rows per table before (the export's) and after."""
    before = json.loads((folder / COUNTS).read_text(encoding="utf-8"))
    _drop_macros(folder)
    con = db.open_empty(new)
    try:
        con.execute(queries.query("duckdb2", "import").inline({"folder": str(folder)}))
        con.execute(queries.sql("duckdb2", "checkpoint"))
    finally:
        con.close()
    try:
        db.connect(new, wait=0)  # the macros and any schema upgrade of this version, as on every open
        after = row_counts(db.cursor(new))
    finally:
        db.close(new)
    return before, after


def differences(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """The tables whose rows differ (or that are missing on one side), in Italian."""
    out = []
    for table in sorted(before):
        if table not in after:
            out.append(f"tabella {table}: mancante nel nuovo file ({before[table]} righe nel file 2.0)")
        elif after[table] != before[table]:
            out.append(f"tabella {table}: {before[table]} righe nel file 2.0, {after[table]} nel nuovo file")
    return out


def report(before: dict[str, int], after: dict[str, int]) -> str:
    """The rows of each table before and after, one line per table (the new tables of this version too)."""
    width = max(len(t) for t in {*before, *after, "tabella"})
    lines = [f"{'tabella':<{width}}  {'righe 2.0':>10}  {'righe 1.5':>10}"]
    for table in sorted({*before, *after}):
        old = before.get(table)
        lines.append(f"{table:<{width}}  {'–' if old is None else old:>10}  {after.get(table, '–'):>10}")
    return "\n".join(lines)


def _remove(new: Path) -> None:
    for path in (new, new.with_name(new.name + ".wal")):
        path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dashboard.files.duckdb2",
                                description="Conversione di un database scritto da duckdb 2.0 "
                                            "(usare scripts/migrate_duckdb2.sh)")
    sub = p.add_subparsers(dest="step", required=True)
    e = sub.add_parser("export", help="con duckdb 2.0: EXPORT DATABASE del file in una cartella nuova")
    e.add_argument("file", type=Path)
    e.add_argument("folder", type=Path)
    i = sub.add_parser("import", help="con la versione del cruscotto: IMPORT DATABASE in un file nuovo e verifica")
    i.add_argument("folder", type=Path)
    i.add_argument("new", type=Path)
    args = p.parse_args(argv)
    if args.step == "export":
        if not duckdb.__version__.startswith("2."):
            print(f"L'esportazione va eseguita con duckdb 2.0 (questo è {duckdb.__version__}).", file=sys.stderr)
            return 2
        counts = export(args.file, args.folder)
        print(f"Esportate {len(counts)} tabelle ({sum(counts.values())} righe) da {args.file}.")
        return 0
    try:
        before, after = import_(args.folder, args.new)
    except BaseException:
        _remove(args.new)
        raise
    print(report(before, after))
    wrong = differences(before, after)
    if wrong:
        _remove(args.new)
        print("Le righe non corrispondono, il file originale non è stato toccato:\n" + "\n".join(wrong),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
