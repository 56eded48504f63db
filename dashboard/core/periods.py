"""Measurement periods: the planning office closes a quarter; a closed quarter refuses changes until
it is reopened with a reason. Every change is kept (append-only) and audited."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import queries
from dashboard.core import audit, db, formats
from dashboard.core.errors import Refused
from dashboard.core.roles import User, require


class PeriodError(Refused):
    pass


def states(con: duckdb.DuckDBPyConnection, ente: str) -> pd.DataFrame:
    return con.execute(queries.sql("periods", "state"), {"ente": ente}).df()


def closed_quarters(con: duckdb.DuckDBPyConnection, ente: str) -> set[tuple[int, int]]:
    rows = con.execute(queries.sql("periods", "state"), {"ente": ente}).fetchall()
    return {(int(r[0]), int(r[1])) for r in rows if r[2] == "chiuso"}


def quarter_end(anno: int, trimestre: int) -> dt.date:
    """The last day of a quarter: the day whose plan in force judges it."""
    return dt.date(anno + (trimestre == 4), 1 if trimestre == 4 else trimestre * 3 + 1, 1) - dt.timedelta(days=1)


def closed_quarters_from(con: duckdb.DuckDBPyConnection, ente: str, dal: dt.date) -> list[tuple[int, int]]:
    """The closed quarters that end on or after `dal`: those a plan in force from `dal` would judge anew."""
    return sorted(q for q in closed_quarters(con, ente) if quarter_end(*q) >= dal)


def plan_years(con: duckdb.DuckDBPyConnection, ente: str) -> list[int]:
    """The years the body's plan has targets for, oldest first."""
    return [r[0] for r in con.execute(queries.sql("periods", "plan_years"), {"ente": ente}).fetchall()]


def started_quarters(con: duckdb.DuckDBPyConnection, ente: str, today: dt.date | None = None) -> list[tuple[int, int]]:
    """The quarters of the plan's years that have begun by `today`, newest first (what staff may fill)."""
    today = today or dt.date.today()
    return [(y, q) for y in reversed(plan_years(con, ente)) for q in (4, 3, 2, 1) if dt.date(y, q * 3 - 2, 1) <= today]


def default_year(years: list[int], today: dt.date | None = None) -> int | None:
    """Of the plan's years, the current one if the plan covers it, else the latest one already begun."""
    today = today or dt.date.today()
    begun = [y for y in years if y <= today.year]
    return max(begun) if begun else (min(years) if years else None)


# Offices enter a quarter's values within this many days of its end: the default of each body's own data
# deadline (promemoria_config.giorni_scadenza, also the reminders' deadline; set_deadline_days).
DATA_DEADLINE_DAYS = 20
MAX_DEADLINE_DAYS = 120
# A quarter counts as collected once this share of the indicators due has a value (or it is closed):
# one office's early upload never makes a quarter the default.
COLLECTED_SHARE = 0.5


def data_deadline(anno: int, trimestre: int, days: int = DATA_DEADLINE_DAYS) -> dt.date:
    """The last day for entering a quarter's values."""
    return quarter_end(anno, trimestre) + dt.timedelta(days=days)


def deadline_days(con: duckdb.DuckDBPyConnection, ente: str) -> int:
    """The body's data deadline, in days after a quarter's end (each body its own; default 20)."""
    return int(con.execute(queries.sql("periods", "deadline_days"), {"ente": ente}).fetchone()[0])


def set_deadline_days(con: duckdb.DuckDBPyConnection, user: User, giorni, when: dt.datetime | None = None) -> None:
    """The planning office sets its own body's data deadline (user.ente); audited with before and after."""
    require(user, "gestire_periodi", ente=user.ente)
    try:
        giorni = int(giorni)
    except (TypeError, ValueError):
        raise PeriodError("Il termine per i dati è un numero intero di giorni.") from None
    if not 0 <= giorni <= MAX_DEADLINE_DAYS:
        raise PeriodError(f"Il termine per i dati va da 0 a {MAX_DEADLINE_DAYS} giorni dalla fine del trimestre.")
    prima = deadline_days(con, user.ente)
    with db.transaction(con):
        con.execute(queries.sql("periods", "set_deadline_days"), {"ente": user.ente, "giorni": giorni})
        audit.record(con, user.username, "termine_dati", f"termine dati {user.ente}", ente=user.ente,
                     prima={"giorni": prima}, dopo={"giorni": giorni}, quando=when)


def collection(con: duckdb.DuckDBPyConnection, ente: str) -> pd.DataFrame:
    """Per quarter of the plan's years: indicators due, indicators entered, closed or not."""
    return con.execute(queries.sql("periods", "collection"), {"ente": ente}).df()


