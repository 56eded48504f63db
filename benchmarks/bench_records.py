"""Benchmark: raw records at national scale — import and metrics — on the DuckDB file and on the shared
PostgreSQL store side by side, beside a straightforward pandas implementation of the same checks and metrics.

Generates (deterministically) 60 chambers x the years asked of records (benchmarks/generate_records.py: a
national year is ~9 million rows), then, in separate processes so that each peak memory is its own, for each
store of --store:
  file     — imports every file with `records import`'s code (all checks, writes, indicator feeds, audit),
             several files side by side as `records import` does with many files (--workers), into one DuckDB
             file, checkpointed; then computes every metric of the last year for all chambers;
  postgres — the same import into a new database on a PostgreSQL server (--pg, or a throw-away one started with
             scripts/pg.sh), and the same metrics measured every way issue 17 asks: through the attach (DuckDB
             scans PostgreSQL, filters pushed down); from the per-replica local copy (`db.local_records`: its
             copy time, the warm metrics, the check of the data version a warm read costs, its memory); the
             practices' metric pushed into PostgreSQL (the same figures in PostgreSQL's SQL, benchmark-only);
             and the records in DuckLake (Parquet files and a PostgreSQL catalog: copy time, metrics, size);
  pandas   — reads the last year's files with pandas, applies the same checks and computes the same metrics.
Prints one table with the stores side by side: import rows/s, metrics, memory.

    .venv/bin/python benchmarks/bench_records.py [--store file,postgres] [--pg postgresql://…/postgres]
        [--scale 1.0] [--chambers 60] [--years 2018 2019 2020] [--workers N] [--keep DIR] [--no-ducklake]

Targets (issues 5 and 17): a national year's metrics in < 2 s on either store, import > 1 million rows/s on
the file, peak memory < 2 GB.
"""
from __future__ import annotations

import argparse
import gc
import glob
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

YEARS = (2018, 2019, 2020)
REPEAT = 3  # each metric timed this many times, the best kept: the first run also warms the buffers


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """The process's resident memory now (not its peak): what a cache adds is the difference of two readings."""
    gc.collect()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def best_metrics(con, year: int) -> dict:
    """Every metric of `year` for all chambers, each the best of REPEAT runs: seconds per metric and rows."""
    from queries import metrics as metrics_queries

    timings, rows = {}, {}
    for _ in range(REPEAT):
        for kind in metrics_queries.KINDS:
            t0 = time.perf_counter()
            df = metrics_queries.metrics(con, kind, year)
            timings.setdefault(kind, []).append(time.perf_counter() - t0)
            rows[kind] = df
    return {"seconds": {k: min(v) for k, v in timings.items()}, "frames": rows}


def _fingerprint(frames: dict) -> dict:
    """The figures, rounded, so that two stores' results can be compared in the parent process."""
    return {k: float(f"{df.select_dtypes('number').fillna(0).to_numpy().sum():.9g}") for k, df in frames.items()}


def phase_sql(files_dir: Path, target, chambers: int, years: list[int], workers: int | None,
              ducklake: bool) -> dict:
    from benchmarks.generate_records import chamber_codes
    from dashboard.core import db, users
    from dashboard.files import records_import, seed_loader

    con = db.connect(target)
    con.execute("SET memory_limit = '1536MB'")  # hold DuckDB's buffers under the 2 GB target while importing
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
    shared = db.is_postgres(con)
    out = {"years": {}, "workers": workers, "rss_start_mb": rss_mb()}
    for year in years:
        t0 = time.perf_counter()
        # Each chamber's officer imports its three files; the files are worked `workers` at a time.
        results = records_import.import_many(con, [(kind, files_dir / f"{code}_{kind}_{year}.csv", f"p.{code.lower()}")
                                                   for code in codes for kind in ("pratiche", "questionari", "fatture")],
                                             workers=workers)
        # Counted until the records are in the database file itself, not only in its write-ahead log.
        if not shared:
            con.execute("CHECKPOINT")
        seconds = time.perf_counter() - t0
        for result in results:
            assert result.ok, [str(p) for p in result.problems[:3]]
        out["years"][year] = {"rows": sum(r.rows for r in results), "seconds": seconds}
    year = years[-1]
    con.execute("RESET memory_limit")  # from here on as the product runs: DuckDB's default limit
    direct = best_metrics(con, year)
    out["metrics_seconds"], out["figures"] = direct["seconds"], _fingerprint(direct["frames"])
    out["metric_rows"] = {k: len(v) for k, v in direct["frames"].items()}
    del direct
    if shared:
        out["pushdown"] = _pushdown(target, year)
        if ducklake:
            try:  # not in requirements.txt (the product does not use it): pip install duckdb-extension-ducklake==1.5.5
                import duckdb_extension_ducklake  # noqa: F401
                out["ducklake"] = _ducklake(con, target, year)
            except ImportError:
                out["ducklake_missing"] = True
        out["local_copy"] = _local_copy(con, year, files_dir)  # last: it adds a batch
    out["peak_mb"] = peak_mb()
    db.close(target)
    return out


