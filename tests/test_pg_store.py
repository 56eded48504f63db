"""The shared PostgreSQL store (issue 17): two real processes writing at once, the ids, the retries.

Run with KPI_TEST_STORE=postgres and KPI_TEST_PG (scripts/pg.sh starts a server; .ci/run does); skipped otherwise.
The store-independent parts (retrying, the unreachable server) run in the file run."""
from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from dashboard.core import db, users
from tests import pg_store
from tests.conftest import ROOT
from tests.test_records import PRATICHE, csv_file

on_pg = pytest.mark.postgres_store  # skipped on the file (tests/conftest.py)


def test_retrying_runs_a_conflicting_write_again_within_its_bound():
    calls = []

    def write():
        calls.append(1)
        if len(calls) < 3:
            raise duckdb.TransactionException("Failed to commit: could not serialize access due to concurrent update")
        return "ok"

    assert db.retrying(write) == "ok" and len(calls) == 3
    calls.clear()
    with pytest.raises(duckdb.TransactionException):
        db.retrying(lambda: write() if False else (_ for _ in ()).throw(
            duckdb.TransactionException("could not serialize access")), tries=2)
    with pytest.raises(duckdb.ConstraintException):  # not a conflict: raised at once, never run again
        db.retrying(lambda: (calls.append(1), (_ for _ in ()).throw(duckdb.ConstraintException("NOT NULL")))[1])
    assert len(calls) == 1


def _cli(url, *args):
    return subprocess.Popen([sys.executable, "-m", "dashboard.cli", "--db", url, *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@on_pg
def test_two_processes_import_records_at_once_both_land_whole(tmp_path):
    """Two CLI processes import practices for the same body and kind at the same moment: both commit, each as a
    batch of its own (the batch number both drew first is taken by one; the other runs again with the next),
    every row exactly once."""
    url = pg_store.fresh("modello_seed")
    con = db.connect(url)
    users.add_user(con, "staff.ri", "staff", "CCIAA-LU", ["RI"], "password-ri")
    db.close(url)
    files = []
    for n in range(2):
        rows = [[f"P{n}-{i}", "", "Lucca", "02/01/2020", "08/01/2020", "0"] for i in range(2000)]
        files.append(csv_file(tmp_path / f"pratiche{n}.csv", PRATICHE, rows))
    try:
        procs = [_cli(url, "records", "import", "--kind", "pratiche", str(f), "--user", "staff.ri") for f in files]
        outs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        con = db.connect(url)
        lotti = con.execute("SELECT id, righe FROM lotti_record ORDER BY id").fetchall()
        assert [r[1] for r in lotti] == [2000, 2000] and lotti[0][0] != lotti[1][0]
        assert con.execute("SELECT count(*), count(DISTINCT protocollo) FROM pratiche").fetchone() == (4000, 4000)
        audited = con.execute("SELECT count(*) FROM audit WHERE azione = 'record_importati'").fetchone()[0]
        assert audited == 2
    finally:
        pg_store.drop(url)


@on_pg
def test_ids_are_drawn_inside_postgresql_and_unique_across_connections(seeded):
    """Ids of sequences come from PostgreSQL (DuckDB cannot reach its sequences): two hosts never share one."""
    other = db._postgres_host()
    url = seeded.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'cruscotto'").fetchone()[0]
    db._attach_postgres(other, url)
    drawn = [db.next_id(c, "seq_audit") for c in (seeded, other, seeded, other)]
    other.close()
    assert len(set(drawn)) == 4 and drawn == sorted(drawn)


@on_pg
def test_cli_metrics_read_the_shared_store(tmp_path):
    url = pg_store.fresh("modello_demo")
    try:
        r = subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", url, "status", "--year", "2020",
                            "--level", "ente", "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)
    finally:
        pg_store.drop(url)


def test_unreachable_server_is_exit_3_in_italian(tmp_path):
    r = subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", "postgresql://nessuno:segreto@127.0.0.1:1/x",
                        "status", "--year", "2020"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 3 and "non è raggiungibile" in r.stderr and "segreto" not in r.stderr, r.stderr


@on_pg
def test_migrate_copies_a_file_verbatim_and_refuses_a_store_with_data(tmp_path):
    """init's demo file moved to an empty PostgreSQL database: every table with the same rows (the audit trail
    too), the same status for every target, the sequences past the copied ids; a second migrate is refused."""
    path = tmp_path / "kpi.duckdb"
    assert subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", str(path), "init"], cwd=ROOT,
                          capture_output=True, timeout=300).returncode == 0
    url = pg_store.fresh("modello_schema")
    try:
        r = subprocess.run([sys.executable, "-m", "dashboard.cli", "migrate", "--from", str(path), "--to", url,
                            "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        copied = {t["tabella"]: t["righe"] for t in json.loads(r.stdout)["tabelle"]}
        assert copied["audit"] > 0 and copied["misure"] > 0 and copied["utenti"] == 7

        def status(target):
            out = subprocess.run([sys.executable, "-m", "dashboard.cli", "--db", str(target), "status", "--year",
                                  "2020", "--level", "target", "--format", "json"], cwd=ROOT, capture_output=True,
                                 text=True, timeout=300)
            assert out.returncode == 0, out.stderr
            return json.loads(out.stdout)

        assert status(url) == status(path)
        con = db.connect(url)
        top = con.execute("SELECT max(id) FROM audit").fetchone()[0]
        assert db.next_id(con, "seq_audit") == top + 1
        db.close(url)
        again = subprocess.run([sys.executable, "-m", "dashboard.cli", "migrate", "--from", str(path), "--to", url],
                               cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert again.returncode == 1 and "contiene già dati" in again.stderr
    finally:
        pg_store.drop(url)


@on_pg
def test_migrate_names_a_table_that_does_not_match(tmp_path, monkeypatch):
    from dashboard.core import migrate

    path = tmp_path / "kpi.duckdb"
    db.connect(path)  # an empty database file with the schema
    db.close(path)
    url = pg_store.fresh("modello_schema")
    real = migrate._check
    monkeypatch.setattr(migrate, "_check", lambda c, t: (lambda k: migrate.TableCheck(
        k.table, k.rows_from, k.rows_to + (t == "enti"), k.hash_from, k.hash_to))(real(c, t)))
    try:
        with pytest.raises(migrate.MigrationRefused, match=r"tabella enti: 0 righe nel file, 1 in PostgreSQL"):
            migrate.migrate(path, url)
    finally:
        pg_store.drop(url)


@on_pg
def test_metrics_from_the_local_copy_follow_each_import(with_users, tmp_path):
    """On PostgreSQL the metrics read a local copy of the records: the same figures as through the attach, and a
    new batch is in the next read."""
    from dashboard.files import records_import
    from queries import metrics as metrics_queries

    def both():
        with db.local_records(with_users) as local:
            copied = metrics_queries.metrics(local, "tempi_ri", 2020)
        return copied, metrics_queries.metrics(with_users, "tempi_ri", 2020)

    first = csv_file(tmp_path / "a.csv", PRATICHE, [["P1", "", "Lucca", "02/01/2020", "04/01/2020", "0"]])
    assert records_import.import_records(with_users, "pratiche", first, "staff.ri").ok
    copied, attached = both()
    assert copied.equals(attached) and copied["pratiche"].max() == 1
    second = csv_file(tmp_path / "b.csv", PRATICHE, [["P2", "", "Lucca", "02/01/2020", "08/01/2020", "0"]])
    assert records_import.import_records(with_users, "pratiche", second, "staff.ri").ok
    copied, attached = both()
    assert copied.equals(attached) and copied["pratiche"].max() == 2
