"""Benchmark: the SQL engine against a straightforward pandas computation, in the same run.

Builds a database of N bodies (default 100), each with the Lucca plan's 31
targets kept in force for 10 years (2011-2020) and quarterly values for every
indicator, in each store (a DuckDB file, the shared PostgreSQL store: the same
data), then times `status` at every level for a year-end and an in-year
quarter, with both implementations, checks they agree on every store, and
prints one table with a column per store.

    .venv/bin/python benchmarks/bench_status.py [--bodies 100] [--years 10] [--repeat 5]
                                                [--store file,postgres] [--pg postgresql://…/postgres]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import reference_pandas, stores  # noqa: E402
from dashboard.core import db, formats  # noqa: E402
from dashboard.files import seed_loader  # noqa: E402
from queries import status as status_queries  # noqa: E402

LEVELS = ("target", "obiettivo", "area", "ente")


def build(bodies: int, years: int, con=None):
    """The seed plan cloned into `bodies` bodies with `years` years of quarterly values (into `con` if given)."""
    con = con or db.memory()
    seed_loader.load_seed(con)
    first = 2021 - years
    # Clone the 2020 plan into N bodies, targets in force for all the years. Benchmark-only SQL on our own tables.
    con.execute("CREATE TEMP TABLE bodies AS SELECT printf('E%03d', i) AS ente FROM range(1, $n + 1) r(i)", {"n": bodies})
    con.execute("INSERT INTO enti SELECT b.ente, 'Ente ' || b.ente, b.ente FROM bodies b")
    con.execute("INSERT INTO smvp (ente) SELECT ente FROM bodies")
    for table in ("aree", "obiettivi", "indicatori"):  # a fixed list of our own tables
        con.execute(f"INSERT INTO {table} SELECT b.ente, x.* EXCLUDE (ente) FROM bodies b, {table} x "
                    "WHERE x.ente = 'CCIAA-LU'")
    con.execute("INSERT INTO target SELECT b.ente, t.codice, t.obiettivo, t.numero, $first, 2020, t.peso, t.testo "
                "FROM bodies b, target t WHERE t.ente = 'CCIAA-LU' AND t.anno_da = 2020", {"first": first})
    con.execute("INSERT INTO criteri BY NAME SELECT b.ente, c.* EXCLUDE (ente, anno_da), $first AS anno_da "
                "FROM bodies b, criteri c WHERE c.ente = 'CCIAA-LU' AND c.anno_da = 2020", {"first": first})
    # Quarterly values for every indicator judged by a 2020 target: counts, cases, stocks; a few gaps.
    con.execute("""
        INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore,
                            demo, versione, utente, registrato_il)
        SELECT b.ente, i.codice, y.y, q.q, 'trimestre',
            CASE WHEN i.aggregazione = 'casi' THEN (h % 400) / 100.0 + 1
                 WHEN i.unita = '%' THEN least(100, q.q * 25 - (h % 20))
                 ELSE h % 7 END,
            CASE WHEN i.aggregazione = 'casi' THEN ((h % 400) / 100.0 + 1) * (50 + h % 50) END,
            CASE WHEN i.aggregazione = 'casi' THEN 50 + h % 50 END,
            true, 1, 'bench', TIMESTAMP '2021-01-01'
        FROM bodies b
        JOIN indicatori i ON i.ente = b.ente
        CROSS JOIN range($first, 2021) y(y) CROSS JOIN range(1, 5) q(q),
        LATERAL (SELECT hash(b.ente, i.codice, y.y, q.q) AS h)
        WHERE i.codice IN (SELECT indicatore FROM criteri WHERE ente = b.ente) AND h % 37 <> 0
    """, {"first": first})
    return con


def timeit(fn, repeat):
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bodies", type=int, default=100)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    stores.add_arguments(ap)
    args = ap.parse_args(argv)
    names = stores.chosen(args)
    with ExitStack() as stack:
        places = stores.Places(stack, args.pg)
        cons = {}
        for store in names:  # the same data in each store: build() is deterministic
            t0 = time.perf_counter()
            target = places.new(store, "stato")
            cons[store] = db.connect(target)
            stack.callback(db.close, target)
            build(args.bodies, args.years, cons[store])
            con = cons[store]
            rows = con.execute("SELECT count(*) FROM misure").fetchone()[0]
            targets = con.execute("SELECT count(*) FROM target WHERE anno_a = 2020").fetchone()[0]
            print(f"{stores.LABELS[store]}: {args.bodies} enti x {args.years} anni, {targets} target, "
                  f"{formats.fmt_num(rows, 0)} misure trimestrali (costruito in "
                  f"{formats.fmt_num(time.perf_counter() - t0, 1)} s)")
        table(cons, args.repeat)
    print(f"Carico medio della macchina alla fine: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 core condivisi)")


def table(cons: dict, repeat: int) -> None:
    """One row per period and level, a column per store: the SQL engine, and pandas on the tables read from
    that store (in memory: the same on every store, timed once)."""
    frames = reference_pandas.load_frames(next(iter(cons.values())))
    head = [f"SQL {s} (ms)" for s in cons] + ["pandas (ms)"] + [f"pandas+lettura {s} (ms)" for s in cons]
    print(f"{'periodo':<9} {'livello':<10} " + " ".join(f"{h:>{max(12, len(h))}}" for h in head))
    for anno, q in ((2020, 4), (2020, 2)):
        ref = reference_pandas.status_levels(frames, anno, q)
        for level in LEVELS:
            sql_ms, io_ms = [], []
            for con in cons.values():
                sql_df = status_queries.status(con, anno, q, level)
                # Same figures from both implementations on every store: grado and status of every row.
                index = ["ente"] if level == "ente" else ["ente", level]
                a = sql_df.set_index(index).sort_index()
                b = ref[level].set_index(index).sort_index()
                assert len(a) == len(b) and np.allclose(a["grado"].to_numpy(float), b["grado"].to_numpy(float),
                                                        equal_nan=True), level
                assert (a["status"].to_numpy() == b["status"].to_numpy()).all(), level
                sql_ms.append(timeit(lambda: status_queries.status(con, anno, q, level), repeat) * 1000)
                # pandas for a level computes the levels below it too, reading the tables first, as a script would.
                io_ms.append(timeit(lambda: reference_pandas.status_levels(reference_pandas.load_frames(con), anno,
                                                                           q, level), repeat) * 1000)
            pd_ms = timeit(lambda: reference_pandas.status_levels(frames, anno, q, level), repeat) * 1000
            cells = sql_ms + [pd_ms] + io_ms
            print(f"{anno}-Q{q:<4} {level:<10} " + " ".join(f"{c:>{max(12, len(h))}.1f}" for c, h in zip(cells, head)))
    print("Le due implementazioni danno gli stessi gradi e stati per ogni riga di ogni livello"
          + (", su ogni archivio." if len(cons) > 1 else "."))


if __name__ == "__main__":
    main()
