"""Benchmark (issue 16): the comparison between chambers at national scale, and the status of 60 bodies x 10
years, warm, each beside a baseline measured in the same run. Prints figures; not a test.

Builds a database file with bench_status's bodies (Lucca's plan cloned, 10 years of quarterly values)
and, for those same bodies, one year of raw records in the national generator's layouts and proportions
(benchmarks/generate_records.py: ~6 million practices, 1 million questionnaires, 2 million invoices a year at
--scale 1), written straight into the tables (the import is bench_records' subject). Then times:
  comparison — queries.comparison.cases for every body (what the page Confronto tra Camere reads, cached per
               data version) plus the median and rank (comparison.ranked); baseline: pandas computing the
               same figures from the records read out of the database (the figures are checked equal), and
               for reference the Servizi metrics of the same year for all bodies (queries.metrics);
  status     — queries.status for every body at every level for each of the 10 year-ends; baseline: the
               pandas reference of bench_status (reference_pandas), tables already in memory;
  pages      — the pages themselves with AppTest, as a national account reading every body: Confronto tra
               Camere (all the bodies ranked, boxplot, one body's detail) and the Cruscotto (the status of a
               body over the last eight quarters of the ten years), cold (empty cache) and warm (the median of
               --repeat reruns); baseline: the same AppTest running a page that draws only a title and a
               table, Streamlit's own floor. Target: warm under 1 s.

    .venv/bin/python benchmarks/bench_comparison.py [--bodies 60] [--scale 1.0] [--repeat 3] [--no-pages]
    .venv/bin/python benchmarks/bench_comparison.py --smoke     # seconds: 1% of the records, 2 years, pages once
(tests/test_comparison.py runs the smoke on 6 bodies with --no-pages: the SQL and pandas figures must agree.)
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import reference_pandas  # noqa: E402
from benchmarks.bench_status import build, timeit  # noqa: E402
from benchmarks.generate_records import DESKS, OFFICES, PER_YEAR, SQL, shares  # noqa: E402
from dashboard.core import db, users  # noqa: E402
from dashboard.core.roles import User  # noqa: E402
from queries import comparison  # noqa: E402
from queries import metrics as metrics_queries  # noqa: E402
from queries import status as status_queries  # noqa: E402

YEAR = 2020
# The generator's text columns read back into the tables' types (benchmark-only SQL on our own tables).
TYPED = {
    "pratiche": "INSERT INTO pratiche SELECT $ente, protocollo, tipo, ufficio, strptime(data_arrivo, '%d/%m/%Y')::DATE, "
                "strptime(data_evasione, '%d/%m/%Y')::DATE, giorni_sospensione, 1 FROM ({q})",
    "questionari": "INSERT INTO questionari SELECT $ente, strptime(data, '%d/%m/%Y')::DATE, sportello, punteggio, "
                   "scala_max, 1 FROM ({q})",
    "fatture": "INSERT INTO fatture (ente, id_fattura, fornitore, data_fattura, data_scadenza, data_pagamento, "
               "importo_pagato, lotto) SELECT $ente, id_fattura, fornitore, strptime(data_fattura, '%d/%m/%Y')::DATE, "
               "strptime(data_scadenza, '%d/%m/%Y')::DATE, strptime(data_pagamento, '%d/%m/%Y')::DATE, "
               "replace(importo_pagato, ',', '.')::DECIMAL(18, 2), 1 FROM ({q})",
}


def add_records(con, bodies: list[str], scale: float) -> int:
    total = 0
    for kind, per_year in PER_YEAR.items():
        for c, (ente, share) in enumerate(zip(bodies, shares(len(bodies))), start=1):
            n = max(1, int(per_year * scale * share))
            query = TYPED[kind].replace("{q}", SQL[kind].replace("{y}", str(YEAR)))
            params = {k: v for k, v in {"n": n, "c": c, "y": YEAR, "ente": ente, "uffici": OFFICES,
                                         "sportelli": DESKS}.items() if f"${k}" in query}
            con.execute(query, params)
            total += n
    return total


def pandas_cases(con, bodies: list[str]) -> pd.DataFrame:
    """The baseline: the same numerators and denominators per body and quarter, and the year, in pandas."""
    dal, al = pd.Timestamp(YEAR, 1, 1), pd.Timestamp(YEAR, 12, 31)
    p = con.execute("SELECT ente, data_arrivo, data_evasione, giorni_sospensione FROM pratiche").df()
    q = con.execute("SELECT ente, data, punteggio, scala_max FROM questionari").df()
    f = con.execute("SELECT ente, data_pagamento, data_scadenza, importo_pagato::DOUBLE AS importo FROM fatture").df()
    p, q, f = p[p.ente.isin(bodies)], q[q.ente.isin(bodies)], f[f.ente.isin(bodies)]
    p = p[(p.data_evasione >= dal) & (p.data_evasione <= al)]
    q = q[(q.data >= dal) & (q.data <= al)]
    f = f[(f.data_pagamento >= dal) & (f.data_pagamento <= al)]
    parts = []
    p = p.assign(trimestre=(p.data_evasione.dt.month - 1) // 3 + 1,
                 netti=(p.data_evasione - p.data_arrivo).dt.days - p.giorni_sospensione,
                 sospese=(p.giorni_sospensione > 0) * 100.0, uno=1.0)
    q = q.assign(trimestre=(q.data.dt.month - 1) // 3 + 1, punti=q.punteggio * 10.0 / q.scala_max, uno=1.0)
    f = f.assign(trimestre=(f.data_pagamento.dt.month - 1) // 3 + 1,
                 gi=(f.data_pagamento - f.data_scadenza).dt.days * f.importo)
    for frame, ind, num, den in ((p, "tempo_ri", "netti", "uno"), (p, "quota_sospese", "sospese", "uno"),
                                 (q, "soddisfazione", "punti", "uno"), (f, "itp", "gi", "importo")):
        g = frame.groupby(["ente", "trimestre"])[[num, den]].sum().reset_index()
        y = g.groupby("ente")[[num, den]].sum().reset_index().assign(trimestre=0)
        both = pd.concat([g, y]).rename(columns={num: "numeratore", den: "denominatore"})
        parts.append(both.assign(indicatore=ind, valore=both.numeratore / both.denominatore))
    return pd.concat(parts, ignore_index=True)


def pages(path: Path, bodies: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    """The pages timed as a national account reading every body (it compares all of them)."""
    from benchmarks.bench_pages import time_as  # AppTest: Streamlit is imported only where pages are timed

    os.environ["KPI_DB"] = str(path)
    con = db.connect(path)
    if users.get_user(con, "analista.bench") is None:
        users.add_user(con, "analista.bench", "nazionale", bodies[0], [], None, enti=bodies[1:])
    db.close(path)
    reader = User("analista.bench", bodies[0], "nazionale", (), sola_lettura=True)
    out = {"pagina minima (Streamlit)": time_as(None, reader, repeat),
           "Confronto tra Camere": time_as("confronto", reader, repeat,
                                           {"anno": str(YEAR), "trimestre": "0", "ente": bodies[0]}),
           "Cruscotto": time_as("cruscotto", reader, repeat, {"ente": bodies[0]})}
    db.close(path)
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bodies", type=int, default=60)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-pages", action="store_true", help="only the queries, not the pages with AppTest")
    ap.add_argument("--smoke", action="store_true", help="1%% of the records, 2 years, one repeat: a quick check")
    args = ap.parse_args(argv)
    if args.smoke:
        args.scale, args.repeat, args.years = 0.01, 1, min(args.years, 2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "confronto.duckdb"
        try:
            run(args, path)
        finally:
            db.close(path)


def run(args, path: Path) -> None:
    t0 = time.perf_counter()
    con = db.connect(path)
    build(args.bodies, args.years, con)
    bodies = [r[0] for r in con.execute("SELECT ente FROM bodies ORDER BY ente").fetchall()]
    n = add_records(con, bodies, args.scale)
    print(f"Database: {args.bodies} enti x {args.years} anni di misure, {n:_} record grezzi {YEAR} ".replace("_", ".")
          + f"(costruito in {time.perf_counter() - t0:.1f} s)")

    def page_figures():
        return comparison.ranked(comparison.cases(con, YEAR, bodies))

    t_first = time.perf_counter()
    ours = page_figures()
    t_first = time.perf_counter() - t_first
    ref = pandas_cases(con, bodies)
    a = ours.set_index(["ente", "indicatore", "trimestre"]).sort_index()
    b = ref.set_index(["ente", "indicatore", "trimestre"]).sort_index()
    assert len(a) == len(b) and np.allclose(a["valore"].to_numpy(float), b["valore"].to_numpy(float)), "cifre diverse"
    t_sql = timeit(page_figures, args.repeat)
    t_pd = timeit(lambda: comparison.ranked(pandas_cases(con, bodies)), args.repeat)
    t_metrics = timeit(lambda: [metrics_queries.metrics(con, k, YEAR) for k in ("tempi_ri", "soddisfazione", "itp")],
                       args.repeat)
    t_years = timeit(lambda: comparison.bodies_per_year(con, bodies), args.repeat)
    print(f"Confronto ({len(bodies)} enti, 4 indicatori, trimestri e anno, mediana e posizione): SQL {t_sql * 1000:.0f} ms "
          f"(prima volta {t_first * 1000:.0f} ms), pandas {t_pd * 1000:.0f} ms: {t_pd / t_sql:.1f}x; stesse cifre. "
          f"Per riferimento, le metriche dei Servizi (tempi_ri, soddisfazione, itp) di tutti gli enti: {t_metrics * 1000:.0f} ms. "
          f"Gli anni con il numero di enti (l'anno proposto): {t_years * 1000:.0f} ms. "
          "La pagina li legge una volta per versione dei dati (st.cache_data).")

    frames = reference_pandas.load_frames(con)
    first = 2021 - args.years
    for level in ("target", "ente"):
        years = range(first, 2021)
        t_sql = timeit(lambda: [status_queries.status(con, y, 4, level) for y in years], args.repeat)
        t_pd = timeit(lambda: [reference_pandas.status_levels(frames, y, 4, level) for y in years], args.repeat)
        print(f"Stato di {len(bodies)} enti x {args.years} anni, livello {level} (ogni fine anno): SQL "
              f"{t_sql * 1000:.0f} ms ({t_sql / args.years * 1000:.0f} ms per anno), pandas {t_pd * 1000:.0f} ms "
              f"(tabelle già in memoria): {t_pd / t_sql:.1f}x")
    db.close(path)
    if args.no_pages:
        return
    print(f"Pagine (AppTest, utente nazionale che legge i {len(bodies)} enti; caldo: mediana di {args.repeat} esecuzioni):")
    timings = pages(path, bodies, args.repeat)
    floor = timings["pagina minima (Streamlit)"][1]
    for name, (cold, warm) in timings.items():
        extra = "" if name.startswith("pagina minima") else (
            f" ({(warm - floor) * 1000:.0f} ms oltre la pagina minima) — {'entro' if warm < 1 else 'OLTRE'} 1 s")
        print(f"  {name}: freddo {cold * 1000:.0f} ms, caldo {warm * 1000:.0f} ms{extra}")


if __name__ == "__main__":
    main()
