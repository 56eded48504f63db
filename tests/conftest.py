"""Shared fixtures.

Databases are built fresh per test unless a fixture says otherwise: the
import and correction tests write, and a test must never see another's
writes. Loading the seed takes a fraction of a second, so isolation is cheap.

With KPI_TEST_STORE=postgres (and KPI_TEST_PG, the address of a PostgreSQL server's `postgres` database),
the fixtures below give each test a PostgreSQL database of its own instead (tests/pg_store.py): the same
tests then run on the shared store. Tests that open DuckDB files or memory() themselves stay on DuckDB.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.core import db, demo, users
from dashboard.files import seed_loader
from tests import pg_store

ROOT = Path(__file__).resolve().parents[1]
SEED_DOC = ROOT.parent / "shared" / "seed" / "000_4cff061f8ed260ba.txt"


@pytest.fixture(scope="session", autouse=True)
def _pg_templates():
    yield
    if pg_store.enabled():
        pg_store.drop_templates()


@pytest.fixture
def seeded():
    """In-memory database with the seed plan and its 2018-2019 results, no demo data."""
    if pg_store.enabled():
        url = pg_store.fresh("modello_seed")
        yield db.connect(url)
        pg_store.drop(url)
        return
    con = db.memory()
    seed_loader.load_seed(con)
    yield con
    con.close()


@pytest.fixture(scope="module")
def demo_db():
    """Read-only: seed plan plus demo data. Module scope because nothing writes to it."""
    if pg_store.enabled():
        url = pg_store.fresh("modello_demo")
        yield db.connect(url)
        pg_store.drop(url)
        return
    con = db.memory()
    seed_loader.load_seed(con)
    demo.load_demo(con)
    yield con
    con.close()


@pytest.fixture
def with_users(seeded):
    """The seeded database with one user per role (staff of RI and of ADR)."""
    users.add_user(seeded, "staff.ri", "staff", "CCIAA-LU", ["RI"], "password-ri")
    users.add_user(seeded, "staff.adr", "staff", "CCIAA-LU", ["ADR"], "password-adr")
    users.add_user(seeded, "pianif", "pianificazione", "CCIAA-LU", ["PROGCONTR"], "password-pc")
    users.add_user(seeded, "oiv", "oiv", "CCIAA-LU", [], "password-oiv")
    users.add_user(seeded, "segretario", "segretario_generale", "CCIAA-LU", [], "password-sg")
    return seeded


@pytest.fixture
def db_file(tmp_path, monkeypatch):
    """A real DuckDB file initialised like `init` does, with KPI_DB pointing at it (app and CLI tests); on the
    PostgreSQL store, a database of its own with the same content and KPI_DB its address."""
    if pg_store.enabled():
        url = pg_store.fresh("modello_demo")
        monkeypatch.setenv("KPI_DB", url)
        yield url
        pg_store.drop(url)
        return
    path = tmp_path / "kpi.duckdb"
    con = db.connect(path)
    seed_loader.load_seed(con)
    demo.load_demo(con)
    db.close(path)
    monkeypatch.setenv("KPI_DB", str(path))
    yield path
    db.close(path)


TODAY = dt.date(2026, 11, 24)
