"""The shared PostgreSQL store (issue 17): two real processes writing at once, the ids, the retries.

Run with KPI_TEST_STORE=postgres and KPI_TEST_PG (scripts/pg.sh starts a server; .ci/run does); skipped otherwise.
The store-independent parts (retrying, the unreachable server) run in the file run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from dashboard.core import db, users
from queries import status
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
def test_a_closed_stores_duckdb_instance_serves_the_next_store_with_its_own_data():
    """db.close keeps the DuckDB instance of a shared store (the extension loaded, the views and macros made: ~0,6 s
    a connection) for the next store the process opens: that one reads its own tables through the same macros,
    and the closed store's cursors are closed with it."""
    first, second = pg_store.fresh("modello_demo"), pg_store.fresh("modello_schema")
    try:
        con = db.connect(first)
        host = db._files[first].host
        cursor = db.cursor(first)
        assert cursor.execute("SELECT count(*) FROM enti").fetchone()[0] == 1
        assert len(status.status(con, 2020, 4, "ente")) == 1
        db.close(first)
        with pytest.raises(duckdb.ConnectionException):
            cursor.execute("SELECT 1")
        con = db.connect(second)
        assert db._files[second].host is host  # the same instance: nothing loaded or made again
        assert con.execute("SELECT count(*) FROM enti").fetchone()[0] == 0  # the second store's own (empty) tables
        assert status.status(con, 2020, 4, "ente").empty and status.status(db.cursor(second), 2020).empty
        db.close(second)
        assert db.connect(first).execute("SELECT count(*) FROM misure").fetchone()[0] > 0  # and back again
    finally:
        pg_store.drop(first)
        pg_store.drop(second)


def _one_batch(con, practices: int) -> None:
    """Batch 1 of Lucca's practices with `practices` rows, written straight into the store (the same batch id in
    two stores: what a reused instance's copy could not tell apart)."""
    with db.transaction(con):
        con.execute("INSERT INTO lotti_record VALUES (1, 'CCIAA-LU', 'pratiche', 'p.csv', 'x', ?, 'test', now())",
                    [practices])
        con.execute("INSERT INTO pratiche SELECT 'CCIAA-LU', 'P' || i, NULL, 'RI', DATE '2020-01-02', "
                    "DATE '2020-01-10', 0, 1 FROM range(?) t(i)", [practices])


@on_pg
def test_a_reused_instance_does_not_offer_the_next_store_the_last_ones_copy_of_the_records():
    """The copy of the raw records lives in the DuckDB instance (`copia`); an instance kept by db.close for the next
    store must not carry the closed store's copy into it: same batch ids, different rows."""
    first, second = pg_store.fresh("modello_schema"), pg_store.fresh("modello_schema")
    try:
        con = db.connect(first)
        _one_batch(con, 3)
        with db.local_records(con) as reader:
            assert reader.execute("SELECT count(*) FROM pratiche").fetchone()[0] == 3
        host = db._files[first].host
        db.close(first)
        con = db.connect(second)
        assert db._files[second].host is host
        _one_batch(con, 5)
        with db.local_records(con) as reader:
            assert reader.execute("SELECT count(*) FROM pratiche").fetchone()[0] == 5
        db.close(second)
    finally:
        pg_store.drop(first)
        pg_store.drop(second)


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


# A process opening the store at a given instant (both at once) and saying whether it ran the schema's DDL.
_START_AT = """
import sys, time
from dashboard.core import db
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
con = db.connect(sys.argv[1])
print(db.schema_runs, con.execute("SELECT count(*) FROM enti").fetchone()[0],
      con.execute("SELECT count(*) FROM misure_correnti").fetchone()[0] >= 0)
"""


