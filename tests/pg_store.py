"""The shared PostgreSQL store for the tests (KPI_TEST_STORE=postgres, KPI_TEST_PG=postgresql://…/postgres).

Each test gets a database of its own, copied from a prepared one (CREATE DATABASE … TEMPLATE: a fraction of a
second, against seconds for the schema and the seed through the attach). scripts/pg.sh starts a server."""
from __future__ import annotations

import itertools
import os
import subprocess
from urllib.parse import urlsplit, urlunsplit

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


def psql(sql: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", admin_url(), "-c", sql], check=True,
                   capture_output=True)


_counter = itertools.count()
_prepared: set[str] = set()
# The prepared databases: the schema only; with the seed plan; with the seed and the demo values.
_LOADERS = {
    "modello_schema": lambda con: None,
    "modello_seed": seed_loader.load_seed,
    "modello_demo": lambda con: (seed_loader.load_seed(con), demo.load_demo(con)),
}


def _prepare(template: str) -> None:
    if template in _prepared:
        return
    name = f"{template}_{os.getpid()}"
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    url = url_of(name)
    _LOADERS[template](db.connect(url))
    db.close(url)
    _prepared.add(template)


def fresh(template: str = "modello_seed") -> str:
    """The address of a new database copied from `template` (made on first use in this process)."""
    _prepare(template)
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
