"""Issue 12 points 8 and 10 for imports: broken encodings and over-long cells anywhere in a records file,
duplicated column headers, questionnaires of a desk the body has not configured, batch numbers used up by
refused imports, and one line (not a thousand) for records already imported."""
from __future__ import annotations

from dashboard.files import measurement_import
from tests.conftest import TODAY
from tests.test_records import FATTURE, PRATICHE, QUESTIONARI, con, csv_file, msgs, run  # noqa: F401 - con: fixture

FATTURA = ["Società Alfa", "01/01/2020", "31/01/2020", "10/02/2020", "100"]


def _fatture(n, start=0):
    return [[f"F{i}", *FATTURA] for i in range(start, start + n)]


# --- point 8: what the first 64 KB do not show -------------------------------------------------------------

def test_bom_then_windows_1252_after_64_kb_refused_with_its_row(con, tmp_path):
    head = ";".join(FATTURE) + "\r\n" + "".join(";".join(r) + "\r\n" for r in _fatture(2000))
    path = tmp_path / "tardi.csv"
    path.write_bytes(b"\xef\xbb\xbf" + head.encode("utf-8") + "F9999;Società;01/01/2020;31/01/2020;10/02/2020;100\r\n".encode("cp1252"))
    assert path.stat().st_size > 65536
    result = run(con, "fatture", path, "pianif")
    assert msgs(result) and msgs(result)[0].startswith("tardi.csv, riga 2002: il file inizia con il segno dei file UTF-8 "
                                                       "(BOM) ma contiene caratteri in un'altra codifica"), msgs(result)
    assert con.execute("SELECT count(*) FROM fatture").fetchone()[0] == 0


def test_cell_over_the_csv_limit_in_a_data_row_refused(con, tmp_path):
    long_cell = csv_file(tmp_path / "lunga.csv", FATTURE, [["F1", "x" * 140_000, *FATTURA[1:]]])
    assert msgs(run(con, "fatture", long_cell, "pianif")) == [
        "lunga.csv, riga 2, colonna «fornitore»: una cella supera 131.072 caratteri (limite dei file CSV)"]
    huge_line = csv_file(tmp_path / "enorme.csv", FATTURE, _fatture(3) + [["F9", "x" * 3_000_000, *FATTURA[1:]]])
    assert msgs(run(con, "fatture", huge_line, "pianif")) == [
        "enorme.csv, riga 5: una cella supera 131.072 caratteri (limite dei file CSV)"]
    assert con.execute("SELECT count(*) FROM fatture").fetchone()[0] == 0


# --- point 10: duplicated headers, unknown desks, batch numbers, one line for what is already in ------------

def test_duplicated_header_refused_by_the_template_reader(with_users, tmp_path):
    path = tmp_path / "doppia.csv"
    path.write_text("indicatore;periodo;valore;valore;numeratore;denominatore;note\r\nITP;2020-T1;10;12;;;\r\n",
                    encoding="utf-8")
    result = measurement_import.preview(with_users, path, "pianif", today=TODAY)
    assert [str(p) for p in result.problems] == [
        "doppia.csv, riga 1: la colonna «valore» compare più volte nell'intestazione (colonne C e D): lasciarne una sola"]


def test_duplicated_header_refused_by_the_records_reader(con, tmp_path):
    path = csv_file(tmp_path / "doppia.csv", FATTURE + ["importo_pagato", "note", "note"], [[*_fatture(1)[0], "7", "", ""]])
    assert msgs(run(con, "fatture", path, "pianif")) == [
        "doppia.csv, riga 1: la colonna «importo_pagato» compare più volte nell'intestazione (colonne F e G): "
        "lasciarne una sola"]  # the extra columns («note» twice) are ignored, as ever


def test_questionnaires_of_a_desk_not_configured_refused_naming_rows(con, tmp_path):
    rows = [["10/02/2020", "Nuova Impresa", "4", "5"]] + [["10/02/2020", "Sportello Fantasma", "3", "5"]] * 7
    result = run(con, "questionari", csv_file(tmp_path / "q.csv", QUESTIONARI, rows), "pianif")
    assert len(msgs(result)) == 1, msgs(result)
    assert msgs(result)[0].startswith("q.csv, riga 3, colonna «sportello»: sportello «Sportello Fantasma» non configurato "
                                      "per l'ente (7 questionari, alle righe 3, 4, 5, 6, 7…): sportelli configurati: "
                                      "Finanziamenti, Formazione, Marchi e Brevetti, Mediazione"), msgs(result)
    assert con.execute("SELECT count(*) FROM questionari").fetchone()[0] == 0


def test_refused_imports_use_up_no_batch_number(con, tmp_path):
    first = run(con, "fatture", csv_file(tmp_path / "a.csv", FATTURE, _fatture(3)), "pianif")
    assert first.ok, msgs(first)
    for i, bad in enumerate([["FX", *FATTURA[:4], "-1"], ["FY", *FATTURA[:4], "1,234"]]):  # refused, fast and slow
        assert not run(con, "fatture", csv_file(tmp_path / f"bad{i}.csv", FATTURE, [bad]), "pianif").ok
    slow = run(con, "fatture", csv_file(tmp_path / "b.csv", FATTURE, [["F10", *FATTURA[:4], "1.000,50"]]), "pianif")
    assert slow.ok, msgs(slow)  # read the slow way (after the fast way rolled back)
    fast = run(con, "fatture", csv_file(tmp_path / "c.csv", FATTURE, _fatture(2, start=20)), "pianif")
    assert (slow.lotto, fast.lotto) == (first.lotto + 1, first.lotto + 2)
    assert [r[0] for r in con.execute("SELECT id FROM lotti_record ORDER BY id").fetchall()] == [first.lotto, first.lotto + 1,
                                                                                                first.lotto + 2]


def test_records_already_imported_are_one_line(con, tmp_path):
    assert run(con, "fatture", csv_file(tmp_path / "prima.csv", FATTURE, _fatture(3000)), "pianif").ok
    again = run(con, "fatture", csv_file(tmp_path / "ancora.csv", FATTURE, _fatture(3000), sep=","), "pianif")
    assert msgs(again) == ["ancora.csv, riga 2, colonna «id_fattura»: 3.000 fatture già importate come pagate (file prima.csv), "
                           "alle righe 2, 3, 4, 5, 6…"]
    one = run(con, "fatture", csv_file(tmp_path / "una.csv", FATTURE, _fatture(1, start=2999) + _fatture(1, start=5000)), "pianif")
    assert msgs(one) == ["una.csv, riga 2, colonna «id_fattura»: fattura F2999 di Società Alfa già importata come pagata "
                         "(file prima.csv)"]
