"""Time and peak memory of each hostile workbook (tests/bad_files.py) through the three import paths,
next to a normal file of the same path in the same run.

    .venv/bin/python -m benchmarks.bench_hostile_files [--only template|records|plan] [--rows 2000]

Each file runs in a process of its own (tests/hostile_driver.py) so that its peak memory is its own; the
database is made once with `init --no-demo`. Compare figures only within one run: the machine's speed
varies. The tests (tests/test_hostile_files.py) check the refusals under a 1 GB limit, not the times.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tests import bad_files

ROOT = Path(__file__).resolve().parents[1]


def _cli(db: Path, *args, stdin: bytes | None = None) -> None:
    subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", str(db), *args], input=stdin, cwd=ROOT,
                   check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["template", "records", "plan"])
    parser.add_argument("--rows", type=int, default=2000, help="rows of the normal template and records (baselines)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "kpi.duckdb"
        _cli(db, "init", "--no-demo")
        _cli(db, "user", "add", "pianif", "--role", "pianificazione", "--office", "PROGCONTR", "--password-stdin",
             stdin=b"password-pc\n")
        _cli(db, "plan", "export", "--out", str(tmp / "piano.xlsx"))
        baselines = {"template": bad_files.normal(tmp / "normal.xlsx", rows=args.rows),
                     "records": bad_files.normal_records(tmp / "normal_records.xlsx", rows=args.rows),
                     "plan": tmp / "piano.xlsx"}
        files = {"normal": None}
        files.update(bad_files.write_all(tmp / "hostile"))
        for name, writer in bad_files.RECORDS_ONLY.items():
            files[name] = tmp / f"{name}.xlsx"
            writer(files[name])
        print(f"{'path':9} {'file':26} {'KB':>7} {'s':>7} {'peak MB':>8}  outcome")
        for reader in ([args.only] if args.only else ["template", "records", "plan"]):
            for name, path in files.items():
                if reader != "records" and name in bad_files.RECORDS_ONLY:
                    continue
                path = path or baselines[reader]
                out = subprocess.run([sys.executable, "-m", "tests.hostile_driver", str(db), reader, "pianif",
                                      str(path)], cwd=ROOT, capture_output=True, text=True, timeout=900)
                if out.returncode != 0:
                    print(f"{reader:9} {name:26} failed: {out.stderr.strip().splitlines()[-1]}")
                    continue
                r = json.loads(out.stdout.splitlines()[-1])
                outcome = "accepted" if not r["refusal"] else r["refusal"][-1].strip()[:90]
                print(f"{reader:9} {name:26} {path.stat().st_size // 1024:>7} {r['seconds']:>7.2f} {r['peak_mb']:>8}  "
                      f"{outcome}", flush=True)


if __name__ == "__main__":
    main()
