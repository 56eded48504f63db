"""Issue 12 point 7 for raw records: inf, NaN, 1e20 and values no office produces are refused in Italian,
naming file, row and column — never a cast error (before: "Conversion Error ... DECIMAL(18,2)")."""
from __future__ import annotations

import pytest

from tests.test_records import FATTURE, PRATICHE, QUESTIONARI, con, csv_file, msgs, run  # noqa: F401 - con: fixture

TABLE = {"pratiche": "pratiche", "fatture": "fatture", "questionari": "questionari"}
ROW = {
    "pratiche": (PRATICHE, ["P1", "iscrizione", "RI", "01/01/2020", "01/03/2020", "0"], "giorni_sospensione"),
    "fatture": (FATTURE, ["F1", "Alfa", "01/01/2020", "31/01/2020", "10/02/2020", "100"], "importo_pagato"),
    "questionari": (QUESTIONARI, ["10/02/2020", "Nuova Impresa", "3", "5"], "punteggio"),
}
CASES = [
    ("pratiche", "inf", "«inf» non è un numero intero di giorni"),
    ("pratiche", "nan", "«nan» non è un numero intero di giorni"),
    ("pratiche", "1e20", "«1e20» non è un numero intero di giorni"),
    ("pratiche", "99999999999999999999", "sospensione fuori misura («99999999999999999999» giorni, oltre 100.000)"),
    ("fatture", "inf", "«inf» non è un importo"),
    ("fatture", "NaN", "«NaN» non è un importo"),
    ("fatture", "1e20", "«1e20» non è un importo"),
    ("fatture", "100000000000000000000", "importo fuori misura («100000000000000000000», oltre 1.000.000.000.000 €)"),
    ("fatture", "1.000.000.000.000.000.000,00", "importo fuori misura"),
    ("fatture", "999999999999999999,99", "importo fuori misura"),
    ("questionari", "inf", "«inf» non è un numero"),
    ("questionari", "99999999999999999999", "punteggio 1e+20 fuori dalla scala 1–5"),
]


@pytest.mark.parametrize("kind,value,message", CASES)
def test_non_finite_and_huge_numbers_refused_by_row_and_column(con, tmp_path, kind, value, message):
    header, row, column = ROW[kind]
    row = [value if h == column else v for h, v in zip(header, row)]
    result = run(con, kind, csv_file(tmp_path / "r.csv", header, [row]), "pianif")
    assert msgs(result) and msgs(result)[0].startswith(f"r.csv, riga 2, colonna «{column}»: ")
    assert message in msgs(result)[0], msgs(result)
    assert con.execute(f"SELECT count(*) FROM {TABLE[kind]}").fetchone()[0] == 0  # noqa: S608


@pytest.mark.parametrize("kind,column,value,message", [
    ("pratiche", "data_arrivo", "01/01/1900", "data implausibile (01/01/1900, prima del 1990)"),
    ("fatture", "data_fattura", "01/01/1900", "data implausibile (01/01/1900, prima del 1990)"),
    ("questionari", "data", "10/02/1900", "data implausibile (10/02/1900, prima del 1990)"),
    ("questionari", "scala_max", "99999999999999999999", "scala fuori misura («99999999999999999999», oltre 100)"),
])
def test_implausible_dates_and_scales_refused(con, tmp_path, kind, column, value, message):
    header, row, _ = ROW[kind]
    row = [value if h == column else v for h, v in zip(header, row)]
    result = run(con, kind, csv_file(tmp_path / "r.csv", header, [row]), "pianif")
    assert f"r.csv, riga 2, colonna «{column}»: {message}" in msgs(result), msgs(result)


def test_large_but_plausible_amount_accepted(con, tmp_path):
    header, row, _ = ROW["fatture"]
    result = run(con, "fatture", csv_file(tmp_path / "r.csv", header, [row[:5] + ["1.000.000.000.000,00"]]), "pianif")
    assert result.ok, msgs(result)
