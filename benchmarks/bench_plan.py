"""Plan workbooks at national scale: 60 chambers, ~2.000 targets, each imported as a new body and adopted,
then revised (a second version adopted mid-year), then the status of all of it. Prints figures; not a test.

    .venv/bin/python benchmarks/bench_plan.py [--bodies 60] [--db PATH]

Each chamber's plan is Lucca's 2020-2021 plan (31 targets, plus two more per body so the set has ~2.000),
under the chamber's own code, written as an .xlsx workbook and imported through plan_versions like
`plan import FILE --adopt`. Measurements: deterministic values for every indicator, Q1-Q3 2020.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.core import db  # noqa: E402
from dashboard.core.roles import User  # noqa: E402
from dashboard.files import plan_versions  # noqa: E402
from dashboard.files import plan_workbook as pw  # noqa: E402
from queries import status as status_queries  # noqa: E402


def national_plans(n: int) -> list[pw.PlanTables]:
    base, problems = pw.read_workbook(pw.config.SEED_DIR)
    assert not problems, problems
    plans = []
    for i in range(n):
        code = f"CCIAA-{i:02d}"
        t = pw.PlanTables({s: [dict(r) for r in rows] for s, rows in base.items()})
        t["target"] = [r for r in t["target"] if r["anno_da"] >= 2020]
        keys = {(r["codice"], r["anno_da"]) for r in t["target"]}
        t["criteri"] = [r for r in t["criteri"] if (r["target"], r["anno_da"]) in keys]
        for extra in (1, 2):  # two more targets per body, on the satisfaction indicator
            t["target"].append({**t["target"][0], "codice": f"X.{extra}", "numero": extra,
                                "testo": f"Target aggiuntivo {extra}"})
            t["criteri"].append({**t["criteri"][0], "target": f"X.{extra}", "soglia": 2.0 + extra})
        for rows in t.values():
            for r in rows:
                if "ente" in r:
                    r["ente"] = code
        t["enti"][0].update(codice=code, nome=f"Camera di Commercio n. {i}", nome_breve=f"CCIAA {i}")
        plans.append(t)
    return plans


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bodies", type=int, default=60)
    ap.add_argument("--db")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_plan_"))
    path = Path(args.db) if args.db else work / "kpi.duckdb"
    con = db.connect(path)
    plans = national_plans(args.bodies)
    files = []
    t0 = time.perf_counter()
    for p in plans:
        f = work / f"{p.ente}.xlsx"
        f.write_bytes(pw.workbook_bytes(p))
        files.append(f)
    t_write = time.perf_counter() - t0
    n_targets = sum(len(p["target"]) for p in plans)
    print(f"{args.bodies} enti, {n_targets} target, {sum(len(p['criteri']) for p in plans)} criteri; "
          f"cartelle scritte in {t_write:.2f} s ({t_write / len(files) * 1000:.0f} ms l'una)")

    times = []
    for p, f in zip(plans, files):
        user = User("bench", p.ente, "pianificazione", ())
        t = time.perf_counter()
        plan_versions.import_version(con, user, f, atto="Delibera di Giunta n. 4 del 28/01/2020", adopt=True)
        times.append(time.perf_counter() - t)
    print(f"import + adozione (nuovo ente, da .xlsx): totale {sum(times):.2f} s; per ente mediana "
          f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")

    t = time.perf_counter()
    for p in plans:
        pw.read_workbook(work / f"{p.ente}.xlsx")
    t_read = time.perf_counter() - t
    print(f"solo lettura delle {len(files)} cartelle: {t_read:.2f} s")

    rnd = random.Random(2020)
    rows = con.execute("SELECT ente, codice FROM indicatori").fetchall()
    values = [(e, c, q, round(rnd.uniform(1, 10), 2)) for e, c in rows for q in (1, 2, 3)]
    con.executemany("INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, numeratore, denominatore, "
                    "versione, utente, registrato_il) VALUES (?, ?, 2020, ?, 'trimestre', ?, ?, 1, 1, 'bench', now())",
                    [(e, c, q, v, v) for e, c, q, v in values])
    print(f"{len(values)} misure sintetiche 2020 Q1-Q3")

    revised = []
    for p in plans:  # a mid-year revision: every threshold 10 % stricter, in force from 25/06/2020
        for c in p["criteri"]:
            c["soglia"] = round(c["soglia"] * (0.9 if c["operatore"] in ("<", "<=") else 1.1), 4)
        user = User("bench", p.ente, "pianificazione", ())
        t = time.perf_counter()
        plan_versions.import_version(con, user, p, atto="Delibera di Giunta n. 62 del 25/06/2020", adopt=True)
        revised.append(time.perf_counter() - t)
    print(f"revisione (seconda versione adottata, dalle tabelle): totale {sum(revised):.2f} s; per ente mediana "
          f"{statistics.median(revised) * 1000:.0f} ms")

    for level in status_queries.LEVELS:
        for quarter in (1, 3, 4):
            status_queries.status(con, 2020, quarter, level)  # warm
            t = time.perf_counter()
            reps = 5
            for _ in range(reps):
                df = status_queries.status(con, 2020, quarter, level)
            print(f"stato 2020 T{quarter} livello {level:<9}: {len(df):>5} righe in "
                  f"{(time.perf_counter() - t) / reps * 1000:.0f} ms")
    t = time.perf_counter()
    data = plan_versions.export_bytes(con, plans[0].ente)
    print(f"export di un ente: {(time.perf_counter() - t) * 1000:.0f} ms, {len(data) / 1024:.0f} KB")
    db.close(path)


if __name__ == "__main__":
    main()