def _local_copy(con, year: int, scratch: Path) -> dict:
    """The per-replica cache as the product keeps it (db.local_records): the first read copies the three record
    tables, the next ones only check the batches; after one more file of the largest chamber the next read copies
    that chamber's practices again. The memory it holds is the RSS it adds."""
    import duckdb

    from benchmarks.generate_records import chamber_codes
    from dashboard.core import db
    from dashboard.files import records_import

    before = rss_mb()
    t0 = time.perf_counter()
    with db.local_records(con):
        pass
    copy_seconds = time.perf_counter() - t0
    after = rss_mb()
    # What DuckDB holds for the copy (checkpointed, so compressed), beside the process's resident memory.
    copy_memory = con.execute("SELECT memory_usage FROM pragma_database_size() WHERE database_name = 'copia'").fetchone()[0]
    t0 = time.perf_counter()
    with db.local_records(con):  # warm: one query of the data version
        pass
    check_seconds = time.perf_counter() - t0
    with db.local_records(con) as local:
        warm = best_metrics(local, year)
        rows = local.execute("SELECT (SELECT count(*) FROM pratiche) + (SELECT count(*) FROM questionari) "
                             "+ (SELECT count(*) FROM fatture)").fetchone()[0]
    # One more file of the largest chamber, as an office uploads it during the day (benchmark-only SQL writes it).
    big = chamber_codes(1)[0]
    extra = scratch / f"{big}_pratiche_extra.csv"
    duckdb.sql(f"SELECT 'EXTRA-' || i AS protocollo, 'modifica' AS tipo, 'Sede' AS ufficio, '02/03/{year}' AS data_arrivo, "
               f"'05/03/{year}' AS data_evasione, 0 AS giorni_sospensione FROM range({EXTRA_ROWS}) t(i)"
               ).write_csv(str(extra), header=True, sep=";")
    t0 = time.perf_counter()
    assert records_import.import_records(con, "pratiche", extra, f"p.{big.lower()}").ok
    extra_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    with db.local_records(con) as local:
        body_rows = local.execute("SELECT count(*) FROM pratiche WHERE ente = $e", {"e": big}).fetchone()[0]
    refresh_seconds = time.perf_counter() - t0
    return {"copy_seconds": copy_seconds, "check_seconds": check_seconds, "metrics_seconds": warm["seconds"],
            "figures": _fingerprint(warm["frames"]), "rows": rows, "rss_mb": after - before, "copy_memory": copy_memory,
            "extra_import_seconds": extra_import, "refresh_seconds": refresh_seconds, "refresh_rows": body_rows}


EXTRA_ROWS = 10_000


# Benchmark-only: the practices' metric (queries/sql/metrics.sql, tempi_ri) written in PostgreSQL's SQL and run
# inside PostgreSQL, to measure the option of pushing the metrics' queries into PostgreSQL.
PUSHDOWN_TEMPI_RI = """
SELECT ente, coalesce(ufficio, '') AS ufficio, extract(quarter FROM data_evasione)::int AS trimestre, count(*) AS pratiche,
    avg((data_evasione - data_arrivo) - giorni_sospensione) AS tempo_medio_netto,
    count(*) FILTER (WHERE giorni_sospensione > 0) * 100.0 / count(*) AS quota_sospese,
    avg(giorni_sospensione) FILTER (WHERE giorni_sospensione > 0) AS sospensione_media,
    count(*) FILTER (WHERE (data_evasione - data_arrivo) - giorni_sospensione <= 5) * 100.0 / count(*) AS quota_entro_5_giorni
FROM pratiche WHERE data_evasione >= make_date({y}, 1, 1) AND data_evasione < make_date({y} + 1, 1, 1)
GROUP BY GROUPING SETS ((ente, coalesce(ufficio, ''), extract(quarter FROM data_evasione)),
    (ente, extract(quarter FROM data_evasione)), (ente, coalesce(ufficio, '')), (ente))
"""


