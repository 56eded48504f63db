"""Run files through one import path on a database file and print, per file, one JSON line: the refusal,
the seconds taken, the process's peak memory so far and whether any table changed.

    python -m tests.hostile_driver DB {template|records|plan} USER FILE...

Used by tests/test_hostile_files.py (in a subprocess with a 1 GB address-space limit) and by
benchmarks/bench_hostile_files.py (one process per file, for its own peak memory)."""
from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

from dashboard.core import db, users
from dashboard.core.errors import Refused
from dashboard.files import measurement_import, plan_versions, records_import

TABLES = ("misure", "pratiche", "questionari", "fatture", "lotti_record", "piano_versioni", "piano_contenuti", "audit")


def state(con) -> dict:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608 - fixed names


def run_one(con, reader: str, username: str, path: Path) -> list[str]:
    """The refusal's lines ([] if the file was accepted)."""
    if reader == "template":
        result = measurement_import.import_file(con, path, username, today=dt.date(2026, 11, 24))
        return [str(p) for p in result.problems]
    if reader == "records":
        result = records_import.import_records(con, "pratiche", path, username, today=dt.date(2026, 11, 24))
        return [str(p) for p in result.problems]
    try:
        plan_versions.import_version(con, users.require_user(con, username), path)
    except Refused as exc:
        return str(exc).splitlines()
    return []


def main(argv: list[str]) -> None:
    db_file, reader, username, *files = argv
    con = db.connect(db_file)  # as given: Path() would fold a postgresql:// address into a file name
    for f in files:
        before = state(con)
        started = time.perf_counter()
        refusal = run_one(con, reader, username, Path(f))
        seconds = time.perf_counter() - started
        print(json.dumps({"file": Path(f).name, "refusal": refusal, "seconds": round(seconds, 3),
                          "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                          "unchanged": state(con) == before}), flush=True)
    db.close(db_file)


if __name__ == "__main__":
    main(sys.argv[1:])
