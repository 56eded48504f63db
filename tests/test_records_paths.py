"""Raw records: the fast (typed) read and the text read store the same records; imports run side by side.

A file in the standard layout goes into the table as the CSV reader types it and is checked in place;
anything else goes through the text path. The two must never disagree, so each test here feeds values on which a typed reader and the Italian reading could
differ, and checks what a person would: the stored dates, days and amounts, or the refusal.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from unittest import mock

import pytest

from dashboard.core import audit, db, measurements, users
from dashboard.files import records_import, seed_loader
from tests.conftest import TODAY
from tests.test_records import FATTURE, PRATICHE, cli_with_staff_rag, con, csv_file, msgs, run, value  # noqa: F401 (con: fixture)

STORED = {"pratiche": "SELECT * EXCLUDE (lotto) FROM pratiche ORDER BY protocollo",
          # The optional columns last: the fast path (six columns) and the text path must agree on them too.
          "fatture": "SELECT * EXCLUDE (lotto, partita_iva, split_payment, importo_iva, contestazione_dal, contestazione_al, "
                     "stato, sostituita_da), (partita_iva, split_payment, importo_iva, contestazione_dal, contestazione_al, "
                     "stato, sostituita_da) FROM fatture ORDER BY id_fattura"}


def stored(con, table):
    return con.execute(STORED[table]).fetchall()


def test_standard_and_other_layouts_store_the_same_invoices(con, tmp_path):
    standard = csv_file(tmp_path / "std.csv", FATTURE, [
        ["A1", "Alfa", "01/02/2019", "03/03/2019", "03/03/2019", "1234,56"],   # paid exactly on its due date
        ["A2", "Beta", "15/06/2020", "15/07/2020", "20/07/2020", "100"],
    ])
    # Same invoices, written the other ways offices export them: ISO and two-digit years, amounts with
    # thousands and the euro sign, comma-separated, Windows-1252.
    other = csv_file(tmp_path / "altro.csv", FATTURE, [
        ["B1", "Alfa", "2019-02-01", "03/03/19", "03/03/2019", '"€ 1.234,56"'],
        ["B2", "Beta", "15-06-2020", "15/07/2020", " 20/07/2020", '"100,00"'],
    ], sep=",", encoding="cp1252")
    assert run(con, "fatture", standard, "staff.rag").ok
    result = run(con, "fatture", other, "staff.rag")
    assert result.ok, msgs(result)
    rows = {r[1]: r[2:] for r in stored(con, "fatture")}
    no_options = (None, False, None, None, None, None, None)
    assert rows["A1"] == rows["B1"] == ("Alfa", dt.date(2019, 2, 1), dt.date(2019, 3, 3), dt.date(2019, 3, 3),
                                        Decimal("1234.56"), no_options)
    assert rows["A2"] == rows["B2"]
    # Q1 2019: two invoices of 1.234,56 each paid on the due date, so the ITP is 0 days.
    assert value(con, "ITP", 2019, 1)[:3] == (0.0, 0.0, pytest.approx(2469.12))


def test_a_two_digit_year_is_the_year_2000_something(con, tmp_path):
    path = csv_file(tmp_path / "p.csv", PRATICHE, [["P1", "", "Lucca", "02/01/20", "07/01/20", "0"]])
    result = run(con, "pratiche", path, "staff.ri")
    assert result.ok, msgs(result)
    assert stored(con, "pratiche")[0][4:6] == (dt.date(2020, 1, 2), dt.date(2020, 1, 7))


@pytest.mark.parametrize("days, expected", [
    # A typed reader would round 2.5 to 3 and read 1.000 as 1: the Italian reading refuses the first and
    # reads the second as a thousand days, longer than the practice.
    ("2.5", "«2.5» non è un numero intero di giorni maggiore o uguale a zero"),
    ("1.000", "sospensione di 1000 giorni, più lunga della pratica (5 giorni)"),
    ("-1", "«-1» non è un numero intero di giorni maggiore o uguale a zero"),
    # The typed reader takes 2,5 as a number: the fast path must still not round it.
    ("2,5", "«2,5» non è un numero intero di giorni maggiore o uguale a zero"),
])
def test_days_are_read_the_italian_way(con, tmp_path, days, expected):
    path = csv_file(tmp_path / "p.csv", PRATICHE, [["P1", "", "Lucca", "02/01/2020", "07/01/2020", days]])
    result = run(con, "pratiche", path, "staff.ri")
    assert msgs(result) == [f"p.csv, riga 2, colonna «giorni_sospensione»: {expected}"]
    assert con.execute("SELECT count(*) FROM pratiche").fetchone()[0] == 0


def test_spaces_around_values_are_trimmed_as_in_the_text_path(con, tmp_path):
    path = csv_file(tmp_path / "p.csv", PRATICHE, [["P1 ", " modifica", " Lucca ", "02/01/2020", "07/01/2020", "0"]])
    assert run(con, "pratiche", path, "staff.ri").ok
    assert stored(con, "pratiche")[0][1:4] == ("P1", "modifica", "Lucca")
    # So the trimmed protocol is a duplicate of the stored one.
    again = csv_file(tmp_path / "q.csv", PRATICHE, [[" P1", "", "Lucca", "03/01/2020", "08/01/2020", "0"]])
    assert msgs(run(con, "pratiche", again, "staff.ri")) == ["q.csv, riga 2, colonna «protocollo»: protocollo P1 già importato (file p.csv)"]


def test_protocols_between_stored_ones_are_not_duplicates(con, tmp_path):
    # The duplicate check looks at stored protocols in the file's range: P2 and P4 fall between P1 and P5.
    row = lambda p: [p, "", "Lucca", "02/01/2020", "07/01/2020", "0"]  # noqa: E731
    assert run(con, "pratiche", csv_file(tmp_path / "a.csv", PRATICHE, [row("P1"), row("P3"), row("P5")]), "staff.ri").ok
    assert run(con, "pratiche", csv_file(tmp_path / "b.csv", PRATICHE, [row("P2"), row("P4")]), "staff.ri").ok
    result = run(con, "pratiche", csv_file(tmp_path / "c.csv", PRATICHE, [row("P0"), row("P3"), row("P6")]), "staff.ri")
    assert msgs(result) == ["c.csv, riga 3, colonna «protocollo»: protocollo P3 già importato (file a.csv)"]
    assert [r[1] for r in stored(con, "pratiche")] == ["P1", "P2", "P3", "P4", "P5"]
    assert value(con, "RI_TEMPO_LAV", 2020, 1)[2] == 5


def test_an_import_leaves_nothing_behind_in_the_database(con, tmp_path):
    run(con, "pratiche", csv_file(tmp_path / "p.csv", PRATICHE, [["P1", "", "Lucca", "02/01/2020", "07/01/2020", "0"]]),
        "staff.ri")
    run(con, "pratiche", csv_file(tmp_path / "bad.csv", PRATICHE, [["P2", "", "Lucca", "x", "07/01/2020", "0"]]), "staff.ri")
    # No view over the upload's temporary file, no working table holding its rows in the session.
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'staged_file'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('parsed', 'staged')").fetchone()[0] == 0


def test_imports_side_by_side_still_see_each_other(con, tmp_path):
    files = []
    for i in range(6):
        # Files 0 and 3 share protocol P-DUP: whichever runs second must be refused, whatever the order.
        rows = [[f"P{i}-{n}", "", "Lucca", "02/01/2020", "07/01/2020", str(n % 2)] for n in range(50)]
        if i in (0, 3):
            rows.append(["P-DUP", "", "Lucca", "02/01/2020", "12/01/2020", "0"])
        files.append(("pratiche", csv_file(tmp_path / f"p{i}.csv", PRATICHE, rows)))
    files.append(("fatture", csv_file(tmp_path / "f.csv", FATTURE, [["F1", "Alfa", "01/01/2020", "31/01/2020", "10/02/2020", "100"]])))
    results = records_import.import_many(con, files, "pianif", workers=4, today=TODAY)
    assert [r.file for r in results] == [p.name for _, p in files]
    refused = [r for r in results if not r.ok]
    assert len(refused) == 1 and refused[0].file in ("p0.csv", "p3.csv")
    assert "protocollo P-DUP già importato" in msgs(refused[0])[0]
    assert con.execute("SELECT count(*), count(DISTINCT protocollo) FROM pratiche").fetchone() == (251, 251)
    # The quarter's indicator counts every stored practice, and its last version names the five batches it took.
    v, n, d, fonte = value(con, "RI_TEMPO_LAV", 2020, 1)
    assert d == 251 and fonte.count("righe)") == 5
    assert value(con, "ITP", 2020, 1)[0] == 10.0


def test_a_correction_landing_meanwhile_is_not_overwritten(con, tmp_path):
    first = csv_file(tmp_path / "a.csv", FATTURE, [["F1", "Alfa", "01/01/2020", "31/01/2020", "10/02/2020", "100"]])
    second = csv_file(tmp_path / "b.csv", FATTURE, [["F2", "Alfa", "01/01/2020", "31/01/2020", "20/02/2020", "100"]])
    assert run(con, "fatture", first, "staff.rag").ok
    real = measurements.current_versions
    calls = []

    def stale_once(c, ente):
        # The first read misses the version already written, as a transaction begun before it would.
        calls.append(ente)
        return {} if len(calls) == 1 else real(c, ente)

    with mock.patch.object(measurements, "current_versions", stale_once):
        result = run(con, "fatture", second, "staff.rag")
    assert result.ok, msgs(result)
    assert len(calls) == 2   # the write was redone under the writers' lock
    versions = con.execute("SELECT versione, valore FROM misure WHERE indicatore = 'ITP' AND anno = 2020 "
                           "AND trimestre = 1 ORDER BY versione").fetchall()
    assert versions == [(1, 10.0), (2, 15.0)]
    assert len(audit.search(con, azione="record_importati")) == 2


def test_cli_imports_several_files(tmp_path, stores):
    env_run = cli_with_staff_rag(stores)
    a = csv_file(tmp_path / "a.csv", FATTURE, [["F1", "Alfa", "01/01/2020", "31/01/2020", "10/02/2020", "100"]])
    b = csv_file(tmp_path / "b.csv", FATTURE, [["F2", "Alfa", "01/04/2020", "30/04/2020", "30/04/2020", "50"]])
    bad = csv_file(tmp_path / "c.csv", FATTURE, [["F3", "Alfa", "01/04/2020", "30/04/2020", "29/03/2020", "50"]])
    out = env_run("records", "import", "--kind", "fatture", str(a), str(b), str(bad), "--user", "staff.rag",
                  "--format", "json")
    assert out.returncode == 1
    assert [(r["file"], r["records"]) for r in json.loads(out.stdout)] == [("a.csv", 1), ("b.csv", 1)]
    assert "Importazione di c.csv rifiutata" in out.stderr
    assert "c.csv, riga 2, colonna «data_pagamento»: pagamento il 29/03/2020, prima della data della fattura" in out.stderr
    itp = json.loads(env_run("metrics", "--kind", "itp", "--year", "2020", "--format", "json").stdout)
    assert [(r["trimestre"], r["itp"]) for r in itp["rows"]] == [(None, pytest.approx(10 * 100 / 150)), (1, 10.0), (2, 0.0)]


def test_the_standard_layout_takes_the_fast_path(con, tmp_path, monkeypatch):
    import queries

    used = []
    real = queries.sql
    monkeypatch.setattr(records_import.queries, "sql", lambda module, name: used.append(name) or real(module, name))
    std = csv_file(tmp_path / "std.csv", PRATICHE, [["P1", "", "Lucca", "02/01/2020", "07/01/2020", "0"]])
    iso = csv_file(tmp_path / "iso.csv", PRATICHE, [["P2", "", "Lucca", "2020-01-02", "2020-01-07", "0"]])
    assert run(con, "pratiche", std, "staff.ri").ok
    assert "insert_typed_pratiche" in used and "stage_numbered" not in used
    used.clear()
    assert run(con, "pratiche", iso, "staff.ri").ok
    reads = [n for n in used if n.startswith(("insert_typed", "stage_", "insert_pratiche"))]
    assert reads == ["insert_typed_pratiche", "stage_numbered", "insert_pratiche"]
    assert [r[4] for r in stored(con, "pratiche")] == [dt.date(2020, 1, 2), dt.date(2020, 1, 2)]


@pytest.mark.file_store("row groups written straight into the file, not through its log")
def test_a_database_file_keeps_large_imports_and_nothing_of_refused_ones(tmp_path):
    # On a real file, a file of more than one row group (16.384 rows) is written straight into the database,
    # not through the log: a refused one must leave nothing, an accepted one must be there after a reopen.
    path = tmp_path / "c.duckdb"
    con = db.connect(path)
    seed_loader.load_seed(con)
    users.add_user(con, "staff.ri", "staff", "CCIAA-LU", ["RI"], "password-ri")
    rows = [[f"P{n:06d}", "", "Lucca", "02/01/2020", "07/01/2020", str(n % 3)] for n in range(40000)]
    good = csv_file(tmp_path / "good.csv", PRATICHE, rows)
    bad = csv_file(tmp_path / "bad.csv", PRATICHE, [["Q" + r[0][1:]] + r[1:] for r in rows]
                   + [["Q-LAST", "", "Lucca", "07/01/2020", "02/01/2020", "0"]])
    assert msgs(run(db.cursor(path), "pratiche", bad, "staff.ri")) == [
        "bad.csv, riga 40002, colonna «data_evasione»: evasa il 02/01/2020, prima dell'arrivo (07/01/2020)"]
    result = run(db.cursor(path), "pratiche", good, "staff.ri")
    assert result.ok and result.rows == 40000
    db.close(path)
    con = db.connect(path)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT lotto), sum(giorni_sospensione) FROM pratiche").fetchall() == [
            (40000, 1, sum(n % 3 for n in range(40000)))]
        assert con.execute("SELECT file, righe FROM lotti_record").fetchall() == [("good.csv", 40000)]
        v, num, den, fonte = value(con, "RI_TEMPO_LAV", 2020, 1)
        assert den == 40000 and "good.csv" in fonte and "bad.csv" not in fonte
    finally:
        db.close(path)


@pytest.mark.file_store("a file made by DuckDB's plain connect")
def test_a_database_file_from_before_the_attach_still_opens(tmp_path):
    # Files created by DuckDB's plain connect (default row groups) are attached as they are.
    import duckdb

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE enti (codice VARCHAR PRIMARY KEY, nome VARCHAR NOT NULL, nome_breve VARCHAR)")
    old.execute("INSERT INTO enti VALUES ('CCIAA-XX', 'Camera di prova', 'XX')")
    old.close()
    try:
        cur = db.cursor(path)
        assert cur.execute("SELECT nome FROM enti WHERE codice = 'CCIAA-XX'").fetchall() == [("Camera di prova",)]
        assert cur.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'pratiche'").fetchall() == [(1,)]
    finally:
        db.close(path)
