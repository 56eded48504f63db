"""Explanations of deviations: for a target a rischio in the year, or not fully met at year end, the office
states the cause (scostamento) and the corrective action. Append-only (`spiegazioni`): the latest per
target and quarter is in force, the earlier ones are its history. The year cannot be closed for
validation while a year-end explanation is missing (year_freeze.py)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import queries
from dashboard.core import audit, db, formats
from dashboard.core.errors import Refused
from dashboard.core.roles import User, require

MAX_TEXT = 4000  # a paragraph each, as the Relazione prints them


class ExplanationRefused(Refused):
    """An explanation refused; the message is Italian."""


def required(con: duckdb.DuckDBPyConnection, ente: str, anno: int, trimestre: int = 4) -> pd.DataFrame:
    """The targets needing an explanation at the end of `trimestre` (4: the year end), with the one in force."""
    return con.execute(queries.sql("deviations", "required"), {"ente": ente, "anno": anno, "trimestre": trimestre}).df()


def missing(con: duckdb.DuckDBPyConnection, ente: str, anno: int, trimestre: int = 4) -> list[str]:
    """Codes of the targets whose explanation is missing."""
    df = required(con, ente, anno, trimestre)
    return list(df.loc[df["causa"].isna(), "target"])


def target_year(con, ente: str, target: str, anno: int) -> int:
    """The anno_da of `target` in force in `anno`, or a refusal."""
    row = con.execute(queries.sql("deviations", "target_in_year"), {"ente": ente, "target": target, "anno": anno}).fetchone()
    if row is None:
        raise ExplanationRefused(f"Il target «{target}» non è in vigore nel {anno}.")
    return row[0]


def target_offices(con, ente: str, target: str, anno_da: int) -> list[str]:
    return [r[0] for r in con.execute(queries.sql("deviations", "target_offices"),
                                      {"ente": ente, "target": target, "anno_da": anno_da}).fetchall()]


def history(con, ente: str, target: str, anno: int) -> pd.DataFrame:
    return con.execute(queries.sql("deviations", "history"), {"ente": ente, "target": target, "anno": anno}).df()


def explain(con: duckdb.DuckDBPyConnection, user: User, target: str, anno: int, trimestre: int, causa: str,
            azione: str, when: dt.datetime | None = None) -> None:
    """Record why `target` deviates at the end of `trimestre` of `anno` and what is done about it, as staff
    or head of one of the target's offices, or as the planning office."""
    require(user, "spiegare_scostamenti", ente=user.ente)
    if trimestre not in (1, 2, 3, 4):
        raise ExplanationRefused("Trimestre non valido: 1-4 (4 = fine anno).")
    anno_da = target_year(con, user.ente, target, anno)
    require(user, "spiegare_scostamenti", ufficio=target_offices(con, user.ente, target, anno_da) or ["-"])
    causa, azione = (formats.clean_text(x or "").strip() for x in (causa, azione))
    if not causa or not azione:
        raise ExplanationRefused("Servono sia la causa dello scostamento sia l'azione correttiva.")
    if len(causa) > MAX_TEXT or len(azione) > MAX_TEXT:
        raise ExplanationRefused(f"Causa e azione correttiva: al massimo {formats.fmt_num(MAX_TEXT, 0)} caratteri ciascuna.")
    when = when or dt.datetime.now()
    with db.transaction(con):
        con.execute(queries.sql("deviations", "insert"), {
            "ente": user.ente, "target": target, "anno_da": anno_da, "anno": anno, "trimestre": trimestre,
            "causa": causa, "azione": azione, "utente": user.username, "quando": when})
        audit.record(con, user.username, "scostamento_spiegato", f"{target} {formats.period_code(anno, trimestre)}",
                     ente=user.ente, dopo={"causa": causa, "azione": azione}, quando=when)
