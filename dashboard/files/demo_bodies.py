"""Demo bodies of the Toscana Nord-Ovest merger (`init --demo-bodies`), labelled as demo everywhere.

The real history: the Chambers of Lucca, Pisa and Massa-Carrara merged into the Camera di Commercio della
Toscana Nord-Ovest, constituted on 30 June 2022 (seat in Viareggio). Lucca's plan is the real RPP 2020; the
plans of Pisa and Massa-Carrara (2020-2021) and of Toscana Nord-Ovest (2023) are *generated* from Lucca's
plan workbook under their own codes and loaded through the plan import, as any body's workbook would be;
their names say "dimostrativo". The raw records (Lucca, Pisa, Massa-Carrara 2021 to 30/06/2022; Toscana
Nord-Ovest from 01/07/2022 to 2023) are generated deterministically in SQL, in batches whose user is
`demo.DEMO_USER` and whose file name says they are demo data: that is how the pages tell them apart. The plan
indicators computed from records (RI_TEMPO_LAV, RI_SOSP_QUOTA, ITP) get those records' quarterly values, with
numerator and denominator, marked demo like Lucca's 2020 values.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

import queries
from dashboard.core import config, db, measurements
from dashboard.core.demo import DEMO_SOURCE, DEMO_USER
from dashboard.core.roles import User
from dashboard.files import plan_versions
from dashboard.files import plan_workbook as pw
from queries import comparison

SUCCESSOR = "CCIAA-TNO"
PREDECESSORS = ("CCIAA-LU", "CCIAA-PI", "CCIAA-MS")
MERGER_DATE = dt.date(2022, 6, 30)
MERGER_ACT = "Costituzione della Camera di Commercio della Toscana Nord-Ovest (30/06/2022)"
PLANNER = User(DEMO_USER, "", "pianificazione", ())
DEMO_WHEN = dt.datetime(2023, 1, 31, 9, 0)


@dataclass(frozen=True)
class Profile:
    """How a body's demo records are drawn: practices, questionnaires, invoices per year and their character."""
    pratiche: int
    lav: int          # working days drawn in 0 .. lav-1
    quota_sosp: int   # % of practices suspended
    questionari: int
    base: int         # scores drawn in base .. base + ampiezza - 1 (scale 10)
    ampiezza: int
    fatture: int
    min_giorni: int   # paid min_giorni .. min_giorni + 29 days after the invoice (due at 30)


PROFILES = {
    "CCIAA-LU": Profile(9000, 6, 25, 420, 5, 6, 1200, 12),
    "CCIAA-PI": Profile(12000, 8, 31, 520, 4, 7, 1500, 18),
    "CCIAA-MS": Profile(6000, 5, 19, 260, 6, 5, 800, 8),
    "CCIAA-TNO": Profile(27000, 7, 24, 1200, 5, 6, 3500, 10),
}
NAMES = {
    "CCIAA-PI": ("Camera di Commercio di Pisa (ente dimostrativo)", "CCIAA Pisa (demo)"),
    "CCIAA-MS": ("Camera di Commercio di Massa-Carrara (ente dimostrativo)", "CCIAA Massa-Carrara (demo)"),
    SUCCESSOR: ("Camera di Commercio della Toscana Nord-Ovest (piano dimostrativo)", "CCIAA Toscana Nord-Ovest (demo)"),
}
DESKS = ["Marchi e Brevetti", "Nuova Impresa", "Finanziamenti", "Formazione", "Mediazione"]
# The plan indicators computed from the records, fed with the demo records' quarters (as an import would):
# shared indicator -> (plan indicator, divisor of the numerator: the share is stored as cases, factor 100).
FEEDS = {"tempo_ri": ("RI_TEMPO_LAV", 1.0), "quota_sospese": ("RI_SOSP_QUOTA", 100.0), "itp": ("ITP", 1.0)}


def loaded(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(queries.sql("demo_bodies", "has_body"), {"ente": SUCCESSOR}).fetchone()[0])


def plan_for(ente: str, years: tuple[int, int]) -> pw.PlanTables:
    """Lucca's plan workbook under another body's code: its targets for `years` (from, to), the budget of the
    first year moved to each year of the span; the printed totals belong to Lucca's document and stay out."""
    base, problems = pw.read_workbook(config.SEED_DIR)
    assert not problems, problems
    first, last = years
    t = pw.PlanTables({s: [dict(r) for r in rows] for s, rows in base.items()})
    t["target"] = [{**r, "anno_da": first, "anno_a": last} for r in t["target"] if r["anno_da"] == 2020]
    keys = {r["codice"] for r in t["target"]}
    t["criteri"] = [{**r, "anno_da": first, "anno": None} for r in t["criteri"]
                    if r["anno_da"] == 2020 and r["target"] in keys]
    budget_2020 = [r for r in t["budget"] if r["anno"] == 2020]
    t["budget"] = [{**r, "anno": y, "anno_testo": y} for y in range(first, last + 1) for r in budget_2020]
    t["budget_stampa"] = []
    t["eventi_obiettivi"] = []
    for rows in t.values():
        for r in rows:
            if "ente" in r:
                r["ente"] = ente
    t["enti"][0].update(codice=ente, nome=NAMES[ente][0], nome_breve=NAMES[ente][1])
    t.righe = {s: list(range(2, len(rows) + 2)) for s, rows in t.items()}
    return t


