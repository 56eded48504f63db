"""The audit trail: who did what, when, from what to what, and why. Append-only.

Writers call `record` inside their own transaction, so a write and its audit
row land together or not at all.
"""
from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

import queries
from dashboard.core.labels import ACTION_LABELS
from dashboard.core.roles import User, allowed, require


def _json(value) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def record(con: duckdb.DuckDBPyConnection, utente: str, azione: str, oggetto: str | None = None, *,
           ente: str | None = None, prima=None, dopo=None, motivo: str | None = None,
           quando: dt.datetime | None = None) -> None:
    _known(azione)
    con.execute(queries.sql("audit", "insert"), {
        "ente": ente, "quando": quando or dt.datetime.now(), "utente": utente, "azione": azione,
        "oggetto": oggetto, "prima": _json(prima), "dopo": _json(dopo), "motivo": motivo})


def _known(azione: str) -> None:
    # Every action the trail holds has an Italian label (and a line in the README): a new one is added there first.
    if azione not in ACTION_LABELS:
        raise KeyError(f"azione del registro senza etichetta: {azione}")


def record_many(con: duckdb.DuckDBPyConnection, entries: list[dict]) -> None:
    """Several audit rows in one statement; each entry has the keyword arguments of `record`."""
    if not entries:
        return
    for e in entries:
        _known(e["azione"])
    rows = [{"ente": e.get("ente"), "quando": e.get("quando") or dt.datetime.now(), "utente": e["utente"],
             "azione": e["azione"], "oggetto": e.get("oggetto"), "prima": _json(e.get("prima")),
             "dopo": _json(e.get("dopo")), "motivo": e.get("motivo")} for e in entries]
    con.execute(queries.sql("audit", "insert_many"), {"rows": rows})


def search(con: duckdb.DuckDBPyConnection, ente: str | None = None, utente: str | None = None,
           azione: str | None = None, dal: dt.datetime | None = None, al: dt.datetime | None = None,
           limite: int = 5000, *, senza_ente: bool = False) -> pd.DataFrame:
    """The trail, filtered; with `ente`, that body's rows, and the rows of no body only with `senza_ente`."""
    return con.execute(queries.sql("audit", "search"), {"ente": ente, "utente": utente, "azione": azione,
                                                        "dal": dal, "al": al, "limite": limite,
                                                        "senza_ente": senza_ente}).df()


def sees_unattributed(user: User | None) -> bool:
    """Whether `user` reads the rows of no body (failed logins under an unknown name, sources blocked): they are
    the installation's, not a body's, so only who administers accounts in the body it acts in (and may write
    there) reads them; a Segretario or OIV reads its body's rows only, never that someone elsewhere tried."""
    return allowed(user, "gestire_utenti")


def trail(con: duckdb.DuckDBPyConnection, user: User, utente: str | None = None, azione: str | None = None,
          dal: dt.datetime | None = None, al: dt.datetime | None = None, limite: int = 5000) -> pd.DataFrame:
    """The Registro of the body `user` acts in (body_access.as_body), as that user may read it."""
    require(user, "leggere_registro")
    return search(con, user.ente, utente, azione, dal, al, limite, senza_ente=sees_unattributed(user))


def actions(con) -> list[str]:
    return [r[0] for r in con.execute(queries.sql("audit", "actions")).fetchall()]


def users(con, ente: str, senza_ente: bool = False) -> list[str]:
    """Who appears in the body's trail (another body's users are not named)."""
    return [r[0] for r in con.execute(queries.sql("audit", "users"), {"ente": ente, "senza_ente": senza_ente}).fetchall()]


def first_day(con, ente: str, senza_ente: bool = False) -> dt.date | None:
    return con.execute(queries.sql("audit", "first_day"), {"ente": ente, "senza_ente": senza_ente}).fetchone()[0]
