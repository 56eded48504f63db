"""Which bodies a user may read and write (issue 16): the one place that answers it.

A user belongs to one or more bodies (`utenti_enti`; its own body, `utenti.ente`, always). It reads them and,
read-only, the bodies they succeeded (`successioni`, e.g. Toscana Nord-Ovest reads Lucca, Pisa and
Massa-Carrara). It writes its bodies, unless its role is the national one (`nazionale`), which reads the bodies
assigned to it and writes nothing. Every refusal names only the body asked for, never whether one of its
objects exists, and the same words for a body that exists and one that does not.

Functions acting in a body take a `User` whose `ente` is that body: `as_body` builds it (offices of that
body, `sola_lettura` where the user only reads), after checking. An account's bodies are always read from the
database, whatever `User` object is passed (one built for another body gains nothing); a `User` built by code for
no account (the seed's loader, `init --plan`, benchmarks) acts in its one body.
"""
from __future__ import annotations

import datetime as dt

import duckdb

import queries
from dashboard.core import audit, db
from dashboard.core.errors import NotAllowed, Refused
from dashboard.core.roles import User, require

READ_ONLY_ROLES = ("nazionale",)


def member_bodies(con: duckdb.DuckDBPyConnection, username: str) -> list[str]:
    return [r[0] for r in con.execute(queries.sql("body_access", "member_of"), {"username": username}).fetchall()]


def _own(con, user: User) -> list[str]:
    """The bodies of the user's account; for a User of no account (built by code), its one body."""
    if con.execute(queries.sql("body_access", "primary_of"), {"username": user.username}).fetchone() is None:
        return [user.ente]
    return member_bodies(con, user.username)


def readable_bodies(con: duckdb.DuckDBPyConnection, user: User | None) -> list[str]:
    """The user's bodies and, read-only, their predecessors; by code. Nothing for no user."""
    if user is None:
        return []
    mine = _own(con, user)
    before = [r[0] for r in con.execute(queries.sql("body_access", "predecessors_of"), {"enti": mine}).fetchall()]
    return sorted(set(mine) | set(before))


def writable_bodies(con: duckdb.DuckDBPyConnection, user: User | None) -> list[str]:
    """The bodies whose data the user may write (its role's rules still apply): its own, never for the national
    role, never a predecessor."""
    if user is None or user.ruolo in READ_ONLY_ROLES:
        return []
    return _own(con, user)


def _refusal(user: User | None, ente: str, write: bool) -> NotAllowed:
    if user is None:
        return NotAllowed("Accesso richiesto.")
    if write:
        return NotAllowed(f"L'utente {user.username} non può modificare i dati dell'ente «{ente}».")
    return NotAllowed(f"L'utente {user.username} non può consultare i dati dell'ente «{ente}».")


def require_read(con: duckdb.DuckDBPyConnection, user: User | None, ente: str) -> None:
    if ente not in readable_bodies(con, user):
        raise _refusal(user, ente, write=False)


def require_write(con: duckdb.DuckDBPyConnection, user: User | None, ente: str) -> None:
    if ente not in writable_bodies(con, user):
        raise _refusal(user, ente, write=ente in readable_bodies(con, user))


def as_body(con: duckdb.DuckDBPyConnection, user: User | None, ente: str, *, write: bool = False) -> User:
    """`user` acting in `ente` (checked: read, or write with `write`): its offices there, and read-only where it
    may not write, so every role rule (roles.require) refuses that body's writes too."""
    (require_write if write else require_read)(con, user, ente)
    uffici = tuple(r[0] for r in con.execute(queries.sql("body_access", "offices_in"),
                                             {"username": user.username, "ente": ente}).fetchall())
    return User(user.username, ente, user.ruolo, uffici, sola_lettura=ente not in writable_bodies(con, user))


def set_bodies(con: duckdb.DuckDBPyConnection, username: str, add: list[str] = (), remove: list[str] = (), *,
               actor: User | None = None, actor_name: str = "cli", known: list[str] | None = None,
               when: dt.datetime | None = None) -> list[str]:
    """Add or remove bodies of an account; its own body stays. From the app the planning officer (`actor`) adds or
    removes only bodies it writes itself; from the command line, whoever holds the file. `known`: the bodies
    in the database (an unknown code is refused). Audited (`utente_enti`). Returns the bodies after."""
    row = con.execute(queries.sql("body_access", "primary_of"), {"username": username}).fetchone()
    if row is None:
        raise Refused(f"Utente «{username}» sconosciuto.")
    primario = row[0]
    if actor is not None and not set(member_bodies(con, username)) & set(writable_bodies(con, actor)):
        # An account of bodies the actor does not administer: the same words as for no account at all.
        raise Refused(f"Utente «{username}» sconosciuto.")
    for ente in [*add, *remove]:
        if known is not None and ente not in known:
            raise Refused(f"Ente «{ente}» sconosciuto.")
        if actor is not None:
            require(actor, "gestire_utenti")
            require_write(con, actor, ente)
    if primario in remove:
        raise Refused(f"L'ente {primario} è l'ente dell'utente {username}: non può essere tolto.")
    if actor is not None:
        actor_name = actor.username
    before = member_bodies(con, username)
    with db.transaction(con):
        for ente in add:
            con.execute(queries.sql("body_access", "assign"), {"username": username, "ente": ente})
        for ente in remove:
            con.execute(queries.sql("body_access", "unassign"), {"username": username, "ente": ente})
        after = member_bodies(con, username)
        audit.record(con, actor_name, "utente_enti", username, ente=primario, prima={"enti": before},
                     dopo={"enti": after}, quando=when)
    return after


def assignable_bodies(con: duckdb.DuckDBPyConnection, actor: User) -> list[str]:
    """The bodies the planning officer `actor` may give or take away (the Amministrazione page's choice): those it
    writes. An account's other bodies are not its business: it neither sees nor changes them."""
    require(actor, "gestire_utenti")
    return writable_bodies(con, actor)


def replace_bodies(con: duckdb.DuckDBPyConnection, username: str, wanted: list[str], *, actor: User,
                   known: list[str] | None = None, when: dt.datetime | None = None) -> list[str]:
    """The account's bodies among those `actor` administers become `wanted` (its other bodies stay as they are):
    the additions and removals go through set_bodies, checked and audited as from the command line."""
    scope = assignable_bodies(con, actor)
    current = member_bodies(con, username)
    add = [e for e in dict.fromkeys(wanted) if e not in current]
    remove = [e for e in current if e in scope and e not in wanted]
    if not add and not remove:
        return current
    return set_bodies(con, username, add, remove, actor=actor, known=known, when=when)
