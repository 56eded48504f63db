"""Logins that outlive a page reload: a session token held by the browser in an HttpOnly cookie.

A Streamlit session lives as long as the browser tab's connection; a reload opens a new one. So at login `begin`
records a session with a one-time code (valid CODE_SECONDS, single use); the page hands the code to
the browser, which POSTs it to the server (web/server.py); `redeem` exchanges it for a random token that
goes back only as an HttpOnly cookie, so no script ever reads it. A new Streamlit session finds the cookie
and `resume`s. Only SHA-256 hashes of code and token are stored: a copy of the database opens no session.
A session ends after auth.IDLE_MINUTES without activity (the app's own idle timeout), MAX_HOURS after the
login whatever happens, or when revoked (logout; `revoke_user` for an account whose password changed or that was
disabled, core/accounts.py).
Who the user is — role, body, offices — is read again from `utenti` at every restore, never from the cookie.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import duckdb

import queries
from dashboard.core import auth, db

MAX_HOURS = 12       # absolute lifetime of a login
CODE_SECONDS = 60    # the one-time code must be exchanged within this
TOUCH_SECONDS = 60   # activity is written at most once a minute per session (a write per click is not needed)
PURGE_DAYS = 7       # ended sessions kept this long (when they ended can be looked at), then dropped
MAX_SECRET = 100     # longer than any code or token we issue (43 characters): refused unread


@dataclass(frozen=True)
class Opened:
    id: int
    code: str  # the one-time code, in clear only here, to hand to the browser


@dataclass(frozen=True)
class Resumed:
    id: int
    username: str
    ente: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _run(con: duckdb.DuckDBPyConnection, name: str, **values):
    query = queries.query("sessions", name)
    return con.execute(query.sql, query.bind(values))


def _idle_since(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=auth.IDLE_MINUTES)


def _usable(secret: str | None) -> bool:
    return isinstance(secret, str) and 0 < len(secret) <= MAX_SECRET


def begin(con: duckdb.DuckDBPyConnection, username: str, ente: str, now: dt.datetime | None = None) -> Opened:
    """A new session for a user who has just logged in; its one-time code (only its hash is stored)."""
    now = now or dt.datetime.now()
    code = secrets.token_urlsafe(32)
    with db.transaction(con):
        _run(con, "purge", prima=now - dt.timedelta(days=PURGE_DAYS))
        session_id = db.next_id(con, "seq_sessioni")
        _run(con, "open", id=session_id, username=username, ente=ente, hash_codice=digest(code),
             codice_scade=now + dt.timedelta(seconds=CODE_SECONDS), adesso=now,
             scade=now + dt.timedelta(hours=MAX_HOURS))
    return Opened(session_id, code)


def redeem(con: duckdb.DuckDBPyConnection, code: str | None, now: dt.datetime | None = None) -> str | None:
    """The session token for a one-time code, once; None for a code unknown, used, expired or of a session
    already ended. The token is returned in clear only here, to be put in the cookie."""
    if not _usable(code):
        return None
    now = now or dt.datetime.now()
    token = secrets.token_urlsafe(32)
    try:
        with db.transaction(con):
            _run(con, "redeem", hash_token=digest(token), hash_codice=digest(code), adesso=now,
                 inattivo_da=_idle_since(now))
            row = _run(con, "redeemed", hash_token=digest(token)).fetchone()
    except duckdb.TransactionException:  # the same code redeemed at the same moment by another request
        return None
    except duckdb.Error as exc:  # the same, refused by PostgreSQL (a serialization failure)
        if not db.is_conflict(exc):
            raise
        return None
    return token if row else None


def pending(con: duckdb.DuckDBPyConnection, session_id: int, now: dt.datetime | None = None) -> bool:
    """Whether the session's code still waits to be exchanged (the page keeps offering it until then)."""
    return bool(_run(con, "pending", id=session_id, adesso=now or dt.datetime.now()).fetchone()[0])


def resume(con: duckdb.DuckDBPyConnection, token: str | None, now: dt.datetime | None = None) -> Resumed | None:
    """The live session holding this token (its idle period starts again), or None: unknown, forged,
    revoked, idle too long or past its absolute end all look the same."""
    if not _usable(token):
        return None
    now = now or dt.datetime.now()
    row = _run(con, "by_token", hash_token=digest(token), adesso=now, inattivo_da=_idle_since(now)).fetchone()
    if row is None:
        return None
    _touch(con, row[0], row[3], now)
    return Resumed(row[0], row[1], row[2])


def touch(con: duckdb.DuckDBPyConnection, session_id: int, now: dt.datetime | None = None) -> bool:
    """Activity in a session: False if it has ended meanwhile (revoked elsewhere, idle, past its end)."""
    now = now or dt.datetime.now()
    # The stored activity may lag the tab's own by up to TOUCH_SECONDS: allowed for, so the tab's idle
    # timeout (web/session.py) is the one that ends it, at the same minute as before.
    since = _idle_since(now) - dt.timedelta(seconds=TOUCH_SECONDS)
    row = _run(con, "live", id=session_id, adesso=now, inattivo_da=since).fetchone()
    if row is None:
        return False
    _touch(con, session_id, row[0], now)
    return True


def _touch(con, session_id: int, last_seen: dt.datetime, now: dt.datetime) -> None:
    if now - last_seen < dt.timedelta(seconds=TOUCH_SECONDS):
        return
    try:
        _run(con, "touch", id=session_id, adesso=now)
    except duckdb.TransactionException:  # two tabs of the same session at once: the other one wrote it
        pass


def revoke(con: duckdb.DuckDBPyConnection, session_id: int, reason: str, now: dt.datetime | None = None) -> None:
    _run(con, "revoke", id=session_id, motivo=reason, adesso=now or dt.datetime.now())


def revoke_token(con: duckdb.DuckDBPyConnection, token: str | None, reason: str,
                 now: dt.datetime | None = None) -> str | None:
    """End the session holding this token; its user name, or None if there was no live one."""
    if not _usable(token):
        return None
    with db.transaction(con):
        row = _run(con, "live_token_user", hash_token=digest(token)).fetchone()
        _run(con, "revoke_token", hash_token=digest(token), motivo=reason, adesso=now or dt.datetime.now())
    return row[0] if row else None


def revoke_user(con: duckdb.DuckDBPyConnection, username: str, reason: str, now: dt.datetime | None = None, *,
                keep: int | None = None) -> int:
    """End every live session of an account (a password changed, an account disabled) but `keep`; how many."""
    with db.transaction(con):
        return end_user_sessions(con, username, reason, now, keep=keep)


def end_user_sessions(con: duckdb.DuckDBPyConnection, username: str, reason: str, now: dt.datetime | None = None, *,
                      keep: int | None = None) -> int:
    """revoke_user inside the caller's transaction (core/accounts.py: the password, the sessions and the audit
    row land together). `keep`: the session the user is changing its password from, which stays."""
    n = _run(con, "live_of_user", username=username, tenere=keep).fetchone()[0]
    _run(con, "revoke_user", username=username, motivo=reason, adesso=now or dt.datetime.now(), tenere=keep)
    return n
