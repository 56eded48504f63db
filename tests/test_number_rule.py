"""Issue 12 point 2: one rule for numbers, the same in the template importer (formats.parse_number) and in the
raw-records import, on its fast (typed) and slow (text) path alike. "1,234.5" and "1,234" were stored as 1,23 €."""
from __future__ import annotations

from decimal import Decimal

import pytest

from dashboard.core import formats
from dashboard.files import records_import
from tests.test_records import FATTURE, PRATICHE, con, csv_file, msgs, run  # noqa: F401 (con: fixture)

ACCEPTED = [("1.234,56", 1234.56), ("1234,56", 1234.56), ("1.234", 1234.0), ("1234", 1234.0), ("1234.56", 1234.56),
            ("1234.5", 1234.5), ("€ 1.234,56", 1234.56), ("2,5", 2.5), ("1234,567", 1234.567),
            ("0.500", 0.5)]   # a thousands group never starts with 0: a decimal point (it was read as 500)
AMBIGUOUS = "«{0}» è ambiguo (virgola seguita da tre cifre: migliaia o decimali?): scrivere {1}, {2} o {1},00 se sono migliaia, {3} se sono decimali"
REFUSED = [
    ("1,234.5", "«1,234.5» è scritto all'inglese (virgola per le migliaia, punto per i decimali): scrivere 1.234,5"),
    ("1,234,567", "«1,234,567» è scritto all'inglese (virgola per le migliaia, punto per i decimali): scrivere 1.234.567"),
    ("1,234", AMBIGUOUS.format("1,234", "1234", "1.234", "1,23")),
    ("5,000", AMBIGUOUS.format("5,000", "5000", "5.000", "5,00")),
]


def invoice(n, amount):
    return [f"F{n}", "Alfa", "01/01/2020", "31/01/2020", "10/02/2020", amount]


def slow_only(monkeypatch):
    """Every file goes the slow (text) way, as a file in another layout would."""
    def refuse(con, job, lotto):
        raise records_import._NotStandard
    monkeypatch.setattr(records_import, "_insert_typed", refuse)


def amounts(con):
    return [r[0] for r in con.execute("SELECT importo_pagato FROM fatture ORDER BY lotto, id_fattura").fetchall()]


def test_accepted_amounts_are_read_the_same_by_every_reader(con, tmp_path, monkeypatch):
    for raw, expected in ACCEPTED:
        assert formats.parse_number(raw) == expected, raw
    rows = [invoice(n, f'"{raw}"') for n, (raw, _) in enumerate(ACCEPTED, start=10)]
    assert run(con, "fatture", csv_file(tmp_path / "a.csv", FATTURE, rows), "staff.rag").ok
    slow_only(monkeypatch)
    rows = [invoice(n, f'"{raw}"') for n, (raw, _) in enumerate(ACCEPTED, start=50)]
    result = run(con, "fatture", csv_file(tmp_path / "b.csv", FATTURE, rows), "staff.rag")
    assert result.ok, msgs(result)
    cents = [Decimal(str(round(e, 2))).quantize(Decimal("0.01")) for _, e in ACCEPTED]
    assert amounts(con) == cents + cents


@pytest.mark.parametrize("raw, message", REFUSED)
@pytest.mark.parametrize("path", ["fast", "slow"])
def test_english_and_ambiguous_amounts_are_refused_naming_the_cell(con, tmp_path, monkeypatch, raw, message, path):
    with pytest.raises(formats.FormatError) as refused:
        formats.parse_number(raw)
    assert str(refused.value) == message
    if path == "slow":
        slow_only(monkeypatch)
    f = csv_file(tmp_path / "f.csv", FATTURE, [invoice(1, "100"), invoice(2, f'"{raw}"')])
    assert msgs(run(con, "fatture", f, "staff.rag")) == [f"f.csv, riga 3, colonna «importo_pagato»: {message}"]
    assert amounts(con) == []


@pytest.mark.parametrize("path", ["fast", "slow"])
@pytest.mark.parametrize("raw", ["0,001", "0,004", "0.001"])
def test_an_amount_under_a_cent_is_refused(con, tmp_path, monkeypatch, raw, path):
    assert 0 < formats.parse_number(raw) < 0.005   # a number; as an amount it is too small
    if path == "slow":
        slow_only(monkeypatch)
    f = csv_file(tmp_path / "f.csv", FATTURE, [invoice(1, raw)])
    assert msgs(run(con, "fatture", f, "staff.rag")) == [
        f"f.csv, riga 2, colonna «importo_pagato»: importo inferiore a un centesimo («{raw}»)"]
    assert amounts(con) == []


@pytest.mark.parametrize("path", ["fast", "slow"])
def test_ambiguous_days_are_refused_too(con, tmp_path, monkeypatch, path):
    # The typed reader took "1,000" days as 1: the rule refuses it on both paths.
    if path == "slow":
        slow_only(monkeypatch)
    f = csv_file(tmp_path / "p.csv", PRATICHE, [["P1", "", "Lucca", "02/01/2020", "07/01/2020", "1,000"]])
    assert msgs(run(con, "pratiche", f, "staff.ri")) == [
        "p.csv, riga 2, colonna «giorni_sospensione»: " + AMBIGUOUS.format("1,000", "1000", "1.000", "1,00")]
    assert con.execute("SELECT count(*) FROM pratiche").fetchone()[0] == 0
