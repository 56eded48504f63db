"""The year's freeze: the planning office closes a year for validation, taking a snapshot (tables
congelati_*, keyed by the freeze's id) of every judged figure, value, explanation and evidence list as of
that moment. The OIV validates against the snapshot; a later correction is still possible (with its reason,
as every correction) and shows as "modificato dopo la validazione" next to the frozen figure, which never
changes. A year may be frozen again (a new snapshot); the latest is the one in force.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import queries
from dashboard.core import approvals, audit, db, deviations, formats
from dashboard.core.errors import Refused
from dashboard.core.roles import User, require


class FreezeRefused(Refused):
    """Closing the year refused; the message is Italian."""


def blockers(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> list[str]:
    """What keeps the year from being closed: values not approved, year-end explanations missing."""
    out = []
    n = approvals.provisional_count(con, ente, anno)
    if n:
        out.append(f"{n} valori del {anno} non ancora approvati (o restituiti): vanno approvati in «Approvazione valori»")
    missing = deviations.missing(con, ente, anno, 4)
    if missing:
        out.append(f"manca la spiegazione dello scostamento di fine anno per {len(missing)} target: {', '.join(missing)}")
    return out


def close_year(con: duckdb.DuckDBPyConnection, user: User, anno: int, nota: str | None = None,
               when: dt.datetime | None = None) -> int:
    """Freeze `anno` for validation; returns the snapshot's id. Refused while anything blocks it."""
    require(user, "chiudere_anno", ente=user.ente)
    with db.transaction(con, lock=True):
        problems = blockers(con, user.ente, anno)
        if problems:
            raise FreezeRefused(f"Il {anno} non si può chiudere per la validazione: " + "; ".join(problems) + ".")
        when = when or dt.datetime.now()
        nota = formats.clean_text(nota or "").strip() or None
        fid = db.next_id(con, "seq_congelamenti")
        con.execute(queries.sql("year_freeze", "insert"),
                    {"id": fid, "ente": user.ente, "anno": anno, "utente": user.username, "quando": when, "nota": nota})
        params = {"id": fid, "ente": user.ente, "anno": anno}
        for name in ("freeze_targets", "freeze_levels", "freeze_values", "freeze_explanations", "freeze_evidence"):
            con.execute(queries.sql("year_freeze", name), params)
        n = con.execute(queries.sql("year_freeze", "count_targets"), {"id": fid}).fetchone()[0]
        audit.record(con, user.username, "anno_chiuso_validazione", str(anno), ente=user.ente,
                     dopo={"congelamento": fid, "target": n}, motivo=nota, quando=when)
    return fid


def latest(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> dict | None:
    cur = con.execute(queries.sql("year_freeze", "latest"), {"ente": ente, "anno": anno})
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


def _id(con, ente: str, anno: int) -> int:
    fz = latest(con, ente, anno)
    if fz is None:
        raise FreezeRefused(f"Il {anno} non è ancora stato chiuso per la validazione.")
    return fz["id"]


def frozen_targets(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> pd.DataFrame:
    """The targets as frozen (area → objective → target), with explanation, evidence names and verdict."""
    return con.execute(queries.sql("year_freeze", "frozen_targets"), {"id": _id(con, ente, anno), "ente": ente,
                                                                        "anno": anno}).df()


def frozen_levels(con, ente: str, anno: int) -> pd.DataFrame:
    return con.execute(queries.sql("year_freeze", "frozen_levels"), {"id": _id(con, ente, anno)}).df()


def frozen_evidence(con, ente: str, anno: int, target: str | None = None) -> pd.DataFrame:
    df = con.execute(queries.sql("year_freeze", "frozen_evidence"), {"id": _id(con, ente, anno)}).df()
    return df if target is None else df[df["target"] == target].reset_index(drop=True)


def compare(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> pd.DataFrame:
    """Each target's frozen figure next to its figure now; `modificato` when a value was corrected after
    the freeze or the figure moved (shown as "modificato dopo la validazione")."""
    return con.execute(queries.sql("year_freeze", "compare"), {"id": _id(con, ente, anno), "ente": ente,
                                                                 "anno": anno}).df()
