"""Logging in with a local account: Argon2id password check, lock-out after repeated failures.

Failures and lock-outs go to the audit trail. The lock-out counter lives on the
account (login metadata, not evidence), so it is the one thing updated in place.
"""
from __future__ import annotations

import datetime as dt

import duckdb

import queries
from dashboard.core import audit, users
from dashboard.core.errors import Refused
from dashboard.core.roles import User

MAX_FAILURES = 5
LOCK_MINUTES = 15
IDLE_MINUTES = 30  # a session ends after this long without activity


class LoginError(Refused):
    """Refused login; the message is Italian and does not say whether the user exists."""


def login(con: duckdb.DuckDBPyConnection, username: str, password: str, now: dt.datetime | None = None) -> User:
    now = now or dt.datetime.now()
    username = (username or "").strip().lower()
    state = con.execute(queries.sql("auth", "login_state"), {"username": username}).fetchone()
    if state is not None and state[1] is not None and state[1] > now:
        audit.record(con, username, "accesso_fallito", username, motivo="account bloccato", quando=now)
        raise LoginError(f"Account bloccato per troppi tentativi falliti: riprovare dopo le {state[1]:%H:%M}.")
    if not users.verify_password(con, username, password):
        if state is not None:
            fino = now + dt.timedelta(minutes=LOCK_MINUTES)
            con.execute(queries.sql("auth", "record_failure"), {"username": username, "limite": MAX_FAILURES, "fino": fino})
            failures = state[0] + 1
            audit.record(con, username, "accesso_fallito", username, motivo=f"password errata ({failures}° tentativo)",
                         quando=now)
            if failures >= MAX_FAILURES:
                audit.record(con, username, "account_bloccato", username, dopo={"bloccato_fino": fino}, quando=now)
                raise LoginError(f"Account bloccato per troppi tentativi falliti: riprovare dopo le {fino:%H:%M}.")
        else:
            audit.record(con, username or "(vuoto)", "accesso_fallito", username, motivo="utente sconosciuto", quando=now)
        raise LoginError("Nome utente o password non validi.")
    con.execute(queries.sql("auth", "reset_failures"), {"username": username})
    user = users.get_user(con, username)
    audit.record(con, username, "accesso", username, ente=user.ente, quando=now)
    return user


def expired(last_seen: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now()
    return last_seen is not None and now - last_seen > dt.timedelta(minutes=IDLE_MINUTES)