def _pushdown(target: str, year: int) -> dict:
    """PUSHDOWN_TEMPI_RI run by psql inside PostgreSQL (best of REPEAT, psql's start included). Not through DuckDB's
    postgres_query, which ran the same query on three PostgreSQL connections at once here."""
    timings = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        _psql(target, PUSHDOWN_TEMPI_RI.format(y=int(year)))
        timings.append(time.perf_counter() - t0)
    return {"tempi_ri_seconds": min(timings)}


def _ducklake(con, target: str, year: int) -> dict:
    """The three record tables copied into a DuckLake (Parquet files in a folder, its catalog in a PostgreSQL
    database of the same server), then every metric read from it (TEMP views shadow the attached tables)."""
    import duckdb_extension_ducklake as wheel

    from dashboard.core import db

    extension = glob.glob(str(Path(wheel.__file__).parent / "extensions" / "*" / "ducklake.duckdb_extension"))[0]
    parts = urlsplit(target)
    catalog = parts.path.lstrip("/") + "_lake"
    _psql(urlunsplit(parts._replace(path="/postgres")), f"CREATE DATABASE {catalog}")
    data = Path(tempfile.mkdtemp(prefix="ducklake-"))
    try:
        con.execute(f"LOAD '{extension}'")
        con.execute(f"ATTACH 'ducklake:postgres:dbname={catalog} host={parts.hostname} port={parts.port} "
                    f"user={parts.username}' AS lago (DATA_PATH '{data}/')")
        t0 = time.perf_counter()
        for table in ("pratiche", "questionari", "fatture"):
            con.execute(f"CREATE TABLE lago.{table} AS SELECT * FROM cruscotto.{table}")
        copy_seconds = time.perf_counter() - t0
        before = rss_mb()
        cur = db.new_cursor(con)
        for table in ("pratiche", "questionari", "fatture"):
            cur.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM lago.{table}")
        read = best_metrics(cur, year)
        size = sum(f.stat().st_size for f in data.rglob("*.parquet"))
        out = {"copy_seconds": copy_seconds, "metrics_seconds": read["seconds"], "figures": _fingerprint(read["frames"]),
               "parquet_mb": size / 2**20, "rss_mb": rss_mb() - before}
        cur.close()
        con.execute("DETACH lago")
        return out
    finally:
        subprocess.run(["rm", "-rf", str(data)], check=False)
        _psql(urlunsplit(parts._replace(path="/postgres")), f"DROP DATABASE IF EXISTS {catalog} WITH (FORCE)")


def _psql(url: str, statement: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", url, "-c", statement], check=True,
                   capture_output=True)


def phase_pandas(files_dir: Path, chambers: int, year: int) -> dict:
    import numpy as np
    import pandas as pd

    from benchmarks.generate_records import chamber_codes

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


def _server(pg: str | None):
    """The admin address of a PostgreSQL server: --pg, or a throw-away one (scripts/pg.sh) stopped by the caller."""
    if pg:
        return pg, None
    # Its own folder in /tmp: the server runs as the postgres user, who cannot enter our private scratch folder.
    folder = Path(tempfile.mkdtemp(prefix="bench-records-pg-"))
    url = subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "start", str(folder)], check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return url, folder


