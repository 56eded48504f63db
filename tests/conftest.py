"""Shared fixtures.

Databases are fresh per test unless a fixture says otherwise: the import and correction tests write, and a
test must never see another's writes. Each is a copy of a database prepared once per test process (one per
xdist worker) exactly as the fixture used to build it every time: loading the seed and the demo data and
hashing the users' passwords took seconds per test, and some three hundred tests use one; a copy takes a
fraction of a second and holds the same rows, sequences and macros.

With KPI_TEST_STORE=postgres (and KPI_TEST_PG, the address of a PostgreSQL server's `postgres` database),
the fixtures below give each test a PostgreSQL database of its own instead (tests/pg_store.py): the same
tests then run on the shared store. A test that makes a database of its own asks `stores` for it (a file or memory
here, a new PostgreSQL database there), so it runs on the store under test too. On PostgreSQL
(pytest_collection_modifyitems): a test that asks for no store fixture (STORE_FIXTURES) is deselected, it would
run the same code twice; a test marked `file_store("why")` concerns the file alone and is skipped, with its reason.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

import queries
from dashboard.core import db, demo, users
from dashboard.files import seed_loader
from tests import pg_store

ROOT = Path(__file__).resolve().parents[1]
SEED_DOC = ROOT.parent / "shared" / "seed" / "000_4cff061f8ed260ba.txt"

USERS = [("staff.ri", "staff", ["RI"], "password-ri"), ("staff.adr", "staff", ["ADR"], "password-adr"),
         ("pianif", "pianificazione", ["PROGCONTR"], "password-pc"), ("oiv", "oiv", [], "password-oiv"),
         ("segretario", "segretario_generale", [], "password-sg")]


def _save(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """An in-memory database written to `path` (tables with their rows, sequences where they were, macros)."""
    # DuckDB 1.5 takes no parameter in ATTACH: the (temporary) path goes in as a quoted literal.
    con.execute("ATTACH " + queries.sql_literal(path) + " AS modello")
    con.execute("COPY FROM DATABASE memory TO modello")
    con.execute("DETACH modello")
    return path


def _clone(path: Path) -> duckdb.DuckDBPyConnection:
    """A private in-memory database with everything `path` holds (what _save wrote)."""
    con = db.new_host()
    con.execute("ATTACH " + queries.sql_literal(path) + " AS modello (READ_ONLY)")
    con.execute("COPY FROM DATABASE modello TO memory")
    con.execute("DETACH modello")
    return con


class _Prepared:
    """The databases the fixtures copy, each made on first use in this process's temporary folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: dict[str, Path] = {}

    def get(self, name: str, make) -> Path:
        if name not in self.made:
            self.made[name] = make(self.folder / f"{name}.duckdb")
        return self.made[name]

    def seed(self) -> Path:
        def make(path):
            con = db.memory()
            seed_loader.load_seed(con)
            return _save(con, path)
        return self.get("seed", make)

    def seed_users(self) -> Path:
        def make(path):
            con = _clone(self.seed())
            for username, role, offices, password in USERS:
                users.add_user(con, username, role, "CCIAA-LU", offices, password)
            return _save(con, path)
        return self.get("seed_users", make)

    def seed_demo(self) -> Path:
        def make(path):
            con = _clone(self.seed())
            demo.load_demo(con)
            return _save(con, path)
        return self.get("seed_demo", make)

    def demo_file(self) -> Path:
        """A database file as `init` makes it (attached by db.connect, the product's own way)."""
        def make(path):
            con = db.connect(path)
            seed_loader.load_seed(con)
            demo.load_demo(con)
            db.close(path)
            return path
        return self.get("demo_file", make)


@pytest.fixture(scope="session", autouse=True)
def _pg_templates():
    yield
    if pg_store.enabled():
        pg_store.drop_templates()


@pytest.fixture(scope="session")
def _prepared(tmp_path_factory):
    return _Prepared(tmp_path_factory.mktemp("preparati"))


@pytest.fixture
def seeded(_prepared, request):
    """In-memory database with the seed plan and its 2018-2019 results, no demo data (and, for a test that
    also uses with_users, already with its users: the same connection)."""
    if pg_store.enabled():
        # With the users already in the copy, as on the file: five argon2 hashes per test were ~1 s of it.
        url = (pg_store.fresh("modello_seed_users", _add_users) if "with_users" in request.fixturenames
               else pg_store.fresh("modello_seed"))
        yield db.connect(url)
        pg_store.drop(url)
        return
    con = _clone(_prepared.seed_users() if "with_users" in request.fixturenames else _prepared.seed())
    yield con
    con.close()


@pytest.fixture(scope="module")
def demo_db(_prepared):
    """Read-only: seed plan plus demo data. Module scope because nothing writes to it."""
    if pg_store.enabled():
        url = pg_store.fresh("modello_demo")
        yield db.connect(url)
        pg_store.drop(url)
        return
    con = _clone(_prepared.seed_demo())
    yield con
    con.close()


