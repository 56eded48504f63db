"""The one place that opens database connections.

DuckDB allows one read-write handle per file per process; every caller shares
it and works on its own cursor (`cursor()`, `new_cursor()`), one per thread, so
Streamlit sessions never share a cursor. Opening also brings the schema and the
query macros up to date, so the SQL in queries/ is always the code's version.

The file is attached (as `cruscotto`) to an in-memory host rather than opened
directly, because only ATTACH sets the row-group size (queries/sql/db.sql).
A new cursor starts on the host's empty catalog, so cursors are only made here.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

import queries
from dashboard.core import config

_lock = threading.Lock()
# One write lock for the process: writes that read the current versions before writing them (measurement
# imports, corrections, recomputed indicators of raw records) take it, so the second of two writers sees
# the first's values. Re-entrant, because a write may call another (an import writes through measurements).
write_lock = threading.RLock()
_connections: dict[Path, duckdb.DuckDBPyConnection] = {}
_local = threading.local()


def connect(path=None) -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the database file, created on first use."""
    key = config.db_path(path).resolve()
    with _lock:
        con = _connections.get(key)
        if con is None:
            key.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect()
            con.execute(queries.sql("db", "attach"), {"path": str(key)})
            con.execute(queries.sql("db", "use"))
            con.execute(queries.sql("db", "checkpoint_threshold"))
            ensure_schema(con)
            _connections[key] = con
        return con


def cursor(path=None) -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the database (one per thread and file)."""
    key = config.db_path(path).resolve()
    cursors = getattr(_local, "cursors", None)
    if cursors is None:
        cursors = _local.cursors = {}
    cur = cursors.get(key)
    if cur is None:
        cur = cursors[key] = new_cursor(connect(path))
    return cur


def new_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of its own on the database of `con` (a file's connection, or a private in-memory one)."""
    cur = con.cursor()
    # Asked on the new cursor: `con` itself may be in use by another thread.
    if cur.execute(queries.sql("db", "attached")).fetchall()[0][0]:
        cur.execute(queries.sql("db", "use"))
    return cur


def close(path=None) -> None:
    """Close the file's connection (tests, and the CLI before it exits)."""
    key = config.db_path(path).resolve()
    with _lock:
        con = _connections.pop(key, None)
    cursors = getattr(_local, "cursors", {})
    cursors.pop(key, None)
    if con is not None:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for statement in queries.script("schema"):
        con.execute(statement)
    _widen_roles(con)
    for module in ("plan_versions_schema", "chain_schema", "succession_schema"):  # before the status macros, which use them
        for statement in queries.script(module):
            con.execute(statement)
    _add_new_columns(con, "criteri", "criteri_versioni")
    _add_new_columns(con, "target", "target_versioni")
    for module in ("status_macros", "records_macros"):
        for statement in queries.script(module):
            con.execute(statement)


def _widen_roles(con: duckdb.DuckDBPyConnection) -> None:
    """Files from before the office head's role (responsabile) have a CHECK on utenti.ruolo without it:
    rebuild the table with the schema's CHECK, keeping every account, in one transaction."""
    check = con.execute(queries.sql("db", "roles_check")).fetchone()[0]
    if check is None or "responsabile" in check:
        return
    with transaction(con):
        con.execute(queries.sql("db", "users_keep"))
        con.execute(queries.sql("db", "users_drop"))
        for statement in queries.script("schema"):  # recreates utenti (and its added columns); the rest exists
            con.execute(statement)
        con.execute(queries.sql("db", "users_restore"))
        con.execute(queries.sql("db", "users_kept_drop"))


def _add_new_columns(con: duckdb.DuckDBPyConnection, source: str, copy: str) -> None:
    """Give a copy table (criteri_versioni, target_versioni) the columns added to its source since, with their defaults."""
    query = queries.sql("db", "columns_of")
    have = {r[0] for r in con.execute(query, {"t": copy}).fetchall()}
    for name, data_type, default in con.execute(query, {"t": source}).fetchall():
        if name not in have:
            # Names and types come from the catalog of our own tables, never from input.
            con.execute(f'ALTER TABLE {copy} ADD COLUMN "{name}" {data_type}'
                        + (f" DEFAULT {default}" if default is not None else ""))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, *, lock: bool = False):
    """BEGIN … COMMIT on `con`, ROLLBACK if anything in the block raises (and re-raise).

    With lock=True the block also holds `write_lock`. Every write of the product goes through here, so
    a write and its audit rows land together or not at all.
    """
    if lock:
        with write_lock:
            with transaction(con):
                yield con
        return
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        # A failed COMMIT (a write-write conflict) has already ended the transaction: nothing left to undo.
        with suppress(duckdb.TransactionException):
            con.execute("ROLLBACK")
        raise


def memory() -> duckdb.DuckDBPyConnection:
    """A private in-memory database with the schema (tests and benchmarks)."""
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    return con
