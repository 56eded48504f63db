"""Accounts: creating them, finding them, checking their passwords (roles and rules: roles.py).

Passwords are hashed with Argon2id (argon2-cffi): memory-hard, salted, and
the library's defaults follow the RFC 9106 recommendations.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cache

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

import queries
from dashboard.core import audit, body_access, db
from dashboard.core.errors import NotAllowed, Refused
from dashboard.core.roles import ROLES, User, require
from queries import plan as plan_queries

_hasher = PasswordHasher()
_USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,40}$")
MIN_PASSWORD = 8  # characters: the one strength rule, for a new account, a change and a reset alike


class UserError(Refused):
    """Refused user operation; the message is Italian."""


def add_user(con: duckdb.DuckDBPyConnection, username: str, ruolo: str, ente: str,
             uffici: list[str] | None = None, password: str | None = None, *, actor: "User | None" = None,
             actor_name: str = "cli", email: str | None = None, enti: list[str] | None = None) -> User:
    """Create an account of body `ente` that also belongs to `enti` (issue 16: the national role reads them;
    the other roles act in each). From the app `actor` is the planning officer doing it (checked, also on each
    of `enti`); from the command line there is no actor: whoever can run it holds the database file."""
    enti = [e for e in dict.fromkeys(enti or []) if e != ente]
    if actor is not None:
        require(actor, "gestire_utenti", ente=ente)
        for other in enti:
            body_access.require_write(con, actor, other)
        actor_name = actor.username
    if not _USERNAME_RE.match(username or ""):
        raise UserError("Nome utente non valido: 3-40 caratteri tra lettere minuscole, cifre, punto, trattino.")
    if ruolo not in ROLES:
        raise UserError(f"Ruolo «{ruolo}» sconosciuto: usare uno tra {', '.join(ROLES)}.")
    uffici = uffici or []
    if ruolo in ("staff", "responsabile") and not uffici:
        raise UserError(f"Un utente con ruolo {ruolo} deve avere almeno un ufficio (--office).")
    if password is not None:
        check_new_password(password)
    if get_user(con, username) is not None:
        raise UserError(f"L'utente «{username}» esiste già.")
    for ufficio in uffici:
        if not plan_queries.office_exists(con, ente, ufficio):
            raise UserError(f"Ufficio «{ufficio}» sconosciuto per l'ente {ente}.")
    known = plan_queries.ente_codes(con)
    for other in enti:
        if other not in known:
            raise UserError(f"Ente «{other}» sconosciuto.")
    with db.transaction(con):
        con.execute(queries.sql("users", "insert"), {
            "username": username, "ente": ente, "ruolo": ruolo, "email": email,
            "password_hash": hash_password(password) if password else None, "creato_il": dt.datetime.now()})
        for ufficio in uffici:
            con.execute(queries.sql("users", "insert_office"), {"username": username, "ente": ente, "ufficio": ufficio})
        for body in [ente, *enti]:
            con.execute(queries.sql("users", "insert_body"), {"username": username, "ente": body})
        audit.record(con, actor_name, "utente_creato", username, ente=ente,
                     dopo={"ruolo": ruolo, "uffici": uffici, "email": email, "enti": [ente, *enti]})
    return User(username, ente, ruolo, tuple(uffici), sola_lettura=ruolo in body_access.READ_ONLY_ROLES)


def check_new_password(password: str | None) -> None:
    """The rules a new password meets, wherever it is set (account creation, own change, administrator's reset)."""
    if password is None or len(password) < MIN_PASSWORD:
        raise UserError(f"La password deve avere almeno {MIN_PASSWORD} caratteri.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def is_active(con: duckdb.DuckDBPyConnection, username: str) -> bool:
    """Whether the account may log in: not disabled (core/accounts.py keeps the record in utenti_stati)."""
    return bool(con.execute(queries.sql("users", "active"), {"username": username}).fetchone()[0])


def get_user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    row = con.execute(queries.sql("users", "get"), {"username": username}).fetchone()
    if row is None:
        return None
    uffici = [r[0] for r in con.execute(queries.sql("users", "offices_of"), {"username": username, "ente": row[1]}).fetchall()]
    return User(row[0], row[1], row[2], tuple(uffici), sola_lettura=row[2] in body_access.READ_ONLY_ROLES)


def verify_password(con: duckdb.DuckDBPyConnection, username: str | None, password: str) -> bool:
    """Exactly one Argon2 verification whatever the case (against a dummy hash for an unknown or no name),
    so the time taken does not say whether the account exists."""
    row = con.execute(queries.sql("users", "get"), {"username": username}).fetchone() if username else None
    try:
        if row is None or not row[3]:
            _hasher.verify(_dummy_hash(), password or "")
            return False
        return _hasher.verify(row[3], password or "")
    except (VerifyMismatchError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash("nessun-utente")


def by_email(con: duckdb.DuckDBPyConnection, email: str) -> User | None:
    row = con.execute(queries.sql("users", "by_email"), {"email": (email or "").strip().lower()}).fetchone()
    return get_user(con, row[0]) if row else None


def require_user(con: duckdb.DuckDBPyConnection, username: str) -> User:
    user = get_user(con, username)
    if user is None:
        raise NotAllowed(f"Utente «{username}» sconosciuto.")
    return user


def acting(con: duckdb.DuckDBPyConnection, who: "str | User", ente: str | None = None, *,
           write: bool = True) -> User:
    """The account `who` (a name, or a User already acting in a body) acting in `ente` (default: the body it
    acts in, its own for a name), checked by body_access: writing needs a body it writes."""
    user = require_user(con, who) if isinstance(who, str) else who
    return body_access.as_body(con, user, ente or user.ente, write=write)


def list_users(con: duckdb.DuckDBPyConnection, ente: str):
    return con.execute(queries.sql("users", "list"), {"ente": ente}).df()