def default_period(con: duckdb.DuckDBPyConnection, ente: str, today: dt.date | None = None,
                   days: int | None = None) -> tuple[int, int] | None:
    """The quarter the overview opens on: of the plan's quarters whose data deadline has passed, the latest
    that is collected (closed, or with at least COLLECTED_SHARE of the indicators due entered); if none is,
    the latest of them with any value, else the latest of them (a plan whose years are all past: the last
    quarter of its last year); before the first deadline, the plan's first quarter. Values uploaded early
    for a later quarter by one office never move it. `days`: the data deadline (default: the body's own)."""
    today = today or dt.date.today()
    deadline = deadline_days(con, ente) if days is None else days  # the body's own deadline
    rows = collection(con, ente)
    if rows.empty:
        return None
    quarters = [(int(r.anno), int(r.trimestre), int(r.dovuti), int(r.inseriti), bool(r.chiuso))
                for r in rows.itertuples()]
    due = [q for q in quarters if data_deadline(q[0], q[1], deadline) < today]
    if not due:
        return quarters[0][:2]
    collected = [q for q in due if q[4] or (q[2] and q[3] >= COLLECTED_SHARE * q[2])]
    with_values = [q for q in due if q[3]]
    return (collected or with_values or due)[-1][:2]


def _set(con, user: User, anno: int, trimestre: int, stato: str, motivo: str | None, when: dt.datetime | None) -> None:
    require(user, "gestire_periodi")
    closed = (anno, trimestre) in closed_quarters(con, user.ente)
    label = formats.fmt_period(anno, trimestre)
    if stato == "chiuso" and closed:
        raise PeriodError(f"Il {label} è già chiuso.")
    if stato == "aperto" and not closed:
        raise PeriodError(f"Il {label} non è chiuso.")
    if stato == "aperto" and not (motivo or "").strip():
        raise PeriodError("Per riaprire un trimestre chiuso serve il motivo.")
    when = when or dt.datetime.now()
    with db.transaction(con):
        con.execute(queries.sql("periods", "insert"), {"ente": user.ente, "anno": anno, "trimestre": trimestre,
                                                       "stato": stato, "utente": user.username, "quando": when,
                                                       "motivo": motivo})
        audit.record(con, user.username, "periodo_chiuso" if stato == "chiuso" else "periodo_riaperto",
                     formats.period_code(anno, trimestre), ente=user.ente,
                     prima={"stato": "chiuso" if closed else "aperto"}, dopo={"stato": stato}, motivo=motivo, quando=when)


def close(con, user: User, anno: int, trimestre: int, motivo: str | None = None, when=None) -> None:
    _set(con, user, anno, trimestre, "chiuso", motivo, when)


def reopen(con, user: User, anno: int, trimestre: int, motivo: str, when=None) -> None:
    _set(con, user, anno, trimestre, "aperto", motivo, when)


def ended(anno: int, trimestre: int, today: dt.date | None = None) -> bool:
    """Whether the quarter is over by `today` (its values can be final)."""
    return quarter_end(anno, trimestre) < (today or dt.date.today())


def upload_quarters(con: duckdb.DuckDBPyConnection, ente: str, uffici: list[str] | tuple[str, ...] = (),
                    today: dt.date | None = None) -> list[tuple[int, int]]:
    """The quarters an office may load values for, newest first: those that have ended by `today`, in the
    years in which some target in force is judged by one of `uffici`'s indicators (any office's when
    empty). The first one is the default of Carica misure; the writes refuse the others
    (files/measurement_import.py, core/corrections.py check the same rule)."""
    years = [r[0] for r in con.execute(queries.sql("periods", "office_years"),
                                       {"ente": ente, "uffici": list(uffici)}).fetchall()]
    return [(y, q) for y in reversed(years) for q in (4, 3, 2, 1) if ended(y, q, today)]


def default_upload_quarter(quarters: list[tuple[int, int]], closed: set[tuple[int, int]]) -> tuple[int, int] | None:
    """Of upload_quarters, the latest still open (the one an office fills next), else the latest."""
    return next((p for p in quarters if p not in closed), quarters[0] if quarters else None)


def needed_indicators(con: duckdb.DuckDBPyConnection, ente: str, anno: int) -> set[str]:
    """The indicators measured in `anno` (judging a target in force, or context indicators)."""
    return {r[0] for r in con.execute(queries.sql("periods", "needed_indicators"), {"ente": ente, "anno": anno}).fetchall()}


def upload_problem(indicatore: str, anno: int, trimestre: int, needed: set[str], today: dt.date | None = None) -> str | None:
    """Why a value of `indicatore` for the quarter cannot be written, or None: the quarter has not ended, or
    no target in force that year is measured with it (`needed`: needed_indicators of the year)."""
    if not ended(anno, trimestre, today):
        return (f"il {formats.fmt_period(anno, trimestre)} non è ancora finito: i valori si inseriscono a "
                "trimestre concluso")
    if indicatore not in needed:
        return f"nel {anno} nessun target in vigore è misurato con l'indicatore «{indicatore}»"
    return None
