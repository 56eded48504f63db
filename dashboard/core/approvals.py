"""Approval by the office head: a value entered by staff is provisional until its office's head (role
responsabile) or the planning office approves it, or returns it with a reason (staff then correct it: a
new version, provisional again).

Decisions are append-only rows of `approvazioni` on one version; the view `misure_stato` gives each
version its state. Values entered by the planning office, the seed's, the demo's and those from before
approval existed never wait (misure.da_approvare is false). The status engine counts the latest version
either way and flags figures resting on an unapproved value (`provvisorio`); the year cannot be closed
for validation while any value of it is unapproved (year_freeze.py).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import queries
from dashboard.core import audit, db, formats, measurements
from dashboard.core.errors import Refused
from dashboard.core.roles import User, require


class ApprovalRefused(Refused):
    """A decision refused; the message is Italian."""


def needs_approval(user: User) -> bool:
    """Values entered by staff wait for their office head; the planning office's do not."""
    return user.ruolo == "staff"


def state(con: duckdb.DuckDBPyConnection, ente: str, indicatore: str, anno: int, trimestre: int) -> dict | None:
    """The version in force of one quarterly value with its approval state, or None without a value."""
    cur = con.execute(queries.sql("approvals", "state"),
                      {"ente": ente, "indicatore": indicatore, "anno": anno, "trimestre": trimestre})
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


def pending(con: duckdb.DuckDBPyConnection, user: User, anno: int | None = None) -> pd.DataFrame:
    """The values in force not yet approved (or returned) that `user` decides on or must correct: their
    offices' for staff and heads, every office's for planning, OIV and Segretario (who read)."""
    require(user, "vedere_approvazioni")
    df = con.execute(queries.sql("approvals", "pending"), {"ente": user.ente, "anno": anno}).df()
    if user.ruolo in ("staff", "responsabile"):
        df = df[df["ufficio"].isin(user.uffici)].reset_index(drop=True)
    return df


def provisional_count(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> int:
    return con.execute(queries.sql("approvals", "provisional_count"), {"ente": ente, "anno": anno}).fetchone()[0]


def history(con: duckdb.DuckDBPyConnection, ente: str, indicatore: str) -> pd.DataFrame:
    """Every version of an indicator's quarterly values with every decision on it (the OIV sees both)."""
    return con.execute(queries.sql("approvals", "history"), {"ente": ente, "indicatore": indicatore}).df()


def approve(con, user: User, indicatore: str, anno: int, trimestre: int, versione: int | None = None,
            when: dt.datetime | None = None) -> int:
    """Approve the version in force (`versione`, when given, must be it: a page shows one version and a
    correction may have arrived since). Returns the version approved."""
    return _decide(con, user, indicatore, anno, trimestre, "approvato", None, versione, when)


def return_value(con, user: User, indicatore: str, anno: int, trimestre: int, motivo: str,
                 versione: int | None = None, when: dt.datetime | None = None) -> int:
    """Return the version in force to its office with the mandatory reason; staff correct it."""
    return _decide(con, user, indicatore, anno, trimestre, "restituito", motivo, versione, when)


def _decide(con, user, indicatore, anno, trimestre, esito, motivo, versione, when) -> int:
    ind = measurements.indicators(con, user.ente).get(indicatore)
    if ind is None:
        raise ApprovalRefused(f"Indicatore «{indicatore}» sconosciuto per l'ente {user.ente}.")
    require(user, "approvare_misure", ente=user.ente, ufficio=ind.ufficio)
    motivo = formats.clean_text(motivo or "").strip() or None
    if esito == "restituito" and not motivo:
        raise ApprovalRefused("Per restituire un valore il motivo è obbligatorio.")
    period = formats.fmt_period(anno, trimestre)
    with db.transaction(con, lock=True):
        cur = state(con, user.ente, indicatore, anno, trimestre)
        if cur is None:
            raise ApprovalRefused(f"{indicatore} non ha un valore per il {period}.")
        if versione is not None and versione != cur["versione"]:
            raise ApprovalRefused(f"{indicatore}, {period}: la versione {versione} non è più in vigore "
                                  f"(ora è la {cur['versione']}): ricaricare la pagina.")
        if cur["stato_approvazione"] == "approvato":
            raise ApprovalRefused(f"{indicatore}, {period}: il valore in vigore è già approvato.")
        if cur["stato_approvazione"] == "restituito" and esito == "restituito":
            raise ApprovalRefused(f"{indicatore}, {period}: il valore è già stato restituito; si attende la correzione.")
        when = when or dt.datetime.now()
        con.execute(queries.sql("approvals", "insert"), {
            "ente": user.ente, "indicatore": indicatore, "anno": anno, "trimestre": trimestre,
            "versione": cur["versione"], "esito": esito, "motivo": motivo, "utente": user.username, "quando": when})
        audit.record(con, user.username, "misura_approvata" if esito == "approvato" else "misura_restituita",
                     f"{indicatore} {formats.period_code(anno, trimestre)}", ente=user.ente,
                     dopo={"versione": cur["versione"], "valore": cur["valore"], "esito": esito},
                     motivo=motivo, quando=when)
    return cur["versione"]
