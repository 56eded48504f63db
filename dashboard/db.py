"""The one place that opens database connections.

DuckDB allows one read-write handle per file per process; every caller shares
it and works on its own cursor (`cursor()`), one per thread, so Streamlit
sessions never share a cursor. Opening also brings the schema and the query
macros up to date, so the SQL in queries/ is always the code's version.
"""
from __future__ import annotations

import threading
from pathlib import Path

import duckdb

import queries
from dashboard import config

_lock = threading.Lock()
_connections: dict[Path, duckdb.DuckDBPyConnection] = {}
_local = threading.local()


def connect(path=None) -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the database file, created on first use."""
    key = config.db_path(path).resolve()
    with _lock:
        con = _connections.get(key)
        if con is None:
            key.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(key))
            # Checkpoint when the write-ahead log reaches 256 MB rather than 16 MB: a bulk import of raw
            # records otherwise checkpoints every few files, each time rewriting the tables' last row groups.
            # The log is as durable; only a restart after a crash replays more of it.
            con.execute("SET checkpoint_threshold = '256MB'")
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
        cur = cursors[key] = connect(path).cursor()
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
    for module in ("status_macros", "records_macros"):
        for statement in queries.script(module):
            con.execute(statement)


def memory() -> duckdb.DuckDBPyConnection:
    """A private in-memory database with the schema (tests and benchmarks)."""
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    return con