def _add_users(con: duckdb.DuckDBPyConnection) -> None:
    """The seed plan and USERS, on PostgreSQL's prepared database (modello_seed_users)."""
    seed_loader.load_seed(con)
    for username, role, offices, password in USERS:
        users.add_user(con, username, role, "CCIAA-LU", offices, password)


@pytest.fixture
def with_users(seeded):
    """The seeded database with one user per role (staff of RI and of ADR): USERS, added by users.add_user,
    already in the copy `seeded` made (of seed_users, or of PostgreSQL's modello_seed_users)."""
    return seeded


@pytest.fixture
def db_file(_prepared, tmp_path, monkeypatch):
    """A real DuckDB file initialised like `init` does, with KPI_DB pointing at it (app and CLI tests); on the
    PostgreSQL store, a database of its own with the same content and KPI_DB its address."""
    if pg_store.enabled():
        url = pg_store.fresh("modello_demo")
        monkeypatch.setenv("KPI_DB", url)
        yield url
        pg_store.drop(url)
        return
    path = tmp_path / "kpi.duckdb"
    shutil.copyfile(_prepared.demo_file(), path)
    monkeypatch.setenv("KPI_DB", str(path))
    yield path
    db.close(path)


class Stores:
    """Where a test makes a database of its own, on the store under test: `address()` a new DuckDB file's path
    (in a folder of its own) or, with KPI_TEST_STORE=postgres, a new empty PostgreSQL database's address;
    `connection()` a new database with the schema and nothing else (in memory, as db.memory(), or on PostgreSQL)."""

    def __init__(self, tmp_path_factory):
        self.factory = tmp_path_factory
        self.made: list[str] = []

    def address(self, name: str = "kpi.duckdb") -> Path | str:
        if pg_store.enabled():
            self.made.append(pg_store.empty())
            return self.made[-1]
        return self.factory.mktemp("store") / name

    def connection(self) -> duckdb.DuckDBPyConnection:
        if not pg_store.enabled():
            return db.memory()
        self.made.append(pg_store.fresh("modello_schema"))  # the schema made once: a copy is quicker
        return db.connect(self.made[-1])

    def drop(self) -> None:
        for url in self.made:
            pg_store.drop(url)


@pytest.fixture
def stores(tmp_path_factory):
    """Databases of a test's own on the store under test (Stores), dropped after the test."""
    made = Stores(tmp_path_factory)
    yield made
    made.drop()


@pytest.fixture(scope="module")
def module_stores(tmp_path_factory):
    """Stores for a module fixture, dropped after the module."""
    made = Stores(tmp_path_factory)
    yield made
    made.drop()


@pytest.fixture(scope="session")
def session_stores(tmp_path_factory):
    """Stores for a session fixture (the browser journeys' shared server)."""
    made = Stores(tmp_path_factory)
    yield made
    made.drop()


# The fixtures that give a test a database on the store under test; a test using none never opens one.
STORE_FIXTURES = {"seeded", "demo_db", "with_users", "db_file", "stores", "module_stores", "session_stores"}


def pytest_configure(config):
    config.addinivalue_line("markers", "file_store(reason): concerns the DuckDB file alone; skipped on PostgreSQL")
    config.addinivalue_line("markers", "postgres_store: concerns the PostgreSQL store alone; skipped on the file")


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL: skip the tests marked file_store (with their reason, in the summary) and deselect those
    that ask for no store (formats, layers, docs…: the file run covers them). On the file: skip those marked
    postgres_store."""
    if not pg_store.enabled():
        for item in items:
            if item.get_closest_marker("postgres_store"):
                item.add_marker(pytest.mark.skip(reason="solo su PostgreSQL: KPI_TEST_STORE=postgres"))
        return
    kept, deselected = [], []
    for item in items:
        mark = item.get_closest_marker("file_store")
        if mark is not None:
            reason = mark.args[0] if mark.args else mark.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"solo sul file DuckDB: {reason}"))
        if (mark is not None or item.get_closest_marker("postgres_store")
                or STORE_FIXTURES & set(getattr(item, "fixturenames", ()))):
            kept.append(item)
        else:
            deselected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


TODAY = dt.date(2026, 11, 24)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: without it (-p no:xdist) there is nothing to schedule
def pytest_xdist_make_scheduler(config, log):
    """Units of work for `pytest -n 2 --dist loadfile` (scripts/test.sh): a test module each, so a module's
    fixtures are built once; and every browser journey (tests/e2e/) in one unit, so one worker runs them one
    after the other (a Streamlit server and a Chromium each) while the other worker runs the rest. tests/e2e/
    is collected first and the units keep the collection order (not xdist's largest-first, by test count):
    the journeys start at once instead of last, where their ten minutes would be the whole run's tail.

    (`--dist loadgroup` with xdist_group marks cannot do it: xdist 3.8 groups by rewriting item._nodeid,
    which pytest 9 no longer reads.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FilesAndJourneys(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "tests/e2e" if module.startswith("tests/e2e/") else module

    config.option.loadscopereorder = False
    return FilesAndJourneys(config, log)
