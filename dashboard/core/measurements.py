"""Writing measured values: append-only versions, never an overwrite.

A value for a quarter that already has one becomes version n + 1 and keeps
the earlier version with who entered it, when and why; re-entering the same
value changes nothing. Callers run this inside their own transaction so a
whole file is written or nothing is.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb

import queries
from dashboard.core import formats


@dataclass(frozen=True)
class NewValue:
    indicatore: str
    anno: int
    trimestre: int
    valore: float | None
    numeratore: float | None = None
    denominatore: float | None = None
    note: str | None = None
    fonte: str | None = None


@dataclass(frozen=True)
class Change:
    """One line of the receipt: what changed, from what to what."""
    indicatore: str
    anno: int
    trimestre: int
    azione: str  # 'nuovo', 'corretto', 'invariato'
    valore_prima: float | None
    valore_dopo: float | None
    versione: int


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


def current_versions(con: duckdb.DuckDBPyConnection, ente: str) -> dict[tuple[str, int, int], tuple]:
    rows = con.execute(queries.sql("measurements", "current_versions"), {"ente": ente}).fetchall()
    return {(r[0], r[1], r[2]): r[3:] for r in rows}


def plan_changes(current: dict, values: list[NewValue]) -> list[Change]:
    """What writing `values` would do, without writing (the preview)."""
    changes = []
    for v in values:
        cur = current.get((v.indicatore, v.anno, v.trimestre))
        if cur is None:
            changes.append(Change(v.indicatore, v.anno, v.trimestre, "nuovo", None, v.valore, 1))
            continue
        versione, valore, num, den = cur[0], cur[1], cur[2], cur[3]
        if _same(valore, v.valore) and _same(num, v.numeratore) and _same(den, v.denominatore):
            changes.append(Change(v.indicatore, v.anno, v.trimestre, "invariato", valore, v.valore, versione))
        else:
            changes.append(Change(v.indicatore, v.anno, v.trimestre, "corretto", valore, v.valore, versione + 1))
    return changes


def write(con: duckdb.DuckDBPyConnection, ente: str, values: list[NewValue], changes: list[Change], utente: str,
          when: dt.datetime | None = None, demo: bool = False, da_approvare: bool = False) -> None:
    """Append the versions that `plan_changes` said are new or corrected; `da_approvare`: they wait for the
    office head's approval (values entered by staff: approvals.needs_approval)."""
    when = when or dt.datetime.now()
    params = []
    for v, c in zip(values, changes):
        if c.azione == "invariato":
            continue
        params.append({
            "ente": ente, "indicatore": v.indicatore, "anno": v.anno, "trimestre": v.trimestre,
            "valore": v.valore, "numeratore": v.numeratore, "denominatore": v.denominatore,
            "note": v.note, "fonte": v.fonte, "demo": demo, "versione": c.versione, "utente": utente,
            "registrato_il": when, "motivo": v.note if c.azione == "corretto" else None,
            "da_approvare": da_approvare,
        })
    if params:
        # One statement for the whole batch (executemany runs a statement per row).
        con.execute(queries.sql("measurements", "insert_versions"), {"rows": params})


def history(con: duckdb.DuckDBPyConnection, ente: str, indicatore: str) -> list[dict]:
    cur = con.execute(queries.sql("measurements", "history"), {"ente": ente, "indicatore": indicatore})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


@dataclass(frozen=True)
class Indicator:
    codice: str
    nome: str
    unita: str
    ufficio: str
    aggregazione: str
    fattore: float
    proiezione: str
    scala_min: float | None
    scala_max: float | None


def indicators(con, ente: str) -> dict[str, Indicator]:
    rows = con.execute(queries.sql("measurements", "indicators_of_body"), {"ente": ente}).fetchall()
    return {r[0]: Indicator(*r) for r in rows}


# Beyond this no quarterly value of a public body's indicator is plausible, and sums of such values stop
# being exact (or become infinite, which no JSON or judgement can carry).
PLAUSIBLE = 1e12


def _implausible(column: str, x: float | None, ind: Indicator) -> str | None:
    if x is None:
        return None
    if not math.isfinite(x):
        return "valore non numerico (infinito o NaN)"
    if abs(x) > PLAUSIBLE:
        return f"valore fuori misura (oltre {formats.fmt_num(PLAUSIBLE, 0)} in valore assoluto)"
    if ind.unita == "n." and column == "valore" and x != math.floor(x):
        return f"{formats.fmt_num(x)} non è un numero intero: un conteggio si esprime in unità"
    return None


def check_numbers(ind: Indicator, v: float | None, n: float | None, d: float | None):
    """(valore, numeratore, denominatore, [(column, message)]) by the indicator's rule and scale."""
    problems = [(c, m) for c, x in (("valore", v), ("numeratore", n), ("denominatore", d))
                if (m := _implausible(c, x, ind))]
    if problems:
        return None, None, None, problems
    valore = None
    if ind.aggregazione == "casi":
        if n is None or d is None:
            problems.append(("numeratore" if n is None else "denominatore",
                             "per questo indicatore, calcolato sui casi, servono numeratore e denominatore"))
        elif d < 0:
            problems.append(("denominatore", "il denominatore non può essere negativo"))
        elif d == 0 and n != 0:
            problems.append(("denominatore", "denominatore zero con numeratore diverso da zero"))
        else:
            valore = n / d * ind.fattore if d > 0 else None
            if v is not None and valore is not None and abs(round(valore, 2) - round(v, 2)) > 0.011:
                problems.append(("valore", f"il valore {formats.fmt_num(v)} non corrisponde a numeratore/denominatore "
                                           f"({formats.fmt_num(valore)}): lasciare vuoto «valore» o correggerlo"))
    else:
        if n is not None or d is not None:
            problems.append(("numeratore" if n is not None else "denominatore",
                             "per questo indicatore si compila solo «valore»"))
        elif v is None:
            problems.append(("valore", "valore mancante"))
        else:
            valore = v
    if valore is not None and (ind.scala_min is not None and valore < ind.scala_min
                               or ind.scala_max is not None and valore > ind.scala_max):
        low = formats.fmt_num(ind.scala_min, 0) if ind.scala_min is not None else "−∞"
        high = formats.fmt_num(ind.scala_max, 0) if ind.scala_max is not None else "∞"
        problems.append(("valore" if ind.aggregazione != "casi" else "numeratore",
                         f"il valore {formats.fmt_num(valore)} è fuori dalla scala dell'indicatore ({low}–{high} {ind.unita})"))
    if ind.aggregazione != "casi":
        n = d = None
    return valore, n, d, problems


def change_entries(user, values, changes, when, motivo_default=None) -> list[dict]:
    """Audit entries (for audit.record_many) of the values that a write inserts or corrects."""
    return [{"utente": user.username, "azione": "misura_corretta" if c.azione == "corretto" else "misura_inserita",
             "oggetto": f"{v.indicatore} {formats.period_code(v.anno, v.trimestre)}", "ente": user.ente,
             "prima": None if c.azione == "nuovo" else {"valore": c.valore_prima},
             "dopo": {"valore": v.valore, "numeratore": v.numeratore, "denominatore": v.denominatore,
                      "versione": c.versione, "fonte": v.fonte},
             "motivo": v.note if c.azione == "corretto" else motivo_default, "quando": when}
            for v, c in zip(values, changes) if c.azione != "invariato"]
