"""One base for every refusal a user can get, so pages show them one way and the CLI exits 1.

A `Refused` carries its Italian message and means "nothing was written; the input or the
request was not acceptable". Anything else raised is a bug and is handled as one (logged,
never passed off as bad input).
"""
from __future__ import annotations


class Refused(Exception):
    """The user's request is refused; str(exc) is the Italian message to show as it is."""


class NotAllowed(Refused, PermissionError):
    """The user's role or office may not do this."""


class DatabaseBusy(Exception):
    """The database file is held by another process (or cannot be reached) beyond the wait allowed: nothing
    was read or written. Not a refusal of the input (the CLI exits 3, not 1; pages offer «Riprova»);
    str(exc) is the Italian message saying what to do."""


class DatabaseTooNew(DatabaseBusy):
    """The database file was written by a newer DuckDB (2.0) than the product's (1.5.5), which cannot read it:
    unreachable as it is (CLI exit 3, like a file held elsewhere), but waiting will not help; the message
    names the file and the command that converts it (scripts/migrate_duckdb2.sh)."""