def _records(con, ente: str, dal: dt.date, al: dt.date, years: float) -> int:
    """One demo batch per kind of record for `ente` between `dal` and `al` (`years` of activity)."""
    p = PROFILES[ente]
    n = 0
    for kind, count, params in (
        ("pratiche", p.pratiche, {"lav": p.lav, "quota_sosp": p.quota_sosp}),
        ("questionari", p.questionari, {"base": p.base, "ampiezza": p.ampiezza, "sportelli": DESKS}),
        ("fatture", p.fatture, {"min_giorni": p.min_giorni, "ampiezza": 30}),
    ):
        rows = round(count * years)
        lotto = con.execute(queries.sql("demo_bodies", "next_lotto")).fetchone()[0]
        con.execute(queries.sql("demo_bodies", "insert_lotto"), {
            "id": lotto, "ente": ente, "tipo": kind, "righe": rows, "utente": DEMO_USER, "quando": DEMO_WHEN,
            "file": f"{DEMO_SOURCE}: {kind} {ente} dal {dal:%d/%m/%Y} al {al:%d/%m/%Y}"})
        con.execute(queries.sql("demo_bodies", f"demo_{kind}"),
                    {"ente": ente, "dal": dal, "al": al, "n": rows, "lotto": lotto, **params})
        n += rows
    return n


def _feed(con, ente: str, years: list[int]) -> int:
    """The quarterly values of the record-fed plan indicators of `ente`, from its demo records, as demo values
    (numerator and denominator kept, so the predecessors' series consolidate by cases)."""
    inds = measurements.indicators(con, ente)
    values = []
    for anno in years:
        d = comparison.cases(con, anno, [ente]).dropna(subset=["trimestre"])
        for r in d.itertuples():
            code, divisor = FEEDS.get(r.indicatore, (None, 1.0))
            if code not in inds:
                continue
            num = r.numeratore / divisor
            values.append(measurements.NewValue(code, anno, int(r.trimestre), num / r.denominatore * inds[code].fattore,
                                                num, r.denominatore, None, DEMO_SOURCE))
    changes = measurements.plan_changes(measurements.current_versions(con, ente), values)
    measurements.write(con, ente, values, changes, DEMO_USER, DEMO_WHEN, demo=True)
    return len(values)


def load(con: duckdb.DuckDBPyConnection) -> int:
    """Pisa, Massa-Carrara and Toscana Nord-Ovest with their plans, the succession and the demo records of
    the four bodies, in one transaction; returns how many records were generated. Lucca must be loaded."""
    with db.transaction(con, lock=True):
        for ente in ("CCIAA-PI", "CCIAA-MS"):
            plan_versions.import_in_transaction(
                con, PLANNER, plan_for(ente, (2020, 2021)), atto=f"{DEMO_SOURCE}: piano di {NAMES[ente][1]}",
                adopt=True, data_atto=dt.date(2020, 1, 28), quando=DEMO_WHEN)
        plan_versions.import_in_transaction(
            con, PLANNER, plan_for(SUCCESSOR, (2023, 2023)), atto=f"{DEMO_SOURCE}: piano 2023 di {NAMES[SUCCESSOR][1]}",
            adopt=True, data_atto=dt.date(2023, 1, 30), quando=DEMO_WHEN)
        for predecessore in PREDECESSORS:
            con.execute(queries.sql("demo_bodies", "insert_succession"), {
                "successore": SUCCESSOR, "predecessore": predecessore, "dal": MERGER_DATE, "atto": MERGER_ACT})
            con.execute(queries.sql("demo_bodies", "link_indicators"),
                        {"successore": SUCCESSOR, "predecessore": predecessore})
        n = 0
        for ente in PREDECESSORS:  # 2021 and the half year before the merger
            n += _records(con, ente, dt.date(2021, 1, 1), dt.date(2021, 12, 31), 1.0)
            n += _records(con, ente, dt.date(2022, 1, 1), MERGER_DATE, 0.5)
        n += _records(con, SUCCESSOR, dt.date(2022, 7, 1), dt.date(2022, 12, 31), 0.5)
        n += _records(con, SUCCESSOR, dt.date(2023, 1, 1), dt.date(2023, 12, 31), 1.0)
        for ente in PREDECESSORS:
            _feed(con, ente, [2021, 2022])
        _feed(con, SUCCESSOR, [2022, 2023])
    return n
