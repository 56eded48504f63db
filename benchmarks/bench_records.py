"""Benchmark: raw records at national scale — import and metrics — SQL path against a straightforward
pandas implementation of the same checks and metrics, in the same run.

Generates (deterministically) 60 chambers x 3 years of records (benchmarks/generate_records.py), then in
separate processes, so each peak memory is its own:
  sql    — imports every file with `records import`'s code (all checks, writes, indicator feeds, audit),
           several files side by side as `records import` does with many files (--workers), into one
           DuckDB file, checkpointed; then computes every metric of the last year for all chambers;
  pandas — reads the last year's files with pandas, applies the same checks and computes the same metrics.
Prints times, rows per second, peak memory (ru_maxrss) and the ratios.

    .venv/bin/python benchmarks/bench_records.py [--scale 1.0] [--chambers 60] [--workers N] [--keep DIR]
                                                 [--store postgresql://…/empty_db]

With --store the sql phase imports into that (empty) PostgreSQL database instead of a DuckDB file, and the
metrics are timed three ways (issue 17): through the attach (DuckDB scans PostgreSQL, filters pushed down);
from a local copy of the year's raw records (what a per-replica cache refreshed when the data version changes
would hold: the copy's time printed apart); and the plain file for comparison (the run without --store).

Targets (issue 5): a national year's metrics in < 2 s, import > 1 million rows/s, peak memory < 2 GB.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

YEARS = (2018, 2019, 2020)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_sql(files_dir: Path, db_path, chambers: int, workers: int | None) -> dict:
    from benchmarks.generate_records import chamber_codes
    from dashboard.core import db, users
    from dashboard.files import records_import, seed_loader
    from queries import metrics as metrics_queries

    con = db.connect(db_path)
    con.execute("SET memory_limit = '1536MB'")  # hold DuckDB's buffers under the 2 GB target
    seed_loader.load_seed(con)
    codes = chamber_codes(chambers)
    # Benchmark-only set-up: every chamber gets Lucca's indicators and desks, and one planning officer.
    con.execute("CREATE TEMP TABLE cc AS SELECT unnest($codes) AS ente", {"codes": codes})
    con.execute("INSERT INTO enti SELECT ente, 'Camera ' || ente, ente FROM cc")
    con.execute("INSERT INTO smvp (ente) SELECT ente FROM cc")
    con.execute("INSERT INTO uffici SELECT cc.ente, u.codice, u.nome, u.cdc FROM cc, uffici u WHERE u.ente = 'CCIAA-LU'")
    con.execute("INSERT INTO indicatori SELECT cc.ente, i.* EXCLUDE (ente) FROM cc, indicatori i WHERE i.ente = 'CCIAA-LU'")
    con.execute("INSERT INTO sportelli SELECT cc.ente, s.sportello, s.indicatore FROM cc, sportelli s WHERE s.ente = 'CCIAA-LU'")
    for code in codes:
        users.add_user(con, f"p.{code.lower()}", "pianificazione", code, [], "password-benchmark")
    out = {"years": {}, "workers": workers}
    for year in YEARS:
        t0 = time.perf_counter()
        # Each chamber's officer imports its three files; the files are worked `workers` at a time.
        results = records_import.import_many(con, [(kind, files_dir / f"{code}_{kind}_{year}.csv", f"p.{code.lower()}")
                                                   for code in codes for kind in ("pratiche", "questionari", "fatture")],
                                             workers=workers)
        # Counted until the records are in the database file itself, not only in its write-ahead log.
        if not db.is_postgres(con):
            con.execute("CHECKPOINT")
        seconds = time.perf_counter() - t0
        for result in results:
            assert result.ok, [str(p) for p in result.problems[:3]]
        out["years"][year] = {"rows": sum(r.rows for r in results), "seconds": seconds}
    year = YEARS[-1]
    timings = {}
    for _ in range(3):  # best of 3: the first run also warms the buffer pool
        for kind in metrics_queries.KINDS:
            t0 = time.perf_counter()
            df = metrics_queries.metrics(con, kind, year)
            timings.setdefault(kind, []).append(time.perf_counter() - t0)
            out.setdefault("metric_rows", {})[kind] = len(df)
    out["metrics_seconds"] = {k: min(v) for k, v in timings.items()}
    if db.is_postgres(con):
        out["local_copy"] = _local_copy(con, year)
    out["peak_mb"] = peak_mb()
    db.close(db_path)
    return out


def _local_copy(con, year: int) -> dict:
    """The year's raw records copied from PostgreSQL into TEMP tables of this connection (which shadow the
    attached ones), then every metric timed on them: the per-replica cache option."""
    from queries import metrics as metrics_queries

    cur = con.cursor()
    cur.execute("USE cruscotto")
    t0 = time.perf_counter()
    # Benchmark-only SQL: the whole tables (the metrics of a year also read the year before for ITP's debt).
    for table in ("pratiche", "questionari", "fatture"):
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM cruscotto.{table}")
    copy_seconds = time.perf_counter() - t0
    from dashboard.core import db
    db._temp_objects(cur)
    timings = {}
    for _ in range(3):
        for kind in metrics_queries.KINDS:
            t0 = time.perf_counter()
            metrics_queries.metrics(cur, kind, year)
            timings.setdefault(kind, []).append(time.perf_counter() - t0)
    return {"copy_seconds": copy_seconds, "metrics_seconds": {k: min(v) for k, v in timings.items()}}


def phase_pandas(files_dir: Path, chambers: int) -> dict:
    import numpy as np
    import pandas as pd

    from benchmarks.generate_records import chamber_codes

    year = YEARS[-1]

    def dates(s):
        return pd.to_datetime(s, format="%d/%m/%Y", errors="coerce")

    def numbers(s):
        return pd.to_numeric(s.str.replace(r"[€%\s]", "", regex=True).str.replace(".", "", regex=False)
                             .str.replace(",", ".", regex=False), errors="coerce")

    t0 = time.perf_counter()
    frames = {"pratiche": [], "questionari": [], "fatture": []}
    rows = errors = 0
    for code in chamber_codes(chambers):
        p = pd.read_csv(files_dir / f"{code}_pratiche_{year}.csv", sep=";", dtype=str, keep_default_na=False)
        p["arrivo"], p["evasione"], p["sosp"] = dates(p["data_arrivo"]), dates(p["data_evasione"]), numbers(p["giorni_sospensione"])
        errors += int((p["arrivo"].isna() | p["evasione"].isna() | p["sosp"].isna() | (p["sosp"] < 0)
                       | (p["evasione"] < p["arrivo"]) | (p["sosp"] > (p["evasione"] - p["arrivo"]).dt.days)
                       | p["protocollo"].duplicated()).sum())
        p["ente"] = code
        frames["pratiche"].append(p[["ente", "ufficio", "arrivo", "evasione", "sosp"]])
        q = pd.read_csv(files_dir / f"{code}_questionari_{year}.csv", sep=";", dtype=str, keep_default_na=False)
        q["data_d"], q["score"], q["scala"] = dates(q["data"]), numbers(q["punteggio"]), numbers(q["scala_max"])
        errors += int((q["data_d"].isna() | q["score"].isna() | (q["score"] < 1) | (q["score"] > q["scala"])).sum())
        q["ente"] = code
        frames["questionari"].append(q[["ente", "sportello", "data_d", "score", "scala"]])
        f = pd.read_csv(files_dir / f"{code}_fatture_{year}.csv", sep=";", dtype=str, keep_default_na=False)
        f["fatt"], f["scad"], f["pag"], f["imp"] = (dates(f["data_fattura"]), dates(f["data_scadenza"]),
                                                    dates(f["data_pagamento"]), numbers(f["importo_pagato"]))
        errors += int((f["pag"].isna() | f["imp"].isna() | (f["imp"] <= 0) | (f["pag"] < f["fatt"])
                       | f.duplicated(["fornitore", "id_fattura"])).sum())
        f["ente"] = code
        frames["fatture"].append(f[["ente", "scad", "pag", "imp"]])
        rows += len(p) + len(q) + len(f)
    data = {k: pd.concat(v, ignore_index=True) for k, v in frames.items()}
    import_seconds = time.perf_counter() - t0
    assert errors == 0

    t0 = time.perf_counter()
    p = data["pratiche"]
    p["trim"] = p["evasione"].dt.quarter
    p["netti"] = (p["evasione"] - p["arrivo"]).dt.days - p["sosp"]
    p["sospesa"] = p["sosp"] > 0
    p["entro5"] = p["netti"] <= 5
    tempi = p.groupby(["ente", "ufficio", "trim"]).agg(n=("netti", "size"), medio=("netti", "mean"),
                                                        sospese=("sospesa", "mean"), entro5=("entro5", "mean"))
    tempi_tot = p.groupby(["ente", "trim"]).agg(n=("netti", "size"), medio=("netti", "mean"))
    sosp_media = p[p["sospesa"]].groupby(["ente", "trim"])["sosp"].mean()
    q = data["questionari"]
    q["trim"] = q["data_d"].dt.quarter
    sodd = q.groupby(["ente", "sportello", "scala", "trim"])["score"].agg(["size", "mean"])
    f = data["fatture"]
    f["trim"] = f["pag"].dt.quarter
    f["pesati"] = (f["pag"] - f["scad"]).dt.days * f["imp"]
    g = f.groupby(["ente", "trim"])[["pesati", "imp"]].sum()
    itp = g["pesati"] / g["imp"]
    metrics_seconds = time.perf_counter() - t0
    del tempi, tempi_tot, sosp_media, sodd, itp, np
    return {"year": year, "rows": rows, "import_seconds": import_seconds, "metrics_seconds": metrics_seconds,
            "peak_mb": peak_mb()}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--chambers", type=int, default=60)
    ap.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    ap.add_argument("--workers", type=int, help="files imported side by side (default: two per core)")
    ap.add_argument("--phase", choices=["sql", "pandas"], help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--store", help="an empty PostgreSQL database (postgresql://…) instead of a DuckDB file")
    args = ap.parse_args(argv)
    if args.phase == "sql":
        print(json.dumps(phase_sql(args.dir, args.store or args.dir / "bench.duckdb", args.chambers, args.workers)))
        return
    if args.phase == "pandas":
        print(json.dumps(phase_pandas(args.dir, args.chambers)))
        return

    from benchmarks.generate_records import generate
    from dashboard.core.db import redacted as db_redacted
    from dashboard.core.formats import fmt_num

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        t0 = time.perf_counter()
        files = generate(folder, args.chambers, YEARS, args.scale)
        total = sum(n for _, n in files.values())
        print(f"Record sintetici: {args.chambers} camere x {len(YEARS)} anni, {fmt_num(total, 0)} righe "
              f"(generati in {fmt_num(time.perf_counter() - t0, 1)} s)")
        run = lambda phase: json.loads(subprocess.run(  # noqa: E731
            [sys.executable, __file__, "--phase", phase, "--dir", str(folder), "--chambers", str(args.chambers)]
            + (["--workers", str(args.workers)] if args.workers else [])
            + (["--store", args.store] if args.store and phase == "sql" else []),
            check=True, capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()[-1])
        sql, pd_ = run("sql"), run("pandas")
        print("\nImportazione (controlli, scrittura, ricalcolo degli indicatori, registro, checkpoint) — SQL (DuckDB), "
              f"{sql['workers'] or 'due per core'} file alla volta:")
        for year, r in sql["years"].items():
            print(f"  {year}: {fmt_num(r['rows'], 0)} righe in {fmt_num(r['seconds'], 2)} s = "
                  f"{fmt_num(r['rows'] / r['seconds'], 0)} righe/s")
        last = sql["years"][str(YEARS[-1])]
        print(f"  pandas, stesso anno (lettura, controlli, concatenazione; nessuna scrittura): "
              f"{fmt_num(pd_['rows'], 0)} righe in {fmt_num(pd_['import_seconds'], 2)} s = "
              f"{fmt_num(pd_['rows'] / pd_['import_seconds'], 0)} righe/s")
        print(f"  rapporto: SQL {fmt_num(pd_['import_seconds'] / last['seconds'], 1)}x più veloce")
        m = sql["metrics_seconds"]
        msum = sum(m.values())
        print(f"\nTutte le metriche dell'anno {YEARS[-1]} per tutte le camere — SQL: {fmt_num(msum, 3)} s "
              f"({', '.join(f'{k} {fmt_num(v, 3)} s' for k, v in m.items())}); pandas: "
              f"{fmt_num(pd_['metrics_seconds'], 3)} s; rapporto {fmt_num(pd_['metrics_seconds'] / msum, 1)}x")
        if "local_copy" in sql:
            c = sql["local_copy"]
            lsum = sum(c["metrics_seconds"].values())
            print(f"  PostgreSQL ({db_redacted(args.store)}): metriche attraverso l'ATTACH {fmt_num(msum, 3)} s; da una copia "
                  f"locale dei record {fmt_num(lsum, 3)} s (copia: {fmt_num(c['copy_seconds'], 2)} s)")
        print(f"\nPicco di memoria: SQL {fmt_num(sql['peak_mb'], 0)} MB, pandas {fmt_num(pd_['peak_mb'], 0)} MB "
              f"(obiettivo < 2.048 MB)")


if __name__ == "__main__":
    main()
