"""Logging in with a local account: Argon2id password check, lock-out after repeated failures.

Every refusal says the same thing and costs the same (one Argon2 verification, against a dummy hash when the
name is unknown or the account locked), so a name cannot be tested for existence by the answer or the time.
Failures are counted per account *and source* (the client's address, see web/client.py): five from one
source lock that account from that source only, so an attacker cannot lock the Segretario out from
elsewhere; twenty from one source, on any names, stop that source. Failures, locks and logins — including
those through single sign-on or a trusted proxy's header — go to the audit trail; a typed unknown name is
stored cut to MAX_NAME characters.
"""
from __future__ import annotations

import datetime as dt

import duckdb

import queries
from dashboard.core import audit, db, formats, users
from dashboard.core.errors import Refused
from dashboard.core.roles import User

MAX_FAILURES = 5          # per account and source
MAX_SOURCE_FAILURES = 20  # per source, whatever the names
LOCK_MINUTES = 15
IDLE_MINUTES = 30  # a session ends after this long without activity
MAX_NAME = 64      # characters of a typed name kept in the audit trail
ANY = "*"          # the source as a whole, in tentativi_accesso
# The one answer to every refused login; a disabled account gets it too (the page tells nobody more than this).
REFUSED = ("Accesso non riuscito: nome utente o password non validi, account disattivato, oppure troppi tentativi "
           f"falliti (in tal caso riprovare tra {LOCK_MINUTES} minuti).")
# Changing one's own password (core/accounts.py): the user is logged in, so the answer may be plain.
WRONG_CURRENT = "La password attuale non è corretta: la password non è stata cambiata."
LOCKED_CURRENT = (f"Troppi tentativi falliti da questa origine: riprovare tra {LOCK_MINUTES} minuti. "
                  "La password non è stata cambiata.")


class LoginError(Refused):
    """Refused login; the message is Italian and the same whatever the reason."""


def bounded(text: str | None, limit: int = MAX_NAME) -> str:
    """What is stored of a typed text: control characters dropped, cut to `limit` characters."""
    text = formats.clean_text(text or "").replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def login(con: duckdb.DuckDBPyConnection, username: str, password: str, now: dt.datetime | None = None,
          source: str | None = None) -> User:
    now = now or dt.datetime.now()
    source = bounded(source or "sconosciuta")
    name = (username or "").strip().lower()
    user = users.get_user(con, name) if len(name) <= 200 else None  # no account has a longer name
    shown = user.username if user else bounded(name) or "(vuoto)"
    locked = con.execute(queries.sql("auth", "lock_until"),
                         {"username": shown if user else ANY, "origine": source, "adesso": now}).fetchone()[0]
    # One verification whatever happens next: the answer's time says nothing about the name or the lock.
    right = users.verify_password(con, user.username if user and not locked else None, password)
    # A disabled account is refused like a wrong password (counted, audited with its reason), same answer.
    disabled = user is not None and not users.is_active(con, user.username)
    if right and not locked and not disabled:
        con.execute(queries.sql("auth", "reset_failures"), {"username": user.username, "origine": source})
        audit.record(con, user.username, "accesso", user.username, ente=user.ente, dopo={"origine": source}, quando=now)
        return user
    if locked:
        # Refused by a lock already audited when it began: not counted, not audited again (bounded writes).
        raise LoginError(REFUSED)
    fino = now + dt.timedelta(minutes=LOCK_MINUTES)
    if user is not None:
        failures, until = _fail(con, user.username, source, MAX_FAILURES, fino, now)
        why = "account disattivato" if right else "password errata"
        audit.record(con, user.username, "accesso_fallito", user.username, ente=user.ente, dopo={"origine": source},
                     motivo=f"{why} ({failures}° tentativo da questa origine)", quando=now)
        if until is not None:
            audit.record(con, user.username, "account_bloccato", user.username, ente=user.ente,
                         dopo={"bloccato_fino": until, "origine": source}, quando=now)
    else:
        audit.record(con, shown, "accesso_fallito", shown, dopo={"origine": source}, motivo="utente sconosciuto",
                     quando=now)
    failures, until = _fail(con, ANY, source, MAX_SOURCE_FAILURES, fino, now)
    if until is not None:
        audit.record(con, ANY, "origine_bloccata", source, dopo={"bloccato_fino": until, "tentativi": failures},
                     quando=now)
    raise LoginError(REFUSED)


def verify_current(con: duckdb.DuckDBPyConnection, user: User, password: str, source: str | None = None,
                   now: dt.datetime | None = None) -> None:
    """The password of a logged-in user asked again (to change it): a wrong one counts as a failed login of
    that account from that source and locks it as one (so the form cannot be used to guess it); refused
    meanwhile. A right one clears the count, as a login does."""
    now = now or dt.datetime.now()
    source = bounded(source or "sconosciuta")
    locked = con.execute(queries.sql("auth", "lock_until"),
                         {"username": user.username, "origine": source, "adesso": now}).fetchone()[0]
    right = users.verify_password(con, None if locked else user.username, password)
    if locked:
        raise LoginError(LOCKED_CURRENT)
    if right:
        con.execute(queries.sql("auth", "reset_failures"), {"username": user.username, "origine": source})
        return
    fino = now + dt.timedelta(minutes=LOCK_MINUTES)
    failures, until = _fail(con, user.username, source, MAX_FAILURES, fino, now)
    audit.record(con, user.username, "accesso_fallito", user.username, ente=user.ente, dopo={"origine": source},
                 motivo=f"password attuale errata nel cambio password ({failures}° tentativo da questa origine)",
                 quando=now)
    if until is not None:
        audit.record(con, user.username, "account_bloccato", user.username, ente=user.ente,
                     dopo={"bloccato_fino": until, "origine": source}, quando=now)
        raise LoginError(LOCKED_CURRENT)
    raise LoginError(WRONG_CURRENT)


def _fail(con, username: str, source: str, limit: int, fino: dt.datetime, now: dt.datetime):
    """Count one failure: (failures so far, end of the lock if this one began it)."""
    with db.transaction(con):  # the upsert and its result read together (no RETURNING through PostgreSQL)
        con.execute(queries.sql("auth", "record_failure"), {
            "username": username, "origine": source, "limite": limit, "fino": fino, "adesso": now})
        failures, until = con.execute(queries.sql("auth", "failures"),
                                      {"username": username, "origine": source}).fetchone()
    return failures, (until if failures == limit else None)


def platform_login(con: duckdb.DuckDBPyConnection, user: User, via: str, source: str | None = None,
                   now: dt.datetime | None = None) -> None:
    """Audit a login made by the platform (single sign-on, a trusted proxy's header), once per session."""
    audit.record(con, user.username, "accesso", user.username, ente=user.ente,
                 dopo={"origine": bounded(source or "sconosciuta"), "tramite": via}, quando=now)


def expired(last_seen: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now()
    return last_seen is not None and now - last_seen > dt.timedelta(minutes=IDLE_MINUTES)
