"""The body's reading of the ITP rule on disputed invoices (DPCM 22/9/2014 art. 9 c. 5).

The days in which a disputed sum was not due are left out; the rule admits two readings of when it is due
again: from the dispute's end (`fine_contestazione`) or from its end plus the invoice's payment term
(`fine_piu_termine`). Each body states its reading; the figures computed (queries/sql/records_macros.sql,
fatture_itp) follow it, and `metrics --kind itp` prints which one applied.
"""
from __future__ import annotations

import datetime as dt

import duckdb

import queries
from dashboard.core import audit, db
from dashboard.core.errors import Refused
from dashboard.core.roles import User, require

READINGS = {
    "fine_contestazione": "la scadenza riparte dalla fine della contestazione",
    "fine_piu_termine": "la scadenza riparte dalla fine della contestazione più il termine di pagamento della fattura",
}


def reading(con: duckdb.DuckDBPyConnection, ente: str) -> str:
    return con.execute(queries.sql("itp_rules", "get"), {"ente": ente}).fetchone()[0]


def set_reading(con: duckdb.DuckDBPyConnection, user: User, ente: str, regola: str) -> None:
    """Choose the body's reading (planning office); audited with the one before."""
    require(user, "modificare_piano", ente)
    if regola not in READINGS:
        raise Refused(f"Regola «{regola}» sconosciuta: {', '.join(READINGS)}.")
    with db.transaction(con, lock=True):
        prima = reading(con, ente)
        when = dt.datetime.now()
        con.execute(queries.sql("itp_rules", "set"),
                    {"ente": ente, "regola": regola, "utente": user.username, "quando": when})
        audit.record(con, user.username, "regola_itp", f"ITP {ente}: fatture contestate", ente=ente,
                     prima={"regola": prima}, dopo={"regola": regola}, quando=when)
