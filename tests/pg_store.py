"""The shared PostgreSQL store for the tests (KPI_TEST_STORE=postgres, KPI_TEST_PG=postgresql://…/postgres).

Each test gets a database of its own, copied from a prepared one (CREATE DATABASE … TEMPLATE: a fraction of a
second, against seconds for the schema and the seed through the attach). scripts/pg.sh starts a server."""
from __future__ import annotations

import itertools
import os
import threading
from urllib.parse import urlsplit, urlunsplit

import duckdb

import queries
from dashboard.core import db, demo
from dashboard.files import seed_loader


def enabled() -> bool:
    return os.environ.get("KPI_TEST_STORE", "duckdb") == "postgres"


def admin_url() -> str:
    url = os.environ.get("KPI_TEST_PG")
    if not url:
        raise RuntimeError("KPI_TEST_STORE=postgres needs KPI_TEST_PG=postgresql://user@host:port/postgres")
    return url


def url_of(name: str) -> str:
    parts = urlsplit(admin_url())
    return urlunsplit(parts._replace(path="/" + name))


_admin: duckdb.DuckDBPyConnection | None = None
_admin_lock = threading.Lock()


def psql(sql: str) -> None:
    """One statement on the server's `postgres` database, outside a transaction (CREATE/DROP DATABASE need it).
    Through one DuckDB connection kept by this process: a `psql` process per statement cost 0,2-1 s under load,
    some tests make three databases."""
    global _admin
    with _admin_lock:
        if _admin is None:
            _admin = db._postgres_host()
            _admin.execute("ATTACH " + queries.sql_literal(admin_url()) + " AS amministrazione (TYPE postgres)")
        _admin.execute("CALL postgres_execute('amministrazione', ?, use_transaction := false)", [sql])


_counter = itertools.count()
_prepared: set[str] = set()
# The prepared databases: the schema only; with the seed plan; with the seed and the demo values.
_LOADERS = {
    "modello_schema": lambda con: None,
    "modello_seed": seed_loader.load_seed,
    "modello_demo": lambda con: (seed_loader.load_seed(con), demo.load_demo(con)),
}


def _prepare(template: str, make=None) -> None:
    if template in _prepared:
        return
    name = f"{template}_{os.getpid()}"
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    url = url_of(name)
    (make or _LOADERS[template])(db.connect(url))
    db.close(url)
    _prepared.add(template)


def empty() -> str:
    """The address of a new database with nothing in it (what `init` or a test's own loading starts from)."""
    name = f"t{os.getpid()}_{next(_counter)}"
    psql(f"CREATE DATABASE {name}")
    return url_of(name)


def fresh(template: str = "modello_seed", make=None) -> str:
    """The address of a new database copied from `template` (made on first use in this process, by `make` on its
    connection if it is not one of _LOADERS)."""
    _prepare(template, make)
    name = f"t{os.getpid()}_{next(_counter)}"
    # FILE_COPY: a small database is copied as files, faster than block by block through the WAL.
    psql(f"CREATE DATABASE {name} TEMPLATE {template}_{os.getpid()} STRATEGY FILE_COPY")
    return url_of(name)


def drop(url: str) -> None:
    db.close(url)
    name = urlsplit(url).path.lstrip("/")
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def drop_templates() -> None:
    for template in _prepared:
        psql(f"DROP DATABASE IF EXISTS {template}_{os.getpid()} WITH (FORCE)")
