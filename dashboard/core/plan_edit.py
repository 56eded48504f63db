"""Changes to the plan by the planning office: a condition's threshold, a target's weight.

The plan rows hold the plan in force; the audit trail keeps every earlier value,
who changed it, when and why (the reason is mandatory).
"""
from __future__ import annotations

import datetime as dt

import duckdb

import queries
from dashboard.core import audit, db, formats, periods
from dashboard.core.errors import Refused
from dashboard.core.roles import User, require


class PlanEditError(Refused):
    pass


def _refuse_if_closed(con, ente: str, target: str, anno_da: int) -> None:
    """A closed quarter's judgement is what the OIV validates: a plan edit that would change it waits until
    the quarter is reopened, with its reason (and the reopening is in the audit trail)."""
    years = con.execute(queries.sql("plan_edit", "target_years"), {"ente": ente, "target": target, "anno_da": anno_da}).fetchone()
    if years is None:
        return
    shut = sorted(q for q in periods.closed_quarters(con, ente) if years[0] <= q[0] <= years[1])
    if shut:
        raise PlanEditError(f"Il target {target} è giudicato in trimestri chiusi ("
                            + ", ".join(formats.fmt_period(*q) for q in shut)
                            + "): per modificarne soglia o peso riaprirli prima, con il motivo, da «Trimestri».")


def _apply(con, user: User, azione_oggetto: str, prima, dopo, motivo: str, statement: str, params: dict, when) -> None:
    _refuse_if_closed(con, user.ente, params["target"], params["anno_da"])
    if not (motivo or "").strip():
        raise PlanEditError("Il motivo della modifica del piano è obbligatorio.")
    when = when or dt.datetime.now()
    with db.transaction(con):
        con.execute(queries.sql("plan_edit", statement), params)
        audit.record(con, user.username, "piano_modificato", azione_oggetto, ente=user.ente, prima=prima, dopo=dopo,
                     motivo=motivo.strip(), quando=when)


def set_threshold(con: duckdb.DuckDBPyConnection, user: User, target: str, anno_da: int, indicatore: str,
                  soglia: float, motivo: str, when: dt.datetime | None = None) -> None:
    require(user, "modificare_piano")
    key = {"ente": user.ente, "target": target, "anno_da": anno_da, "indicatore": indicatore}
    rows = con.execute(queries.sql("plan_edit", "criterion"), key).fetchall()
    if not rows:
        raise PlanEditError(f"Il target {target} ({anno_da}) non ha una condizione sull'indicatore {indicatore}.")
    if len(rows) > 1:
        # One new threshold would overwrite every year's: those are changed in the plan files.
        raise PlanEditError(f"Il target {target} ({anno_da}) ha soglie diverse per anno sull'indicatore {indicatore}: "
                            "modificale nel file del piano (criteri.csv).")
    row = rows[0]
    _apply(con, user, f"target {target} ({anno_da}) soglia {indicatore}", {"soglia": row[0], "operatore": row[1]},
           {"soglia": soglia, "operatore": row[1]}, motivo, "set_threshold", {**key, "soglia": soglia}, when)


def set_weight(con: duckdb.DuckDBPyConnection, user: User, target: str, anno_da: int, peso: float, motivo: str,
               when: dt.datetime | None = None) -> None:
    require(user, "modificare_piano")
    if peso <= 0:
        raise PlanEditError("Il peso deve essere maggiore di zero.")
    key = {"ente": user.ente, "target": target, "anno_da": anno_da}
    row = con.execute(queries.sql("plan_edit", "target_weight"), key).fetchone()
    if row is None:
        raise PlanEditError(f"Target {target} ({anno_da}) sconosciuto.")
    _apply(con, user, f"target {target} ({anno_da}) peso", {"peso": row[0]}, {"peso": peso}, motivo, "set_weight",
           {**key, "peso": peso}, when)