def _row(label: str, cells: list[str]) -> str:
    return f"  {label:<58}" + "".join(f"{c:>34}" for c in cells)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--chambers", type=int, default=60)
    ap.add_argument("--years", type=int, nargs="+", default=list(YEARS), help="imported in order; the last is measured")
    ap.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    ap.add_argument("--workers", type=int, help="files imported side by side (default: two per core)")
    ap.add_argument("--store", default="file,postgres",
                    help="file, postgres or both (file,postgres); or a postgresql:// address of an empty database")
    ap.add_argument("--pg", help="a PostgreSQL server (postgresql://user@host:port/postgres) to create the database on; "
                                 "default: a throw-away one started with scripts/pg.sh")
    ap.add_argument("--no-ducklake", action="store_true", help="do not measure DuckLake")
    ap.add_argument("--no-pandas", action="store_true", help="do not run the pandas reference")
    ap.add_argument("--phase", choices=["sql", "pandas"], help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--target", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase == "sql":
        print(json.dumps(phase_sql(args.dir, args.target, args.chambers, args.years, args.workers,
                                   not args.no_ducklake)))
        return
    if args.phase == "pandas":
        print(json.dumps(phase_pandas(args.dir, args.chambers, args.years[-1])))
        return

    from benchmarks.generate_records import generate
    from dashboard.core.db import redacted
    from dashboard.core.formats import fmt_num

    stores = [s.strip() for s in args.store.split(",")] if not args.store.startswith("postgresql://") else [args.store]
    year = args.years[-1]
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        folder = args.keep or scratch / "files"
        t0 = time.perf_counter()
        made = folder / "generati.json"  # files kept from a run with the same arguments are used again
        asked = {"chambers": args.chambers, "years": args.years, "scale": args.scale}
        if made.exists() and json.loads(made.read_text())["asked"] == asked:
            total = json.loads(made.read_text())["rows"]
        else:
            total = sum(n for _, n in generate(folder, args.chambers, args.years, args.scale).values())
            made.write_text(json.dumps({"asked": asked, "rows": total}))
        print(f"Record sintetici: {args.chambers} camere x {len(args.years)} anni, {fmt_num(total, 0)} righe "
              f"(generati in {fmt_num(time.perf_counter() - t0, 1)} s); carico della macchina: {os.getloadavg()[0]:.1f}")
        server, pg_folder = (None, None)
        if any(s != "file" for s in stores):
            server, pg_folder = _server(args.pg) if "postgres" in stores else (None, None)

        def run(phase: str, target: str | None = None) -> dict:
            command = [sys.executable, __file__, "--phase", phase, "--dir", str(folder), "--chambers", str(args.chambers),
                       "--years", *map(str, args.years)]
            command += (["--workers", str(args.workers)] if args.workers else []) + (["--target", target] if target else [])
            command += ["--no-ducklake"] if args.no_ducklake else []
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            if done.returncode:
                sys.exit(f"fase {phase} ({target}) fallita:\n{done.stderr[-4000:]}")
            return json.loads(done.stdout.strip().splitlines()[-1])

        results = {}
        try:
            for store in stores:
                if store == "file":
                    results["file"] = run("sql", str(scratch / "bench.duckdb"))
                    (scratch / "bench.duckdb").unlink()
                elif store == "postgres":
                    parts = urlsplit(server)
                    name = f"bench_records_{os.getpid()}"
                    _psql(server, f"CREATE DATABASE {name}")
                    try:
                        results["postgres"] = run("sql", urlunsplit(parts._replace(path="/" + name)))
                    finally:
                        _psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                else:  # an address given as it is: an empty database of the caller's
                    results["postgres"] = run("sql", store)
            pandas = None if args.no_pandas else run("pandas")
        finally:
            if pg_folder is not None:
                subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", str(pg_folder)], check=False)
        report(results, pandas, year, fmt_num, redacted(server or stores[-1]) if "postgres" in results else None)


def report(results: dict, pandas: dict | None, year: int, fmt_num, where: str | None) -> None:
    names = list(results)
    print(f"\nStesso insieme di record in ogni archivio{f' (PostgreSQL: {where})' if where else ''}; "
          f"carico della macchina a fine corsa: {os.getloadavg()[0]:.1f}\n")
    print(_row("", [{"file": "file DuckDB", "postgres": "PostgreSQL"}[n] for n in names]))
    print("Importazione (controlli, scrittura, ricalcolo degli indicatori, registro):")
    for y in results[names[0]]["years"]:
        print(_row(f"  {y}: righe/s (secondi)", [
            f"{fmt_num(r['years'][y]['rows'] / r['years'][y]['seconds'], 0)} ({fmt_num(r['years'][y]['seconds'], 1)} s)"
            for r in results.values()]))
    if pandas:
        print(f"  pandas, anno {year} (lettura e controlli, nessuna scrittura): "
              f"{fmt_num(pandas['rows'] / pandas['import_seconds'], 0)} righe/s ({fmt_num(pandas['import_seconds'], 1)} s)")
    rows = sum(results[names[0]]["metric_rows"].values())
    print(f"\nTutte le metriche dell'anno {year} per tutte le camere (tempi_ri + soddisfazione + itp, migliore di "
          f"{REPEAT}; {fmt_num(rows, 0)} righe di risultato), secondi:")

    def total(m: dict) -> str:
        return f"{fmt_num(sum(m.values()), 3)} ({' + '.join(fmt_num(v, 3) for v in m.values())})"

    print(_row("  letti dall'archivio (PostgreSQL: attraverso l'ATTACH)", [total(r["metrics_seconds"]) for r in results.values()]))
    pg = results.get("postgres")
    if pg:
        c = pg["local_copy"]
        same = "uguali" if c["figures"] == pg["figures"] else f"DIVERSE: {c['figures']} / {pg['figures']}"
        print(_row("  PostgreSQL, dalla copia locale (calda)", ["", total(c["metrics_seconds"])][-len(names):]))
        print(f"    copia locale: {fmt_num(c['rows'], 0)} righe copiate in {fmt_num(c['copy_seconds'], 1)} s "
              f"(alla prima lettura del processo); lettura calda: controllo dei lotti "
              f"{fmt_num(c['check_seconds'] * 1000, 0)} ms; memoria in più del processo (RSS) "
              f"{fmt_num(c['rss_mb'], 0)} MB (DuckDB: {c.get('copy_memory', '?')}); cifre {same} a quelle attraverso l'ATTACH")
        if "refresh_seconds" in c:
            print(f"    dopo un nuovo file di {fmt_num(EXTRA_ROWS, 0)} pratiche della camera più grande (importato in "
                  f"{fmt_num(c['extra_import_seconds'], 1)} s), la lettura successiva ricopia le sue "
                  f"{fmt_num(c['refresh_rows'], 0)} pratiche in {fmt_num(c['refresh_seconds'], 2)} s")
        p = pg["pushdown"]
        print(f"    la sola metrica tempi_ri eseguita dentro PostgreSQL (SQL di PostgreSQL, solo benchmark): "
              f"{fmt_num(p['tempi_ri_seconds'], 3)} s, contro {fmt_num(pg['metrics_seconds']['tempi_ri'], 3)} s "
              f"attraverso l'ATTACH e {fmt_num(c['metrics_seconds']['tempi_ri'], 3)} s dalla copia locale")
        if pg.get("ducklake_missing"):
            print("    DuckLake non misurato: installare duckdb-extension-ducklake==1.5.5 (pip) per misurarlo")
        if "ducklake" in pg:
            d = pg["ducklake"]
            same = "uguali" if d["figures"] == pg["figures"] else f"DIVERSE: {d['figures']}"
            print(_row("  DuckLake (Parquet + catalogo PostgreSQL)", ["", total(d["metrics_seconds"])][-len(names):]))
            print(f"    copia in DuckLake {fmt_num(d['copy_seconds'], 1)} s, {fmt_num(d['parquet_mb'], 0)} MB di "
                  f"Parquet; memoria in più {fmt_num(d['rss_mb'], 0)} MB; cifre {same}")
    if "file" in results and pg:
        same = "uguali" if results["file"]["figures"] == pg["figures"] else "DIVERSE"
        print(f"  cifre del file e di PostgreSQL: {same}")
    if pandas:
        print(f"  pandas sui file CSV dello stesso anno: {fmt_num(pandas['metrics_seconds'], 3)} s")
    print("\nPicco di memoria del processo (ru_maxrss): "
          + ", ".join(f"{n} {fmt_num(r['peak_mb'], 0)} MB" for n, r in results.items())
          + (f", pandas {fmt_num(pandas['peak_mb'], 0)} MB" if pandas else "") + " (obiettivo < 2.048 MB)")


if __name__ == "__main__":
    main()
