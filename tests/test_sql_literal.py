"""Paths inlined where DuckDB 1.5 takes no parameter (ATTACH): quoted so that any text stays text."""
from __future__ import annotations

import duckdb
import pytest

import queries
from dashboard.core import db, users
from dashboard.files import seed_loader

HOSTILE = [
    "semplice",
    "l'ufficio",
    "''",
    "x'; DROP TABLE t; --",
    "C:\\dati\\kpi.duckdb",
    "\\'",
    "$path e $altro",
    "riga\nnuova",
    "città/perché ☃",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_literal_reads_back_as_the_same_text(text):
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER)")
    assert con.execute(f"SELECT {queries.sql_literal(text)}").fetchone()[0] == text
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 0  # nothing else ran


def test_a_nul_byte_is_refused():
    with pytest.raises(ValueError):
        queries.sql_literal("a\0b")


def test_inline_quotes_once_and_leaves_strings_and_comments():
    q = queries.Query("q", "doc", "SELECT $a, '$b' -- $c\n, $a", ("a",), "x.sql:1")
    assert q.inline({"a": "it's $a"}) == "SELECT 'it''s $a', '$b' -- $c\n, 'it''s $a'"
    with pytest.raises(KeyError):
        q.inline({})


@pytest.mark.parametrize("name", ["l'archivio", "x'; DROP TABLE t; --"])
def test_a_database_file_whose_path_has_quotes_opens(tmp_path, name):
    folder = tmp_path / name
    path = folder / "kpi.duckdb"
    con = db.connect(path)
    try:
        seed_loader.load_seed(con)
        users.add_user(con, "oiv", "oiv", "CCIAA-LU", [], "password-oiv")
    finally:
        db.close(path)
    con = db.connect(path)
    try:
        assert users.get_user(db.cursor(path), "oiv") is not None
    finally:
        db.close(path)
    assert path.exists()


def test_every_host_runs_duckdb_single_threaded_unless_told(monkeypatch, tmp_path):
    """DuckDB 1.5.5's race in parallel windows (config.DEFAULT_DB_THREADS) must not reach any connection the
    product opens: the file's, memory(), and the hosts of the tests' copies."""
    from dashboard.core import db

    def threads(con):
        return con.execute("SELECT current_setting('threads')").fetchone()[0]

    path = tmp_path / "kpi.duckdb"
    monkeypatch.delenv("KPI_DB_THREADS", raising=False)
    assert threads(db.new_host()) == 1
    assert threads(db.memory()) == 1
    assert threads(db.connect(path)) == 1
    db.close(path)
    monkeypatch.setenv("KPI_DB_THREADS", "2")
    assert threads(db.new_host()) == 2
    monkeypatch.setenv("KPI_DB_THREADS", "molti")
    assert threads(db.new_host()) == 1