@on_pg
def test_two_processes_starting_at_once_on_a_new_store_run_the_schema_once():
    """Two replicas (or a replica and the CLI) opening a new, empty database at the same instant: one runs the
    schema's DDL, the other waits for it and finds its hash; both then read the tables and the views."""
    name = f"vuoto_{os.getpid()}"
    pg_store.psql(f"CREATE DATABASE {name}")
    url = pg_store.url_of(name)
    try:
        at = f"{time.time() + 4:.3f}"  # past both interpreters' start-up
        procs = [subprocess.Popen([sys.executable, "-c", _START_AT, url, at], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        assert sorted(out.split()[0] for out, _ in outs) == ["0", "1"], outs
        assert all(out.split()[1:] == ["0", "True"] for out, _ in outs), outs
    finally:
        pg_store.drop(url)


@on_pg
def test_data_version_is_computed_inside_postgresql_and_follows_a_write(seeded, capfd):
    """The pages' cache key on the shared store comes from PostgreSQL (its indexes give the max ids) instead of
    DuckDB scanning the audit trail through the attach (~0,8 s a page run with 500.000 audit rows): the same
    value as DuckDB's query, and a new one after a write."""
    import queries
    from dashboard.core import audit
    from queries import freshness

    def through_attach():
        return seeded.execute(queries.sql("freshness", "data_version")).fetchone()[0]

    capfd.readouterr()
    seeded.execute("SET pg_debug_show_queries = true")  # the extension prints what it sends to PostgreSQL
    try:
        before = freshness.data_version(seeded, shared=True)
    finally:
        seeded.execute("SET pg_debug_show_queries = false")
    sent = "".join(capfd.readouterr())
    assert "string_agg" in sent and '"public"."audit"' not in sent, sent
    assert before == through_attach()
    audit.record(seeded, "segretario", "accesso")
    after = freshness.data_version(seeded, shared=True)
    assert after != before and after == through_attach()


def test_load_test_reports_probe_latencies_per_replica_before_and_after_the_kill():
    from benchmarks import load_test

    def probe(t, replica, ms, ok=True, error=None, answered=None):
        return {"t": t, "round": int(t), "replica": replica, "path": "/", "ms": ms, "ok": ok, "error": error,
                "answered": ok if answered is None else answered, "load": 1.0}

    # Replica 2: one probe over 5 s answered when asked again (slow, serving), one unanswered within 30 s too.
    probes = [probe(1, 1, 100), probe(2, 1, 300), probe(11, 1, 50), probe(12, 1, 5200, False, "TimeoutError: timed out", True),
              probe(13, 1, 5100, False, "TimeoutError: timed out", False), probe(11, 0, 1, False, "URLError: refused")]
    figures = load_test.probe_figures(probes, killed_at=10)
    assert figures["replica 2 prima del kill"] == {"n": 2, "failed": 0, "timeouts": 0, "unanswered": 0, "p50_ms": 200,
                                                   "p95_ms": 300, "max_ms": 300}
    after = figures["replica 2 dopo il kill"]
    assert (after["n"], after["failed"], after["timeouts"], after["unanswered"], after["max_ms"]) == (3, 2, 2, 1, 5200)
    assert figures["replica 1 dopo il kill"]["failed"] == 1 and "replica 1 prima del kill" not in figures


@on_pg
def test_the_pages_data_version_is_asked_of_postgresql(db_file, capfd):
    """What every page run asks (cached.version) on the shared store: PostgreSQL's own aggregate."""
    from dashboard.web import cached

    cur = db.cursor(db_file)
    capfd.readouterr()
    cur.execute("SET pg_debug_show_queries = true")
    try:
        version = cached.version()
    finally:
        cur.execute("SET pg_debug_show_queries = false")
    sent = "".join(capfd.readouterr())
    assert version.count("/") == 12 and "string_agg" in sent and '"public"."audit"' not in sent, sent


def test_raw_record_readers_give_the_hand_computed_figures_on_either_store(with_users, tmp_path):
    """The comparison between bodies, the metrics and the publication read the raw records through
    db.local_records (on PostgreSQL the process's copy): the same hand-computed figures on the file and on
    PostgreSQL (this test runs on both). Two practices of 2020 Q1: 2 and 6 net days, one suspended 1 day."""
    from dashboard.core import publication
    from dashboard.files import records_import
    from queries import comparison
    from queries import metrics as metrics_queries

    rows = [["P1", "", "Lucca", "02/01/2020", "04/01/2020", "0"], ["P2", "", "Lucca", "02/01/2020", "09/01/2020", "1"]]
    assert records_import.import_records(with_users, "pratiche", csv_file(tmp_path / "p.csv", PRATICHE, rows),
                                         "staff.ri").ok
    with db.local_records(with_users) as reader:
        cases = comparison.cases(reader, 2020, ["CCIAA-LU"])
        years = comparison.bodies_per_year(reader, ["CCIAA-LU"])
        tempi = metrics_queries.metrics(reader, "tempi_ri", 2020)
    year = cases[cases["trimestre"].isna()].set_index("indicatore")
    assert (year.loc["tempo_ri", "numeratore"], year.loc["tempo_ri", "denominatore"]) == (8.0, 2.0)
    assert year.loc["quota_sospese", "valore"] == 50.0
    assert years == {2020: 1}
    whole = tempi[tempi["ufficio"].isna() & tempi["trimestre"].isna()].iloc[0]
    assert (whole["pratiche"], whole["tempo_medio_netto"], whole["quota_entro_5_giorni"]) == (2, 4.0, 50.0)
    c = publication.preview(with_users, "CCIAA-LU", "tempi_ri", 2020, 1)
    assert (c.righe[0]["pratiche"], c.righe[0]["tempo_medio_netto"]) == (2, 4.0)


def test_a_read_of_the_records_follows_a_change_of_the_itp_rule(with_users, tmp_path):
    """The ITP's dispute rule is a table of the store, not a batch: the copy is not made again when it changes,
    and a read of the copy (its rules in a temporary table of its own) gives the figure under the rule in force.
    Hand-computed in test_itp_law: paid 11 days after the dispute's end, 19 days before its end plus the term."""
    from dashboard.core import itp_rules
    from queries import metrics as metrics_queries
    from tests.test_itp_law import DISPUTED, HEADER
    from tests.test_records import run

    users.add_user(with_users, "staff.rag", "staff", "CCIAA-LU", ["RAGIONERIA"], "password-rag")
    assert run(with_users, "fatture", csv_file(tmp_path / "d.csv", HEADER, [DISPUTED]), "staff.rag").ok

    def first_quarter():
        with db.local_records(with_users) as reader:
            df = metrics_queries.metrics(reader, "itp", 2020)
        q1 = df[df["trimestre"] == 1].iloc[0]
        return q1["itp"], q1["regola_contestazione"]

    assert first_quarter() == (11, "fine_contestazione")
    before = dict(db.copy_reads)
    itp_rules.set_reading(with_users, users.require_user(with_users, "pianif"), "CCIAA-LU", "fine_piu_termine")
    assert first_quarter() == (-19, "fine_piu_termine")
    if db.is_postgres(with_users):  # read from the copy as it was: no batch changed
        assert db.copy_reads.get("copy", 0) == before.get("copy", 0) + 1
        assert db.copy_reads.get("refreshed", 0) == before.get("refreshed", 0)


@on_pg
def test_the_local_copy_shows_a_batch_once_another_connection_commits_it(with_users):
    """Another replica's import (here a second connection of its own): while its transaction is open the copy
    shows none of it (a killed or refused import shows nothing), once it commits the next read shows it whole.
    Also a batch with a lower number committed after a higher one (two imports of one process side by side), and
    one that changes the body's older rows too."""
    import queries

    url = with_users.execute(queries.sql("db", "store_path")).fetchone()[0]
    other = db._postgres_host()
    db._attach_postgres(other, url)

    def practices():
        with db.local_records(with_users) as reader:
            return reader.execute("SELECT count(*) FROM pratiche").fetchone()[0]

    def batch(number: int, practices: int):
        other.execute("INSERT INTO lotti_record VALUES (?, 'CCIAA-LU', 'pratiche', 'f.csv', ?, ?, 'staff.ri', now())",
                      [number, f"sha{number}", practices])
        other.execute("INSERT INTO pratiche SELECT 'CCIAA-LU', 'L' || ? || '-' || i, NULL, 'Lucca', DATE '2020-01-02', "
                      "DATE '2020-01-04', 0, ? FROM range(?) t(i)", [number, number, practices])

    try:
        assert practices() == 0
        other.execute("BEGIN TRANSACTION")
        batch(7, 3)
        assert practices() == 0  # not committed: not in the copy
        other.execute("COMMIT")
        assert practices() == 3
        batch(6, 2)  # autocommit: number 6 after 7 (the highest number does not move)
        assert practices() == 5
        # A batch that also changes the body's older rows (as an invoices batch marks those it supersedes): the
        # body's rows are copied again, not only the new batch's.
        other.execute("BEGIN TRANSACTION")
        batch(8, 1)
        other.execute("UPDATE pratiche SET giorni_sospensione = 1 WHERE lotto = 7")
        other.execute("COMMIT")
        with db.local_records(with_users) as reader:
            assert reader.execute("SELECT count(*), sum(giorni_sospensione) FROM pratiche").fetchone() == (6, 3)
    finally:
        other.close()


@on_pg
def test_the_local_copy_shows_a_batch_the_cli_imports_in_another_process(with_users, tmp_path):
    """A replica's copy is made, then the CLI (another process) imports a file: the replica's next read has it."""
    import queries
    from queries import metrics as metrics_queries

    url = with_users.execute(queries.sql("db", "store_path")).fetchone()[0]
    with db.local_records(with_users) as reader:
        assert metrics_queries.metrics(reader, "tempi_ri", 2020).empty
    f = csv_file(tmp_path / "p.csv", PRATICHE, [["C1", "", "Lucca", "02/01/2020", "05/01/2020", "0"]])
    proc = _cli(url, "records", "import", "--kind", "pratiche", str(f), "--user", "staff.ri")
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 0, err
    with db.local_records(with_users) as reader:
        tempi = metrics_queries.metrics(reader, "tempi_ri", 2020)
    assert tempi[tempi["ufficio"].isna() & tempi["trimestre"].isna()]["tempo_medio_netto"].tolist() == [3.0]




@on_pg
def test_an_import_reads_back_its_batch_by_index_and_its_duplicates_by_range(with_users, tmp_path, capfd):
    """What an import sends PostgreSQL when it reads back its batch: one query per read (no ranges of 1.000 pages,
    each of which PostgreSQL answered by reading again), which the batch's index serves, and the duplicates' check
    bounded by the batch's protocols as values (it fetched every protocol of the body, all years, at every import).
    Then the same read as before on the cursor (the attach's national scans keep their ranges)."""
    import queries

    indexes = {r[0] for r in with_users.execute(
        "SELECT * FROM postgres_query('cruscotto', 'SELECT indexname FROM pg_indexes')").fetchall()}
    assert {"pratiche_ente_lotto", "questionari_ente_lotto", "fatture_ente_lotto"} <= indexes
    _import_practices(with_users, tmp_path, "A", 3)
    capfd.readouterr()
    with_users.execute("SET pg_debug_show_queries = true")  # the extension prints what it sends to PostgreSQL
    try:
        _import_practices(with_users, tmp_path, "B", 3)
    finally:
        with_users.execute("SET pg_debug_show_queries = false")
    sent = [line for line in "".join(capfd.readouterr()).splitlines() if '"public"."pratiche"' in line]
    reads = [line for line in sent if line.startswith("COPY (SELECT")]
    assert reads and not any("ctid" in line for line in reads), sent
    assert any(""""protocollo" >= 'B-0'""" in line and """"protocollo" <= 'B-2'""" in line for line in reads), reads
    assert with_users.execute("SELECT current_setting('pg_use_ctid_scan')").fetchone()[0] is True
    assert with_users.execute(queries.sql("db", "store_type")).fetchone()[0] == "postgres"

def _in_thread(action, timeout: float = 60):
    """action() on a thread of its own, joined within `timeout`: its result, or its exception raised here (a read
    that queues behind another forever fails the test instead of hanging it)."""
    out = {}

    def run():
        try:
            out["value"] = action()
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "the read did not end: it queued behind another"
    if "error" in out:
        raise out["error"]
    return out["value"]


def _import_practices(con, tmp_path, name: str, n: int) -> None:
    from dashboard.files import records_import

    rows = [[f"{name}-{i}", "", "Lucca", "02/01/2020", "04/01/2020", "0"] for i in range(n)]
    assert records_import.import_records(con, "pratiche", csv_file(tmp_path / f"{name}.csv", PRATICHE, rows),
                                         "staff.ri").ok


@on_pg
def test_two_reads_of_the_copy_run_side_by_side(with_users, tmp_path):
    """Two threads (two users' page runs) read the records at the same time: both are inside their read before
    either leaves it (under one lock for the whole read, the second waited for the first: the barrier broke)."""
    url = with_users.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'cruscotto'").fetchone()[0]
    _import_practices(with_users, tmp_path, "A", 3)
    with db.local_records(with_users):  # the first copy, made before the two reads
        pass
    both_inside = threading.Barrier(2, timeout=20)

    def read():
        with db.local_records(db.cursor(url)) as reader:
            both_inside.wait()
            return reader.execute("SELECT count(*) FROM pratiche").fetchone()[0]

    threads = [threading.Thread(target=lambda i=i: counts.__setitem__(i, read())) for i in range(2)]
    counts = {}
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert counts == {0: 3, 1: 3}


@on_pg
def test_a_refresh_during_a_read_leaves_that_read_on_the_copy_it_began_on(with_users, tmp_path):
    """A read is open on the copy; meanwhile a batch is committed and another read brings the copy up to date
    (without waiting for the first): that read has the new batch whole, the open one still sees the copy it began
    with, the same rows and sums at every query; the next read has the batch."""
    from queries import metrics as metrics_queries

    url = with_users.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'cruscotto'").fetchone()[0]
    _import_practices(with_users, tmp_path, "A", 3)
    inside, refreshed = threading.Event(), threading.Event()
    query = "SELECT count(*), count(DISTINCT lotto), sum(giorni_sospensione) FROM pratiche"

    def long_read():
        with db.local_records(db.cursor(url)) as reader:
            before = reader.execute(query).fetchone()
            inside.set()
            assert refreshed.wait(60)
            tempi = metrics_queries.metrics(reader, "tempi_ri", 2020)  # the product's query, on the same copy
            whole = tempi[tempi["ufficio"].isna() & tempi["trimestre"].isna()]["pratiche"].tolist()
            return before, reader.execute(query).fetchone(), whole

    thread = threading.Thread(target=lambda: result.append(long_read()), daemon=True)
    result = []
    thread.start()
    assert inside.wait(60)
    _import_practices(with_users, tmp_path, "B", 2)

    def new_read():
        with db.local_records(db.cursor(url)) as reader:
            return reader.execute(query).fetchone()

    assert _in_thread(new_read) == (5, 2, 0)
    refreshed.set()
    thread.join(60)
    before, during, whole = result[0]
    assert before == during == (3, 1, 0) and whole == [3]
    assert _in_thread(new_read) == (5, 2, 0)


@on_pg
def test_a_read_while_another_thread_makes_the_copy_goes_through_the_attach(with_users, tmp_path, monkeypatch):
    """The first copy of a national year takes tens of seconds: a read that comes meanwhile does not queue behind
    it, it reads through the attach (the same figures, every committed batch); once the copy is made, reads use it."""
    url = with_users.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'cruscotto'").fetchone()[0]
    _import_practices(with_users, tmp_path, "A", 4)
    copying, go_on = threading.Event(), threading.Event()
    real = db._refresh_records

    def slow_refresh(*args):
        copying.set()
        assert go_on.wait(60)
        return real(*args)

    monkeypatch.setattr(db, "_refresh_records", slow_refresh)

    def read():
        with db.local_records(db.cursor(url)) as reader:
            return reader.execute("SELECT count(*) FROM pratiche").fetchone()[0]

    first = threading.Thread(target=lambda: counts.append(read()), daemon=True)
    counts = []
    first.start()
    assert copying.wait(60)
    before = dict(db.copy_reads)
    assert _in_thread(read, timeout=30) == 4
    assert db.copy_reads.get("attach", 0) == before.get("attach", 0) + 1
    go_on.set()
    first.join(60)
    assert counts == [4]
    before = dict(db.copy_reads)
    assert _in_thread(read) == 4
    assert db.copy_reads.get("copy", 0) == before.get("copy", 0) + 1

def test_the_pages_data_version_moves_with_every_batch_of_records(with_users):
    """The pages' caches (the comparison, the ITP table) are keyed by the data version: a batch committed with
    lower ids than what is already stored (ids drawn before commit, on PostgreSQL from sequences) moves it."""
    from queries import freshness

    with_users.execute("INSERT INTO lotti_record VALUES (1000, 'CCIAA-LU', 'pratiche', 'a.csv', 'a', 0, 'staff.ri', now())")
    before = freshness.data_version(with_users)
    with_users.execute("INSERT INTO lotti_record VALUES (999, 'CCIAA-LU', 'pratiche', 'b.csv', 'b', 0, 'staff.ri', now())")
    assert freshness.data_version(with_users) != before


def test_the_pages_data_version_moves_when_an_audit_row_or_a_value_commits_late(with_users):
    """On PostgreSQL a write whose audit id was drawn before another's but committed after it moves no max(id):
    the version also counts the last ids, so the late row still moves it (it failed on the max alone)."""
    from queries import freshness

    top = with_users.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
    row = "INSERT INTO audit (id, ente, quando, utente, azione) VALUES (?, 'CCIAA-LU', now(), 'staff.ri', 'login')"
    with_users.execute(row, [top + 100])
    before = freshness.data_version(with_users)
    with_users.execute(row, [top + 50])  # drawn earlier, committed later
    assert freshness.data_version(with_users) != before
