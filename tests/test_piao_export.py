"""The PIAO's section 2.2: the plan in force laid out per objective, target, indicator, office and year."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from dashboard.core.errors import Refused
from dashboard.files import piao_export
from tests.test_cli import cli


def test_targets_with_their_expected_value_per_year(seeded):
    df = piao_export.table(seeded, "CCIAA-LU", 2020).set_index(["Target", "Indicatore"])
    row = df.loc[("2A.1", df.loc["2A.1"].index[0])]
    # "inferiore a 5 giorni" for 2020 and 2021; the 2020-2021 target says nothing of 2022.
    assert (row["Valore atteso 2020"], row["Valore atteso 2021"], row["Valore atteso 2022"]) == ("< 5 giorni", "< 5 giorni", "")
    assert row["Ufficio responsabile"].startswith("Registro Imprese")
    assert row["Obiettivo strategico"].startswith("2A — ")
    mediation = df.loc["1D.2"]
    assert len(mediation) == 2 and set(mediation["Valore atteso 2020"]) == {"≥ 3 punti"}
    # Only targets in force in the three years: the 2018-2019 ones are history, not programme.
    assert len(df.index.get_level_values(0).unique()) == 31


def test_eliminated_objectives_are_not_programmed(seeded):
    df = piao_export.table(seeded, "CCIAA-LU", 2020)
    assert not df["Obiettivo strategico"].str.startswith("1C ").any()


def test_a_triennium_without_targets_is_refused(seeded):
    with pytest.raises(Refused, match="Nessun target in vigore nel triennio 2030-2032"):
        piao_export.table(seeded, "CCIAA-LU", 2030)


def test_cli_writes_xlsx_and_pdf(tmp_path, stores):
    db = stores.address()
    assert cli(db, "init", "--no-demo").returncode == 0
    xlsx = tmp_path / "piao.xlsx"
    done = cli(db, "export", "--year", "2020", "--what", "piao", "--out", str(xlsx))
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    assert header[-3:] == ["Valore atteso 2020", "Valore atteso 2021", "Valore atteso 2022"]
    assert sheet.max_row == 1 + int(done.stdout.split(": ")[1].split()[0])
    pdf = tmp_path / "piao.pdf"
    assert cli(db, "export", "--year", "2020", "--what", "piao", "--out", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    bad = cli(db, "export", "--year", "2020", "--what", "piao", "--out", str(tmp_path / "piao.csv"))
    assert bad.returncode == 1 and "usare .xlsx o .pdf" in bad.stderr and not (tmp_path / "piao.csv").exists()
