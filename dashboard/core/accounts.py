"""An account's life after its creation: the user changes its own password; the planning office of the account's
own body sets a new one, disables the account or enables it again. Each ends the account's sessions
(core/sessions.py) in the same transaction as the change and its audit row: a changed password or a disabled
account logs every other tab and browser out at its next click.

Who administers an account is the planning office (roles.RULES "gestire_utenti") of the account's own body
(utenti.ente): disabling acts on every body the account belongs to, so a body that only shares it does not.
An account outside the actor's bodies is refused in the same words as one that does not exist. From the
command line without `--user` whoever holds the database file acts, as "cli" (as `user add`).
Disabling deletes nothing: utenti_stati keeps each change with who, when and why.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import queries
from dashboard.core import audit, auth, body_access, db, sessions, users
from dashboard.core.errors import Refused
from dashboard.core.roles import User, require


def change_password(con: duckdb.DuckDBPyConnection, user: User, current: str, new: str, repeated: str, *,
                    session_id: int | None = None, source: str | None = None, now: dt.datetime | None = None) -> int:
    """The logged-in `user` changes its own password: the current one is checked (a wrong one counts as a failed
    login, auth.verify_current), the new one meets users.check_new_password, typed twice alike and different
    from the current one. Every other session of the account ends; `session_id` (the one in use) stays.
    Audited `password_cambiata`. How many sessions were ended."""
    now = now or dt.datetime.now()
    account = users.get_user(con, user.username) if user is not None else None
    if account is None or not users.is_active(con, account.username):
        raise Refused("Accesso richiesto.")
    users.check_new_password(new)
    if new != repeated:
        raise users.UserError("Le due nuove password non coincidono: la password non è stata cambiata.")
    if new == current:
        raise users.UserError("La nuova password deve essere diversa da quella attuale.")
    auth.verify_current(con, account, current, source, now)
    with db.transaction(con):
        con.execute(queries.sql("accounts", "set_password"),
                    {"username": account.username, "password_hash": users.hash_password(new)})
        ended = sessions.end_user_sessions(con, account.username, "password cambiata", now, keep=session_id)
        audit.record(con, account.username, "password_cambiata", account.username, ente=account.ente,
                     dopo={"sessioni_chiuse": ended}, quando=now)
    return ended


def reset_password(con: duckdb.DuckDBPyConnection, username: str, new: str, reason: str, *,
                   repeated: str | None = None, actor: User | None = None, now: dt.datetime | None = None) -> int:
    """The administrator sets a new password for the account (forgotten, compromised): every session of the
    account ends. Not for one's own account, which needs the current password (change_password). `repeated`:
    the new password typed a second time (the page's form). Audited `password_reimpostata` with the reason.
    How many sessions were ended."""
    now = now or dt.datetime.now()
    ente, who = _administered(con, username, actor, reason)
    if actor is not None and actor.username == username:
        raise Refused("La propria password si cambia dalla pagina «Il mio account», con la password attuale.")
    users.check_new_password(new)
    if repeated is not None and new != repeated:
        raise users.UserError("Le due password non coincidono: la password non è stata reimpostata.")
    with db.transaction(con):
        con.execute(queries.sql("accounts", "set_password"),
                    {"username": username, "password_hash": users.hash_password(new)})
        ended = sessions.end_user_sessions(con, username, "password reimpostata dall'amministratore", now)
        audit.record(con, who, "password_reimpostata", username, ente=ente, dopo={"sessioni_chiuse": ended},
                     motivo=reason.strip(), quando=now)
    return ended


def disable(con: duckdb.DuckDBPyConnection, username: str, reason: str, *, actor: User | None = None,
            now: dt.datetime | None = None) -> int:
    """The account may no longer log in and every session of it ends at once. Not one's own. Audited
    `utente_disattivato` with the reason. How many sessions were ended."""
    now = now or dt.datetime.now()
    ente, who = _administered(con, username, actor, reason)
    if actor is not None and actor.username == username:
        raise Refused("Non è possibile disattivare il proprio account.")
    if not users.is_active(con, username):
        raise Refused(f"L'account «{username}» è già disattivato.")
    with db.transaction(con):
        _set_state(con, username, False, who, reason, now)
        ended = sessions.end_user_sessions(con, username, "account disattivato", now)
        audit.record(con, who, "utente_disattivato", username, ente=ente, prima={"attivo": True},
                     dopo={"attivo": False, "sessioni_chiuse": ended}, motivo=reason.strip(), quando=now)
    return ended


def enable(con: duckdb.DuckDBPyConnection, username: str, reason: str, *, actor: User | None = None,
           now: dt.datetime | None = None) -> None:
    """A disabled account may log in again (with its password as it was, or one reset meanwhile). Audited
    `utente_riattivato` with the reason."""
    now = now or dt.datetime.now()
    ente, who = _administered(con, username, actor, reason)
    if users.is_active(con, username):
        raise Refused(f"L'account «{username}» è già attivo.")
    with db.transaction(con):
        _set_state(con, username, True, who, reason, now)
        audit.record(con, who, "utente_riattivato", username, ente=ente, prima={"attivo": False},
                     dopo={"attivo": True}, motivo=reason.strip(), quando=now)


def history(con: duckdb.DuckDBPyConnection, username: str) -> pd.DataFrame:
    """When the account was disabled and enabled again, by whom and why, newest first."""
    return con.execute(queries.sql("accounts", "history"), {"username": username}).df()


def administrable(con: duckdb.DuckDBPyConnection, actor: User) -> list[str]:
    """The accounts `actor` may disable, enable and give a new password: those of the bodies it writes."""
    require(actor, "gestire_utenti")
    mine = body_access.writable_bodies(con, actor)
    return [r[0] for r in con.execute(queries.sql("accounts", "administrable"), {"enti": mine}).fetchall()]


def _administered(con, username: str, actor: User | None, reason: str | None) -> tuple[str, str]:
    """(the account's own body, who acts) once the actor may administer it; the reason is required."""
    if actor is not None:
        require(actor, "gestire_utenti")
    row = con.execute(queries.sql("accounts", "primary_of"), {"username": username}).fetchone()
    if row is None or (actor is not None and row[0] not in body_access.writable_bodies(con, actor)):
        # An account of a body the actor does not administer: the same words as for no account at all.
        raise Refused(f"Utente «{username}» sconosciuto.")
    if not (reason or "").strip():
        raise Refused("Indicare il motivo: resta nel registro attività.")
    return row[0], actor.username if actor is not None else "cli"


def _set_state(con, username: str, active: bool, who: str, reason: str, now: dt.datetime) -> None:
    con.execute(queries.sql("accounts", "set_state"), {"username": username, "quando": now, "attivo": active,
                                                       "da": who, "motivo": reason.strip()})
