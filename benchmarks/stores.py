"""The stores a benchmark runs on side by side: the DuckDB file and the shared PostgreSQL store (issue 17).

`--store file,postgres` chooses them; without it, both when a PostgreSQL server is given (`--pg`, or
$KPI_TEST_PG: the address of its `postgres` database) or can be started here (scripts/pg.sh, with Debian's
PostgreSQL installed), else the file alone. Each store gets a database of its own in a temporary folder or on
that server, dropped at the end (a server started here is stopped)."""
from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
STORES = ("file", "postgres")
LABELS = {"file": "file DuckDB", "postgres": "PostgreSQL"}


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--store", help="file, postgres or file,postgres (default: both if PostgreSQL can be reached "
                                    "or started, else file)")
    ap.add_argument("--pg", help="a PostgreSQL server's postgres database, postgresql://…/postgres (default "
                                 "$KPI_TEST_PG, else a throw-away server started with scripts/pg.sh)")


def can_start() -> bool:
    """Debian's PostgreSQL is installed: scripts/pg.sh can start a throw-away server."""
    return bool(list(Path("/usr/lib/postgresql").glob("*/bin/initdb")))


def chosen(args) -> list[str]:
    if args.store:
        stores = [s.strip() for s in args.store.split(",") if s.strip()]
        unknown = set(stores) - set(STORES)
        if unknown or not stores:
            raise SystemExit(f"--store: {', '.join(sorted(unknown)) or 'vuoto'}; ammessi {', '.join(STORES)}")
        return stores
    return list(STORES) if (args.pg or os.environ.get("KPI_TEST_PG") or can_start()) else ["file"]


class Places:
    """Where each store's databases are made: files in a temporary folder; databases on one PostgreSQL server."""

    def __init__(self, stack: ExitStack, pg: str | None):
        self.folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        self._stack, self._pg, self._admin, self._made = stack, pg, None, []

    def new(self, store: str, name: str) -> str:
        """The address of a new, empty database of `store` (a file path or a postgresql:// URL)."""
        if store == "file":
            return str(self.folder / f"{name}.duckdb")
        if self._admin is None:
            self._admin = self._stack.enter_context(server(self._pg))
            self._stack.callback(self._drop_all)
        db_name = f"bench_{os.getpid()}_{name}"
        psql(self._admin, f"DROP DATABASE IF EXISTS {db_name}")
        psql(self._admin, f"CREATE DATABASE {db_name}")
        self._made.append(db_name)
        return urlunsplit(urlsplit(self._admin)._replace(path="/" + db_name))

    def _drop_all(self) -> None:
        from dashboard.core import db
        for name in self._made:
            db.close(urlunsplit(urlsplit(self._admin)._replace(path="/" + name)))
            psql(self._admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def server(url: str | None = None):
    """The address of a PostgreSQL server's postgres database: the one given, $KPI_TEST_PG's, or one started
    here for the run (scripts/pg.sh) and stopped after."""
    url = url or os.environ.get("KPI_TEST_PG")
    if url:
        yield url
        return
    # Straight under /tmp: the postgres user must reach it (a TemporaryDirectory is root's alone).
    folder = Path(tempfile.gettempdir()) / f"bench-pg-{os.getpid()}"
    pg = str(ROOT / "scripts" / "pg.sh")
    url = subprocess.run([pg, "start", str(folder)], check=True, capture_output=True, text=True).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run([pg, "stop", str(folder)], capture_output=True)


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True, capture_output=True)
