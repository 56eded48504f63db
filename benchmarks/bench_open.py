"""What letting go of the database file between page runs costs the dashboard (issue 17).

The dashboard holds the file only while a page runs (dashboard.core.db.hold) and detaches it RELEASE_AFTER
seconds after the last run, so a CLI command can open it between clicks. Printed, median of N:
- first open in a process: connect, attach, schema and macros brought up to date (once per process);
- open again after the release (a new in-memory host, ATTACH; the macros live in the file: not created again);
- the first query after that (the data version every page run reads first), and the same warm;
- the release (closing the host, which releases the file's lock).

    .venv/bin/python benchmarks/bench_open.py [--db FILE] [-n 20]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.core import db  # noqa: E402
from queries import freshness  # noqa: E402


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:7.1f} ms (min {min(samples) * 1000:.1f}, max {max(samples) * 1000:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="a database file (default: a fresh demo database in a temporary folder)")
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "kpi.duckdb"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", str(path), "init"], check=True, cwd=ROOT,
                       capture_output=True)
    db.RELEASE_AFTER = 0.0  # released at once: the timer's wait is not what is measured
    first, attach, query_cold, query_warm, detach = [], [], [], [], []
    for _ in range(max(3, args.n // 4)):
        t = time.perf_counter()
        db.connect(path)
        first.append(time.perf_counter() - t)
        db.close(path)
    for _ in range(args.n):
        with db.hold(path):
            cur = db.cursor(path)
            freshness.data_version(cur)  # a page run that read something: the file is open
        t = time.perf_counter()
        db._release_if_idle(path.resolve())  # what the timer does once the dashboard is idle
        detach.append(time.perf_counter() - t)
        assert not db.attached(path)
        t = time.perf_counter()
        with db.hold(path):
            cur = db.cursor(path)
            attach.append(time.perf_counter() - t)
            t = time.perf_counter()
            freshness.data_version(cur)
            query_cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            freshness.data_version(cur)
            query_warm.append(time.perf_counter() - t)
    db.close(path)
    print(f"database: {path} ({path.stat().st_size / 1e6:.1f} MB), {args.n} rounds")
    print(f"first open in a process (schema + macros): {ms(first)}")
    print(f"open again after the release:               {ms(attach)}")
    print(f"data version, first query after attach:    {ms(query_cold)}")
    print(f"data version, warm:                        {ms(query_warm)}")
    print(f"release (close):                           {ms(detach)}")
    extra = [a + c - w for a, c, w in zip(attach, query_cold, query_warm)]
    print(f"cost of a page run after the release:      {ms(extra)} (open + cold query - warm query)")


if __name__ == "__main__":
    main()
