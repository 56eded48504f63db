"""Correcting one measured value: a new version with the mandatory reason; the old one stays.

The same rules as an import (role, office, closed quarter, the indicator's rule and scale), for the
pages and the command line alike.
"""
from __future__ import annotations

import datetime as dt

import duckdb

from dashboard.core import approvals, audit, db, formats, measurements, periods, users
from dashboard.core.errors import Refused
from dashboard.core.roles import User, require


class CorrectionRefused(Refused):
    """A correction refused; the message is Italian."""


def correct_value(con: duckdb.DuckDBPyConnection, username: "str | User", indicatore: str, anno: int, trimestre: int,
                  motivo: str, valore=None, numeratore=None, denominatore=None,
                  when: dt.datetime | None = None, today: dt.date | None = None) -> measurements.Change:
    """Correct one quarterly value in place: a new version with the mandatory reason; the old one stays."""
    user = users.acting(con, username)  # a name, or a User acting in a body: checked again (body_access)
    inds = measurements.indicators(con, user.ente)
    ind = inds.get(indicatore)
    if ind is None:
        raise CorrectionRefused(f"Indicatore «{indicatore}» sconosciuto per l'ente {user.ente}.")
    require(user, "inserire_misure", ufficio=ind.ufficio)
    motivo = formats.clean_text(motivo)
    if not (motivo or "").strip():
        raise CorrectionRefused("Il motivo della correzione è obbligatorio.")
    if (anno, trimestre) in periods.closed_quarters(con, user.ente):
        raise CorrectionRefused(f"Il {formats.fmt_period(anno, trimestre)} è chiuso: chiederne la riapertura a "
                                f"Programmazione e controllo.")
    if problem := periods.upload_problem(indicatore, anno, trimestre,
                                         periods.needed_indicators(con, user.ente, anno), today):
        raise CorrectionRefused(problem[0].upper() + problem[1:] + ".")
    try:
        v, n, d = (formats.parse_number(x) for x in (valore, numeratore, denominatore))
    except formats.FormatError as exc:
        raise CorrectionRefused(str(exc)) from exc
    value, n, d, problems = measurements.check_numbers(ind, v, n, d)
    if problems:
        raise CorrectionRefused("; ".join(f"«{c}»: {m}" for c, m in problems))
    with db.write_lock:
        current = measurements.current_versions(con, user.ente)
        if (indicatore, anno, trimestre) not in current:
            raise CorrectionRefused(f"{indicatore} non ha ancora un valore per il {formats.fmt_period(anno, trimestre)}: "
                                    f"inserirlo con il modello.")
        new = measurements.NewValue(indicatore, anno, trimestre, value, n, d, motivo.strip(), "correzione puntuale")
        change = measurements.plan_changes(current, [new])[0]
        if change.azione == "invariato":
            raise CorrectionRefused("Il valore è uguale a quello in vigore: nessuna correzione da registrare.")
        when = when or dt.datetime.now()
        with db.transaction(con):
            measurements.write(con, user.ente, [new], [change], user.username, when,
                               da_approvare=approvals.needs_approval(user))
            audit.record_many(con, measurements.change_entries(user, [new], [change], when))
    return change
