"""Issue 15: the ITP as the law defines it in full (split payment, disputes, rejected and credited invoices)
and the art. 33 figures (debt past due, creditor firms), from hand-computed cases."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.core import db, itp_rules, users
from dashboard.core.errors import NotAllowed
from dashboard.files import records_import
from queries import metrics as metrics_queries
from tests.test_pages import open_page
from tests.test_records import FATTURE, FATTURE_FACOLTATIVE, cli_with_staff_rag, csv_file, msgs, run, value

HEADER = FATTURE + FATTURE_FACOLTATIVE


def row(id_, fornitore, data, scadenza, pagamento, importo, piva="", split="", iva="", dal="", al="", stato=""):
    return [id_, fornitore, data, scadenza, pagamento, importo, piva, split, iva, dal, al, stato]


@pytest.fixture
def con(with_users):
    users.add_user(with_users, "staff.rag", "staff", "CCIAA-LU", ["RAGIONERIA"], "password-rag")
    return with_users


def imported(con, tmp_path, name, rows, header=HEADER):
    result = run(con, "fatture", csv_file(tmp_path / name, header, rows), "staff.rag")
    assert result.ok, msgs(result)
    return result


def itp(con, trimestre):
    df = metrics_queries.metrics(con, "itp", 2020)
    return df[df["trimestre"] == trimestre].iloc[0] if trimestre else df[df["trimestre"].isna()].iloc[0]


def test_split_payment_weighs_the_amount_without_vat(con, tmp_path):
    # €1.220 with 22 % VAT (220) under split payment, paid 10 days late: 1.000 x 10 over 1.000.
    imported(con, tmp_path, "split.csv", [row("S1", "Alfa", "02/01/2020", "01/02/2020", "11/02/2020", "1.220,00",
                                              split="sì", iva="220,00")])
    _, num, den, _ = value(con, "ITP", 2020, 1)
    assert (num, den) == (1000.0 * 10, 1000.0)
    assert itp(con, 1)["itp"] == 10 and itp(con, 1)["totale_pagato"] == 1000.0


def test_split_payment_without_vat_is_refused_naming_the_cell(con, tmp_path):
    path = csv_file(tmp_path / "s.csv", HEADER, [row("S1", "Alfa", "02/01/2020", "01/02/2020", "11/02/2020", "1220",
                                                     split="sì")])
    assert msgs(run(con, "fatture", path, "staff.rag")) == [
        "s.csv, riga 2, colonna «importo_iva»: con lo split payment indicare l'IVA della fattura (esclusa dall'importo "
        "dell'ITP)"]


# Invoice of 02/01/2020 due 01/02/2020 (30 days' term), disputed from 15/01 to 20/02, paid 02/03/2020 (2020 is
# a leap year). Without the dispute: 30 days late. From the dispute's end: due 20/02, 11 days late. From its end
# plus the term: due 21/03, 19 days early. Either way the disputed days are not counted as lateness.
DISPUTED = row("D1", "Beta", "02/01/2020", "01/02/2020", "02/03/2020", "500", dal="15/01/2020", al="20/02/2020")


@pytest.mark.parametrize("regola,giorni", [("fine_contestazione", 11), ("fine_piu_termine", -19)])
def test_disputed_days_are_removed_under_both_readings(con, tmp_path, regola, giorni):
    pianif = users.require_user(con, "pianif")
    itp_rules.set_reading(con, pianif, "CCIAA-LU", regola)
    imported(con, tmp_path, "contestata.csv", [DISPUTED])
    assert giorni == {"fine_contestazione": (dt.date(2020, 3, 2) - dt.date(2020, 2, 20)).days,
                      "fine_piu_termine": (dt.date(2020, 3, 2) - dt.date(2020, 3, 21)).days}[regola]
    assert itp(con, 1)["itp"] == giorni and itp(con, 1)["regola_contestazione"] == regola
    assert value(con, "ITP", 2020, 1)[0] == giorni


def test_only_the_planning_office_chooses_the_reading(con):
    staff = users.require_user(con, "staff.rag")
    with pytest.raises(NotAllowed):
        itp_rules.set_reading(con, staff, "CCIAA-LU", "fine_piu_termine")
    assert itp_rules.reading(con, "CCIAA-LU") == "fine_contestazione"
    itp_rules.set_reading(con, users.require_user(con, "pianif"), "CCIAA-LU", "fine_piu_termine")
    audit = con.execute("SELECT prima, dopo FROM audit WHERE azione = 'regola_itp'").fetchall()
    assert [(json.loads(p)["regola"], json.loads(d)["regola"]) for p, d in audit] == [
        ("fine_contestazione", "fine_piu_termine")]


def test_rejected_and_credited_invoices_leave_the_figure_unchanged(con, tmp_path):
    imported(con, tmp_path, "a.csv", [row("A1", "Alfa", "01/01/2020", "31/01/2020", "10/02/2020", "1.000"),
                                      row("A2", "Beta", "01/01/2020", "31/01/2020", "20/01/2020", "3.000")])
    before = itp(con, 1)
    assert before["itp"] == pytest.approx((10 * 1000 - 11 * 3000) / 4000)
    imported(con, tmp_path, "b.csv", [
        row("R1", "Gamma", "01/01/2020", "31/01/2020", "30/03/2020", "9.000", stato="rifiutata"),
        row("C1", "Delta", "01/01/2020", "31/01/2020", "30/03/2020", "7.000", stato="Stornata")])
    after = itp(con, 1)
    assert (after["itp"], after["fatture"], after["totale_pagato"]) == (before["itp"], 2, 4000.0)
    assert value(con, "ITP", 2020, 1)[0] == pytest.approx(before["itp"])


def test_debt_past_due_and_creditor_firms_at_the_end_of_quarters(con, tmp_path, capsys):
    # Unpaid invoices from three suppliers; at 31/03/2020 two of them have invoices past due.
    imported(con, tmp_path, "aperte-q1.csv", [
        row("A1", "Alfa srl", "15/02/2020", "15/03/2020", "", "500,00", piva="01234567890"),
        row("B1", "Beta spa", "20/02/2020", "20/03/2020", "", "300,00", piva="IT 09876543210"),
        row("B2", "Beta S.p.A.", "25/02/2020", "25/03/2020", "", "200,00", piva="IT09876543210"),  # same firm
        row("C1", "Gamma", "15/03/2020", "15/04/2020", "", "1.000,00", piva="11111111111"),  # not yet due
        row("D1", "Delta", "01/02/2020", "02/03/2020", "", "4.000,00", piva="22222222222",
            dal="01/03/2020"),  # disputed, still open: not due
        row("P1", "Alfa srl", "01/02/2020", "02/03/2020", "10/03/2020", "100,00", piva="01234567890"),  # paid
    ])
    q1 = itp(con, 1)
    assert (q1["debito_scaduto"], q1["imprese_creditrici"]) == (1000.0, 2)
    assert (q1["fatture"], q1["itp"]) == (1, 8)  # the paid invoice only: 8 days late
    # The next file brings A1's payment on 10/04: the unpaid row is superseded, not changed.
    imported(con, tmp_path, "pagate-q2.csv", [row("A1", "Alfa srl", "15/02/2020", "15/03/2020", "10/04/2020",
                                                  "500,00", piva="01234567890")])
    assert (itp(con, 1)["debito_scaduto"], itp(con, 1)["imprese_creditrici"]) == (1000.0, 2)  # A1 unpaid at 31/03
    q2 = itp(con, 2)  # at 30/06: B1, B2, C1 past due (A1 paid, D1 still disputed)
    assert (q2["debito_scaduto"], q2["imprese_creditrici"], q2["itp"]) == (1500.0, 2, 26)
    assert con.execute("SELECT count(*), count(sostituita_da) FROM fatture WHERE id_fattura = 'A1'").fetchone() == (2, 1)
    # An invoice stored as paid cannot come again.
    again = run(con, "fatture", csv_file(tmp_path / "ancora.csv", HEADER, [
        row("A1", "Alfa srl", "15/02/2020", "15/03/2020", "11/04/2020", "500,00")]), "staff.rag")
    assert msgs(again) == ["ancora.csv, riga 2, colonna «id_fattura»: fattura A1 di Alfa srl già importata come pagata "
                           "(file pagate-q2.csv)"]
    year = itp(con, None)  # the year's figures are those at 31/12
    assert (year["debito_scaduto"], year["imprese_creditrici"]) == (1500.0, 2)


def test_old_layout_still_imports_and_takes_the_fast_path(con, tmp_path, monkeypatch):
    slow = []
    monkeypatch.setattr(records_import, "_stage_slow", lambda *a: slow.append(1))
    imported(con, tmp_path, "vecchio.csv", [["F1", "Alfa", "01/01/2020", "31/01/2020", "10/02/2020", "100"]], FATTURE)
    assert slow == [] and itp(con, 1)["itp"] == 10


@pytest.mark.parametrize("fields,colonna,messaggio", [
    ({"split": "forse"}, "split_payment", "«forse» non è un valore ammesso: sì o no (vuoto: no)"),
    ({"iva": "2.000"}, "importo_iva", "IVA di 2000,0 euro: deve essere almeno zero e minore dell'importo della fattura (1000,0)"),
    ({"al": "20/02/2020"}, "contestazione_dal", "la fine della contestazione è indicata ma non il suo inizio"),
    ({"dal": "10/01/2020"}, "contestazione_al",
     "fattura pagata: indicare quando è finita la contestazione (al più tardi la data di pagamento)"),
    ({"dal": "05/02/2020", "al": "01/02/2020"}, "contestazione_al",
     "contestazione chiusa il 01/02/2020, prima del suo inizio (05/02/2020)"),
    ({"dal": "20/02/2020", "al": "25/02/2020"}, "contestazione_dal",
     "contestazione iniziata il 20/02/2020, dopo il pagamento (11/02/2020)"),
    ({"stato": "annullata"}, "stato", "«annullata» non è uno stato ammesso: rifiutata, stornata (vuoto per le altre fatture)"),
])
def test_bad_optional_columns_are_refused_naming_the_cell(con, tmp_path, fields, colonna, messaggio):
    bad = row("F1", "Alfa", "02/01/2020", "01/02/2020", "11/02/2020", "1.000", **fields)
    result = run(con, "fatture", csv_file(tmp_path / "f.csv", HEADER, [bad]), "staff.rag")
    assert msgs(result) == [f"f.csv, riga 2, colonna «{colonna}»: {messaggio}"]
    assert con.execute("SELECT count(*) FROM fatture").fetchone()[0] == 0


def test_cli_prints_the_art_33_figures_and_the_reading(tmp_path, stores):
    env_run = cli_with_staff_rag(stores)
    assert env_run("user", "add", "pianif.cli", "--role", "pianificazione", "--password-stdin",
                   stdin="password-pc\n").returncode == 0
    path = csv_file(tmp_path / "fatture.csv", HEADER, [
        row("A1", "Alfa srl", "15/02/2020", "15/03/2020", "", "500,00", piva="01234567890"),
        row("D1", "Beta", "02/01/2020", "01/02/2020", "02/03/2020", "500", dal="15/01/2020", al="20/02/2020")])
    ok = env_run("records", "import", "--kind", "fatture", str(path), "--user", "staff.rag")
    assert ok.returncode == 0, ok.stderr
    out = json.loads(env_run("metrics", "--kind", "itp", "--year", "2020", "--quarter", "1", "--format", "json").stdout)
    (q1,) = out["rows"]
    assert (q1["itp"], q1["debito_scaduto"], q1["imprese_creditrici"], q1["regola_contestazione"]) == (
        11.0, 500.0, 1, "fine_contestazione")
    changed = env_run("records", "itp-rule", "--set", "fine_piu_termine", "--user", "pianif.cli")
    assert changed.returncode == 0 and "fine_piu_termine" in changed.stdout, changed.stderr
    refused = env_run("records", "itp-rule", "--set", "fine_contestazione", "--user", "staff.rag")
    assert refused.returncode == 1 and "non può modificare il piano" in refused.stderr
    out = json.loads(env_run("metrics", "--kind", "itp", "--year", "2020", "--quarter", "1", "--format", "json").stdout)
    assert out["rows"][0]["itp"] == -19.0


def test_servizi_shows_the_art_33_figures(db_file, tmp_path):
    con = db.connect(db_file)
    users.add_user(con, "staff.rag", "staff", "CCIAA-LU", ["RAGIONERIA"], "password-rag")
    imported(con, tmp_path, "fatture.csv", [
        row("A1", "Alfa srl", "15/02/2020", "15/03/2020", "", "500,00", piva="01234567890"),
        row("B1", "Beta spa", "20/01/2020", "19/02/2020", "", "1.234,50", piva="09876543210"),
        row("P1", "Alfa srl", "01/02/2020", "02/03/2020", "10/03/2020", "100,00", piva="01234567890")])
    db.close(db_file)
    at = open_page("servizi", anno="2020", trimestre="1")
    assert at.subheader[-1].value == "Tempestività dei pagamenti e debito scaduto (art. 33)"
    table = at.dataframe[-1].value
    assert table.iloc[0].to_dict() == {
        "Periodo": "I trimestre", "ITP (giorni)": "8,00", "Fatture pagate": "1", "Importo pagato (€)": "100,00",
        "Debito scaduto a fine periodo (€)": "1.734,50", "Imprese creditrici": "2"}
    assert any("la scadenza riparte dalla fine della contestazione" in c.value for c in at.main.caption)
