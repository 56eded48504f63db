"""Deterministic demo measurements for 2020, labelled as demo in the database.

The seed document has no 2020 results (the plan was approved in November 2019),
so the dashboard would be empty. These values are generated from fixed seeds,
close to the 2019 figures the document reports, with a realistic mix of targets
met, partly met and missed. Every row has demo = true and the interface says so.
Year-on-year indicators also get demo values for 2019, which the seed lacks.
"""
from __future__ import annotations

import datetime as dt
import random

import duckdb

import queries
from dashboard.core import db, measurements

DEMO_USER = "demo"
DEMO_SOURCE = "Dati dimostrativi generati (non reali)"

# Quarterly profiles: (kind, parameters). 'count': exact quarterly counts;
# 'cases': (cases per quarter, mean per case, spread); 'stock': quarter-end levels;
# 'level': quarterly values around a level.
PROFILES_2020 = {
    "ADR_CAMPAGNE": ("count", [0, 1, 0, 1]),
    "ADR_CS_SERVIZIO": ("cases", (12, 4.4, 0.15)),
    "ADR_CS_MEDIATORE": ("cases", (12, 4.7, 0.1)),
    "VIG_AZIONI_INFO": ("count", [0, 0, 0, 0]),  # the one target clearly missed
    "RI_TEMPO_LAV": ("cases", (6200, 2.3, 0.25)),
    "RI_SOSP_GIORNI": ("cases", (1550, 3.4, 0.3)),
    "RI_SOSP_QUOTA": ("share", (6200, 25.0, 1.5)),
    "RI_FATTURE": ("level", (1260, 60)),
    "RI_DISPOSITIVI": ("level", (850, 40)),
    "RI_UTILIZZATORI_DIGITALI": ("stock", [5450, 5700, 5900, 6150]),
    "RI_CONDIVISIONI": ("count", [0, 1, 0, 0]),
    "PROM_EVENTI": ("count", [0, 1, 1, 1]),
    "MUSA_PRESENZE": ("count", [150, 310, 420, 205]),
    "CS_SPORTELLI": ("cases", (20, 9.55, 0.15)),
    "CS_MARCHI": ("cases", (13, 9.7, 0.1)),
    "CS_FIN_NI": ("cases", (5, 9.1, 0.2)),
    "CS_FORMAZIONE": ("cases", (180, 6.4, 0.2)),
    "ITP": ("itp", (210, -9.0, 6.0)),
    "MIGL_PROGETTI": ("stock", [20, 40, 60, 75]),
}
PROFILES_2019 = {
    "RI_FATTURE": ("level", (1200, 50)),
    "RI_DISPOSITIVI": ("level", (900, 40)),
    "RI_UTILIZZATORI_DIGITALI": ("stock", [4700, 4850, 5000, 5200]),
}
# Year-end progress of the milestone targets: most done, some late.
MILESTONE_FINAL = [100, 100, 100, 100, 95, 80, 60, 100, 45]


def _values(code: str, year: int, profile) -> list[tuple[float | None, float | None, float | None]]:
    """(valore, numeratore, denominatore) for Q1..Q4."""
    rng = random.Random(f"{code}-{year}")
    kind, p = profile
    out = []
    for q in range(4):
        if kind in ("count", "stock"):
            out.append((float(p[q]), None, None))
        elif kind == "level":
            out.append((float(round(rng.gauss(p[0], p[1]))), None, None))
        elif kind == "cases":
            n = max(1, round(rng.gauss(p[0], p[0] * 0.1)))
            mean = rng.gauss(p[1], p[2])
            out.append((None, round(mean * n, 1), float(n)))
        elif kind == "share":
            n = max(1, round(rng.gauss(p[0], p[0] * 0.1)))
            k = round(n * rng.gauss(p[1], p[2]) / 100)
            out.append((None, float(k), float(n)))
        elif kind == "itp":
            n_amount = round(rng.gauss(p[0], 20) * 1000, 2)  # euro paid in the quarter
            days = rng.gauss(p[1], p[2])
            out.append((None, round(days * n_amount, 2), n_amount))
    return out


def _milestone(code: str) -> list[tuple[float, None, None]]:
    rng = random.Random(f"{code}-2020")
    final = rng.choice(MILESTONE_FINAL)
    steps = sorted(rng.sample(range(5, final), 3)) if final > 8 else [final] * 3
    return [(float(s), None, None) for s in steps + [final]]


def load_demo(con: duckdb.DuckDBPyConnection, ente: str = "CCIAA-LU") -> int:
    """Insert the demo values (one transaction); returns how many were written."""
    indicators = measurements.indicators(con, ente)
    plan: list[tuple[str, int, list]] = []
    for code, profile in PROFILES_2020.items():
        plan.append((code, 2020, _values(code, 2020, profile)))
    for code, profile in PROFILES_2019.items():
        plan.append((code, 2019, _values(code, 2019, profile)))
    in_force = [r[0] for r in con.execute(queries.sql("demo", "indicators_in_force"), {"ente": ente, "anno": 2020}).fetchall()]
    for code in in_force:
        if code.startswith("AV_"):
            plan.append((code, 2020, _milestone(code)))
    values, whens = [], []
    for code, year, quarterly in plan:
        factor = indicators[code].fattore
        for q, (v, n, d) in enumerate(quarterly, start=1):
            if v is None:
                v = n / d * factor if d else None
            values.append(measurements.NewValue(code, year, q, v, n, d, None, DEMO_SOURCE))
            whens.append(dt.datetime(year + (q == 4), 1 if q == 4 else q * 3 + 1, 10, 9, 0))
    with db.transaction(con):
        current = measurements.current_versions(con, ente)
        changes = measurements.plan_changes(current, values)
        for v, c, w in zip(values, changes, whens):
            measurements.write(con, ente, [v], [c], DEMO_USER, w, demo=True)
    return len(values)
